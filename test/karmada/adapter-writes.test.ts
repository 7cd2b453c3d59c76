import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HPAStatus } from '../../src/api/autoscaling-v2.ts';
import { ConflictError, isConflict } from '../../src/karmada/errors.ts';
import { type Harness, NS, reset, startHarness, TARGET } from './sim-harness.ts';

// Every write of the adapter against the simulator over HTTP: the resourceVersion-guarded scale PATCH
// (a 409 surfaces, never retried: federatedhpa_controller.go writes /scale with the version it read), status
// through the status subresource with re-read on 409 (helper.UpdateStatus / retry.RetryOnConflict), the
// CronFederatedHPA claim (guarded) and spec change (cronfederatedhpa_job.go), and Events.

let h: Harness;
const FHPA_PATH = '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas/sample-app';

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sim.close());
beforeEach(() => reset(h));

const status = (desired: number, extra: Partial<HPAStatus> = {}): HPAStatus => ({
  currentReplicas: 1,
  desiredReplicas: desired,
  conditions: [
    {
      type: 'AbleToScale',
      status: 'True',
      reason: 'SucceededRescale',
      message: `the HPA controller was able to update the target scale to ${desired}`,
    },
  ],
  ...extra,
});

describe('patchScale', () => {
  it('writes the replicas the decision was made on; Karmada divides them 5/5', async () => {
    const before = await h.adapter.getScale(NS, TARGET);
    const after = await h.adapter.patchScale(NS, TARGET, 10, before.resourceVersion);
    h.sim.clock.advance(30_000);
    expect([after.replicas, Number(after.resourceVersion) > Number(before.resourceVersion)]).toEqual([
      10,
      true,
    ]);
    expect(h.sim.memberReplicas(NS, 'sample-app')).toEqual({ member1: 5, member2: 5 });
  });

  it('a scale that moved since the read is a ConflictError, sent once and not retried', async () => {
    const read = await h.adapter.getScale(NS, TARGET);
    await h.adapter.patchScale(NS, TARGET, 4, read.resourceVersion); // someone else scaled
    const writes = h.sim.counters.scaleWrites.patch;
    const err = await h.adapter.patchScale(NS, TARGET, 6, read.resourceVersion).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).resource).toBe('apps/v1/deployments default/sample-app/scale');
    expect(h.sim.counters.scaleWrites.patch - writes).toBe(1);
    expect((await h.adapter.getScale(NS, TARGET)).replicas).toBe(4);
  });
});

describe('updateFederatedHPAStatus', () => {
  it('writes status through the status subresource; spec untouched', async () => {
    const fhpa = await h.adapter.getFederatedHPA(NS, 'sample-app');
    await h.adapter.updateFederatedHPAStatus(fhpa, status(3, { lastScaleTime: '2026-01-01T00:00:00Z' }));
    expect(h.seen()).toEqual([`GET ${FHPA_PATH} 200`, `PATCH ${FHPA_PATH}/status 200`]);
    const updated = await h.adapter.getFederatedHPA(NS, 'sample-app');
    expect(updated.status).toEqual(status(3, { lastScaleTime: '2026-01-01T00:00:00Z' }));
    expect(updated.spec).toEqual(fhpa.spec);
    expect(updated.metadata.generation).toBe(fhpa.metadata.generation);
  });

  it('removes status fields the new status does not have', async () => {
    const fhpa = await h.adapter.getFederatedHPA(NS, 'sample-app');
    await h.adapter.updateFederatedHPAStatus(fhpa, status(3, { lastScaleTime: '2026-01-01T00:00:00Z' }));
    const withTime = await h.adapter.getFederatedHPA(NS, 'sample-app');
    await h.adapter.updateFederatedHPAStatus(withTime, status(2));
    expect((await h.adapter.getFederatedHPA(NS, 'sample-app')).status).toEqual(status(2));
  });

  it('a stale object (409) is re-read and the status applied again', async () => {
    const stale = await h.adapter.getFederatedHPA(NS, 'sample-app');
    await h.adapter.updateFederatedHPASpec(stale, { maxReplicas: 11 }); // moves the resourceVersion
    h.resetSeen();
    await h.adapter.updateFederatedHPAStatus(stale, status(5));
    expect(h.seen()).toEqual([
      `PATCH ${FHPA_PATH}/status 409`,
      `GET ${FHPA_PATH} 200`,
      `PATCH ${FHPA_PATH}/status 200`,
    ]);
    const updated = await h.adapter.getFederatedHPA(NS, 'sample-app');
    expect([updated.status?.desiredReplicas, updated.spec.maxReplicas]).toEqual([5, 11]);
  });

  it('gives up with the ConflictError after 3 conflicting attempts', async () => {
    const fhpa = await h.adapter.getFederatedHPA(NS, 'sample-app');
    h.sim.faults.addRule({ method: 'PATCH', path: `${FHPA_PATH}/status`, conflictRate: 1 });
    const err = await h.adapter.updateFederatedHPAStatus(fhpa, status(5)).catch((e: unknown) => e);
    expect(isConflict(err)).toBe(true);
    expect(h.seen().filter((s) => s.startsWith('PATCH'))).toEqual(
      Array(3).fill(`PATCH ${FHPA_PATH}/status 409`),
    );
  });
});

