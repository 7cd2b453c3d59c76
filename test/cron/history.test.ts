import { describe, expect, it } from 'vitest';
import type { CronFederatedHPARule, ExecutionHistory } from '../../src/api/cronfederatedhpa.ts';
import { DEFAULT_HISTORY_LIMIT, formatTime, recordExecution } from '../../src/cron/history.ts';

const NOW = Date.parse('2026-03-01T10:00:07.450Z');
const rule = (extra: Partial<CronFederatedHPARule> = {}): CronFederatedHPARule => ({
  name: 'scale-up',
  schedule: '0 10 * * *',
  targetMinReplicas: 3,
  targetMaxReplicas: 9,
  ...extra,
});
const ok = { scheduleTime: 'x', executionTime: 'x' };
const failed = (m: string) => ({ scheduleTime: 'x', executionTime: 'x', message: m });
const entry = (h: Partial<ExecutionHistory> = {}): ExecutionHistory => ({
  ruleName: 'scale-up',
  nextExecutionTime: '2026-03-01T10:00:00Z',
  ...h,
});

describe('formatTime', () => {
  it('writes RFC 3339 in whole seconds, as metav1.Time', () => {
    expect(formatTime(NOW)).toBe('2026-03-01T10:00:07Z');
  });
});

describe('recordExecution (cronfederatedhpa_job.go#addSuccessExecutionHistory/addFailedExecutionHistory)', () => {
  it('prepends a success with the rule targets as applied values and sets the next time', () => {
    const status = { executionHistories: [entry({ successfulExecutions: [ok] })] };
    const got = recordExecution(
      status,
      rule(),
      { ok: true },
      '2026-03-01T10:00:00Z',
      NOW,
      '2026-03-02T10:00:00Z',
    );
    expect(got.executionHistories).toEqual([
      {
        ruleName: 'scale-up',
        nextExecutionTime: '2026-03-02T10:00:00Z',
        successfulExecutions: [
          {
            scheduleTime: '2026-03-01T10:00:00Z',
            executionTime: '2026-03-01T10:00:07Z',
            appliedMaxReplicas: 9,
            appliedMinReplicas: 3,
          },
          ok,
        ],
      },
    ]);
    // The input is left as it was.
    expect(status.executionHistories[0]?.successfulExecutions).toEqual([ok]);
  });

  it('records appliedReplicas for a workload rule', () => {
    const got = recordExecution(
      { executionHistories: [entry()] },
      { name: 'scale-up', schedule: '* * * * *', targetReplicas: 0 },
      { ok: true },
      's',
      NOW,
      'n',
    );
    expect(got.executionHistories?.[0]?.successfulExecutions).toEqual([
      { scheduleTime: 's', executionTime: '2026-03-01T10:00:07Z', appliedReplicas: 0 },
    ]);
  });

  it('prepends a failure with its message', () => {
    const got = recordExecution(
      { executionHistories: [entry()] },
      rule(),
      { ok: false, message: 'boom' },
      's',
      NOW,
      'n',
    );
    expect(got.executionHistories).toEqual([
      {
        ruleName: 'scale-up',
        nextExecutionTime: 'n',
        failedExecutions: [{ scheduleTime: 's', executionTime: '2026-03-01T10:00:07Z', message: 'boom' }],
      },
    ]);
  });

  // pkg/util/helper/cronfederatedhpa_test.go#TestGetCronFederatedHPASuccessHistoryLimits / ...FailedHistoryLimits:
  // unset → 3, custom → as set, 0 → 0 (which the job's [:limit-1] would panic on).
  it.each([
    { name: 'default limit keeps 3', limits: {}, kept: DEFAULT_HISTORY_LIMIT },
    { name: 'limit 5 keeps 5', limits: { successfulHistoryLimit: 5, failedHistoryLimit: 5 }, kept: 5 },
    {
      name: 'limit 1 keeps only the newest',
      limits: { successfulHistoryLimit: 1, failedHistoryLimit: 1 },
      kept: 1,
    },
  ])('$name, newest first', ({ limits, kept }) => {
    let status = { executionHistories: [entry()] };
    for (let i = 0; i < 7; i++) {
      status = recordExecution(status, rule(limits), { ok: true }, `s${i}`, NOW, 'n') as typeof status;
      status = recordExecution(
        status,
        rule(limits),
        { ok: false, message: `m${i}` },
        `s${i}`,
        NOW,
        'n',
      ) as typeof status;
    }
    const h = status.executionHistories[0]!;
    expect(h.successfulExecutions?.map((e) => e.scheduleTime)).toEqual(
      ['s6', 's5', 's4', 's3', 's2'].slice(0, kept),
    );
    expect(h.failedExecutions?.map((e) => e.message)).toEqual(['m6', 'm5', 'm4', 'm3', 'm2'].slice(0, kept));
  });

  it('failedHistoryLimit 0 keeps no failures (Karmada panics here) but still moves nextExecutionTime', () => {
    const status = { executionHistories: [entry({ failedExecutions: [failed('old')] })] };
    const got = recordExecution(
      status,
      rule({ failedHistoryLimit: 0 }),
      { ok: false, message: 'm' },
      's',
      NOW,
      'n2',
    );
    expect(got.executionHistories).toEqual([
      { ruleName: 'scale-up', nextExecutionTime: 'n2', failedExecutions: [] },
    ]);
  });

  it('does not record a rule whose history entry is gone', () => {
    const status = { executionHistories: [entry({ ruleName: 'other' })] };
    expect(recordExecution(status, rule(), { ok: true }, 's', NOW, 'n')).toEqual(status);
  });

  it('removes nextExecutionTime when there is no next instant', () => {
    const got = recordExecution({ executionHistories: [entry()] }, rule(), { ok: true }, 's', NOW, undefined);
    expect(got.executionHistories?.[0]).not.toHaveProperty('nextExecutionTime');
  });
});
