import { describe, expect, it } from 'vitest';
import type { CronFederatedHPA } from '../../src/api/cronfederatedhpa.ts';
import { orderDueRuns, type PlannedRun } from '../../src/cron/due-order.ts';

const cron = (namespace: string, name: string): CronFederatedHPA => ({
  apiVersion: 'autoscaling.karmada.io/v1alpha1',
  kind: 'CronFederatedHPA',
  metadata: { namespace, name },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, rules: [] },
});
const run = (c: CronFederatedHPA, ruleIndex: number, scheduleTime: string): PlannedRun => ({
  cron: c,
  due: { rule: { name: `r${ruleIndex}`, schedule: '* * * * *' }, ruleIndex, scheduleTime },
});
const label = (r: PlannedRun) =>
  `${r.cron.metadata.namespace}/${r.cron.metadata.name}#${r.due.ruleIndex}@${r.due.scheduleTime.slice(11, 16)}`;

describe('orderDueRuns: last write wins, deterministically', () => {
  it('older instants first, then namespace/name, then spec order', () => {
    const a = cron('default', 'a');
    const b = cron('default', 'b');
    const z = cron('apps', 'z');
    const runs = [
      run(b, 0, '2026-03-01T10:00:00Z'),
      run(a, 1, '2026-03-01T10:00:00Z'),
      run(a, 0, '2026-03-01T10:00:00Z'),
      run(z, 0, '2026-03-01T10:00:00Z'),
      run(b, 2, '2026-03-01T09:45:00Z'),
    ];
    expect(orderDueRuns(runs).map(label)).toEqual([
      'default/b#2@09:45',
      'apps/z#0@10:00',
      'default/a#0@10:00',
      'default/a#1@10:00',
      'default/b#0@10:00',
    ]);
    // A copy: the input order is kept.
    expect(runs.map(label)[0]).toBe('default/b#0@10:00');
  });
});