describe('CronFederatedHPA status and FederatedHPA spec', () => {
  const cronPath = '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/cronfederatedhpas/nightly';
  const history = (next: string) => ({ executionHistories: [{ ruleName: 'down', nextExecutionTime: next }] });

  beforeAll(() => {
    h.sim.applyCronFederatedHPA({
      apiVersion: 'autoscaling.karmada.io/v1alpha1',
      kind: 'CronFederatedHPA',
      metadata: { name: 'nightly', namespace: NS },
      spec: { scaleTargetRef: TARGET, rules: [{ name: 'down', schedule: '0 22 * * *', targetReplicas: 2 }] },
    });
  });

  it('a guarded claim on a stale object is a ConflictError, not re-read', async () => {
    const cron = await h.adapter.getCronFederatedHPA(NS, 'nightly');
    const claimed = await h.adapter.updateCronFederatedHPAStatus(cron, history('2026-01-01T22:00:00Z'), {
      guarded: true,
    });
    expect(claimed.status).toEqual(history('2026-01-01T22:00:00Z'));
    h.resetSeen();
    const err = await h.adapter
      .updateCronFederatedHPAStatus(cron, history('2026-01-02T22:00:00Z'), { guarded: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(h.seen()).toEqual([`PATCH ${cronPath}/status 409`]);
  });

  it('an unguarded history write re-reads on conflict (last writer wins)', async () => {
    const stale = await h.adapter.getCronFederatedHPA(NS, 'nightly');
    await h.adapter.updateCronFederatedHPAStatus(stale, history('2026-01-03T22:00:00Z'));
    const written = await h.adapter.updateCronFederatedHPAStatus(stale, history('2026-01-04T22:00:00Z'));
    expect(written.status).toEqual(history('2026-01-04T22:00:00Z'));
  });

  it('sets min/max that differ, bumping generation; no change means no request', async () => {
    const fhpa = await h.adapter.getFederatedHPA(NS, 'sample-app');
    const changed = await h.adapter.updateFederatedHPASpec(fhpa, { minReplicas: 2, maxReplicas: 20 });
    expect([changed.spec.minReplicas, changed.spec.maxReplicas]).toEqual([2, 20]);
    expect(changed.metadata.generation).toBe((fhpa.metadata.generation ?? 0) + 1);
    expect(changed.spec.metrics).toEqual(fhpa.spec.metrics);
    h.resetSeen();
    const same = await h.adapter.updateFederatedHPASpec(changed, { minReplicas: 2 });
    expect(same).toBe(changed);
    expect(h.seen()).toEqual([]);
  });
});

describe('recordEvent', () => {
  const involved = {
    apiVersion: 'autoscaling.karmada.io/v1alpha1',
    kind: 'FederatedHPA',
    namespace: NS,
    name: 'sample-app',
  };
  const events = async () => {
    const res = await fetch(`${h.sim.url}/api/v1/namespaces/default/events`, {
      headers: { authorization: `Bearer ${h.sim.token}` },
    });
    return ((await res.json()) as { items: Record<string, unknown>[] }).items;
  };

  it('creates core/v1 Events; two in the same millisecond get distinct names', async () => {
    const now = Date.parse('2026-01-01T00:05:00.123Z');
    const before = (await events()).length;
    await h.adapter.recordEvent(
      involved,
      'Normal',
      'SuccessfulRescale',
      'New size: 10; reason: pods metric http_requests above target',
      now,
    );
    await h.adapter.recordEvent(involved, 'Warning', 'FailedGetPodsMetric', 'boom', now);
    const created = (await events()).slice(before);
    expect(created.map((e) => [e.reason, e.type, e.message, e.count, e.firstTimestamp, e.source])).toEqual([
      [
        'SuccessfulRescale',
        'Normal',
        'New size: 10; reason: pods metric http_requests above target',
        1,
        '2026-01-01T00:05:00Z',
        { component: 'fhpa' },
      ],
      ['FailedGetPodsMetric', 'Warning', 'boom', 1, '2026-01-01T00:05:00Z', { component: 'fhpa' }],
    ]);
    expect(created[0]?.involvedObject).toEqual(involved);
    const names = created.map((e) => (e.metadata as { name: string }).name);
    expect(new Set(names).size).toBe(2);
    expect(names[0]).toMatch(/^sample-app\.[0-9a-f]+$/);
  });

  it('never throws: a failed event goes to onWarning, sent once', async () => {
    h.sim.faults.addRule({
      method: 'POST',
      path: '/api/v1/namespaces/*/events',
      errorRate: 1,
      errorStatus: 500,
    });
    await expect(
      h.adapter.recordEvent(involved, 'Warning', 'FailedRescale', 'x', Date.now()),
    ).resolves.toBeUndefined();
    expect(h.warnings).toEqual([
      'event FailedRescale on FederatedHPA default/sample-app not recorded: create v1/events default: 500 InternalError: Internal error occurred: injected fault',
    ]);
    expect(h.seen()).toEqual(['POST /api/v1/namespaces/default/events 500']);
  });
});
