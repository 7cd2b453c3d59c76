import { describe, expect, it } from 'vitest';
import type {
  CronFederatedHPA,
  CronFederatedHPARule,
  ExecutionHistory,
} from '../../src/api/cronfederatedhpa.ts';
import { recordExecution } from '../../src/cron/history.ts';
import { type CronPlanOptions, formatDuration, planCronRun } from '../../src/cron/plan-run.ts';

const T = (iso: string) => Date.parse(iso);

function cronWith(rules: CronFederatedHPARule[], executionHistories?: ExecutionHistory[]): CronFederatedHPA {
  return {
    apiVersion: 'autoscaling.karmada.io/v1alpha1',
    kind: 'CronFederatedHPA',
    metadata: { name: 'cron', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, rules },
    ...(executionHistories ? { status: { executionHistories } } : {}),
  };
}
const rule = (
  name: string,
  schedule: string,
  extra: Partial<CronFederatedHPARule> = {},
): CronFederatedHPARule => ({
  name,
  schedule,
  targetReplicas: 3,
  ...extra,
});

/** One trigger invocation: plan, run every due rule successfully, record it. */
function tick(cron: CronFederatedHPA, now: number, opts?: CronPlanOptions) {
  const plan = planCronRun(cron, now, opts);
  let status = plan.status;
  for (const d of plan.due)
    status = recordExecution(status, d.rule, { ok: true }, d.scheduleTime, now, d.nextExecutionTime);
  return { cron: { ...cron, status }, plan };
}

/** Invocations every `stepMin` minutes from `from` to `to`; returns the schedule times that ran. */
function simulate(cron: CronFederatedHPA, from: string, to: string, stepMin: number, opts?: CronPlanOptions) {
  const ran: string[] = [];
  let c = cron;
  for (let now = T(from); now <= T(to); now += stepMin * 60_000) {
    const r = tick(c, now, opts);
    ran.push(...r.plan.due.map((d) => `${d.rule.name}@${d.scheduleTime}`));
    c = r.cron;
  }
  return ran;
}

describe('planCronRun: the life of a rule', () => {
  const daily = rule('morning', '0 10 * * *');

  it('a new rule gets a history entry with the next instant and does not run now (startsImmediately=false)', () => {
    const plan = planCronRun(cronWith([daily]), T('2026-03-01T10:00:00Z'));
    expect(plan).toEqual({
      status: { executionHistories: [{ ruleName: 'morning', nextExecutionTime: '2026-03-02T10:00:00Z' }] },
      due: [],
      problems: [],
      changed: true,
    });
  });

  it('is not due before its time, and nothing changes', () => {
    const cron = cronWith([daily], [{ ruleName: 'morning', nextExecutionTime: '2026-03-02T10:00:00Z' }]);
    const plan = planCronRun(cron, T('2026-03-02T09:59:59Z'));
    expect(plan.due).toEqual([]);
    expect(plan.changed).toBe(false);
    expect(plan.status.executionHistories).toEqual(cron.status?.executionHistories);
  });

  it('is due at its time; the plan already moves it to the next instant (claim before running)', () => {
    const cron = cronWith([daily], [{ ruleName: 'morning', nextExecutionTime: '2026-03-02T10:00:00Z' }]);
    const plan = planCronRun(cron, T('2026-03-02T10:00:20Z'));
    expect(plan.due).toEqual([
      {
        rule: daily,
        ruleIndex: 0,
        scheduleTime: '2026-03-02T10:00:00Z',
        nextExecutionTime: '2026-03-03T10:00:00Z',
      },
    ]);
    expect(plan.status.executionHistories).toEqual([
      { ruleName: 'morning', nextExecutionTime: '2026-03-03T10:00:00Z' },
    ]);
    expect(plan.changed).toBe(true);
  });

  it('runs once even when the trigger fires several times a minute', () => {
    const ran = simulate(
      cronWith([rule('every5', '*/5 * * * *')]),
      '2026-03-01T10:00:00Z',
      '2026-03-01T10:12:00Z',
      0.25,
    );
    expect(ran).toEqual(['every5@2026-03-01T10:05:00Z', 'every5@2026-03-01T10:10:00Z']);
  });

  it('runs once for several missed instants, standing for the latest (no catch-up)', () => {
    const cron = cronWith(
      [rule('q', '*/15 * * * *')],
      [{ ruleName: 'q', nextExecutionTime: '2026-03-01T10:00:00Z' }],
    );
    const plan = planCronRun(cron, T('2026-03-01T10:47:10Z'));
    expect(plan.due.map((d) => [d.scheduleTime, d.nextExecutionTime])).toEqual([
      ['2026-03-01T10:45:00Z', '2026-03-01T11:00:00Z'],
    ]);
  });

  it('finds the latest missed instant of a dense schedule after a long outage', () => {
    const cron = cronWith(
      [rule('m', '* * * * *')],
      [{ ruleName: 'm', nextExecutionTime: '2026-01-01T00:00:00Z' }],
    );
    const plan = planCronRun(cron, T('2026-03-01T10:47:10Z'));
    expect(plan.due.map((d) => [d.scheduleTime, d.nextExecutionTime])).toEqual([
      ['2026-03-01T10:47:00Z', '2026-03-01T10:48:00Z'],
    ]);
  });

  it('skips a run later than the starting deadline and records it as a failed execution', () => {
    const hourly = rule('hourly', '0 * * * *');
    const cron = cronWith([hourly], [{ ruleName: 'hourly', nextExecutionTime: '2026-03-01T10:00:00Z' }]);
    const plan = planCronRun(cron, T('2026-03-01T10:20:00Z'));
    expect(plan.due).toEqual([]);
    expect(plan.status.executionHistories).toEqual([
      {
        ruleName: 'hourly',
        nextExecutionTime: '2026-03-01T11:00:00Z',
        failedExecutions: [
          {
            scheduleTime: '2026-03-01T10:00:00Z',
            executionTime: '2026-03-01T10:20:00Z',
            message:
              'missed schedule time 2026-03-01T10:00:00Z by 20m0s, more than the starting deadline of 5m0s; not run',
          },
        ],
      },
    ]);
  });

  it.each([
    [{ startingDeadlineSeconds: 1800 }, 1],
    [{ startingDeadlineSeconds: Number.POSITIVE_INFINITY }, 1],
    [{ startingDeadlineSeconds: 60 }, 0],
  ])('with options %j a run 20 minutes late runs %i time(s)', (opts, runs) => {
    const cron = cronWith(
      [rule('hourly', '0 * * * *')],
      [{ ruleName: 'hourly', nextExecutionTime: '2026-03-01T10:00:00Z' }],
    );
    expect(planCronRun(cron, T('2026-03-01T10:20:00Z'), opts).due).toHaveLength(runs);
  });
});

describe('planCronRun: spec changes', () => {
  const now = T('2026-03-01T10:05:00Z');

  it('suspending removes nextExecutionTime and nothing runs, even when it was due', () => {
    const cron = cronWith(
      [rule('a', '0 10 * * *', { suspend: true })],
      [
        {
          ruleName: 'a',
          nextExecutionTime: '2026-03-01T10:00:00Z',
          successfulExecutions: [{ scheduleTime: 's', executionTime: 'e' }],
        },
      ],
    );
    const plan = planCronRun(cron, now);
    expect(plan.due).toEqual([]);
    expect(plan.status.executionHistories).toEqual([
      { ruleName: 'a', successfulExecutions: [{ scheduleTime: 's', executionTime: 'e' }] },
    ]);
  });

  it('a new suspended rule gets an entry without nextExecutionTime', () => {
    const plan = planCronRun(cronWith([rule('a', '0 10 * * *', { suspend: true })]), now);
    expect(plan.status.executionHistories).toEqual([{ ruleName: 'a' }]);
  });

  it('resuming schedules the next instant after now, without running the missed one', () => {
    const plan = planCronRun(
      cronWith([rule('a', '0 10 * * *', { suspend: false })], [{ ruleName: 'a' }]),
      now,
    );
    expect(plan.due).toEqual([]);
    expect(plan.status.executionHistories).toEqual([
      { ruleName: 'a', nextExecutionTime: '2026-03-02T10:00:00Z' },
    ]);
  });

  it('a rule removed from the spec loses its history; the others keep their order', () => {
    const histories = [
      { ruleName: 'a', nextExecutionTime: '2026-03-02T10:00:00Z' },
      { ruleName: 'gone', nextExecutionTime: '2026-03-02T10:00:00Z' },
      { ruleName: 'b', nextExecutionTime: '2026-03-02T10:00:00Z' },
    ];
    const plan = planCronRun(cronWith([rule('b', '0 10 * * *'), rule('a', '0 10 * * *')], histories), now);
    expect(plan.status.executionHistories?.map((h) => h.ruleName)).toEqual(['a', 'b']);
    expect(plan.changed).toBe(true);
  });

  it('renaming a rule is delete + add: the old history goes, the new one starts after now', () => {
    const histories = [
      {
        ruleName: 'old',
        nextExecutionTime: '2026-03-01T10:00:00Z',
        failedExecutions: [{ scheduleTime: 's', executionTime: 'e', message: 'm' }],
      },
    ];
    const plan = planCronRun(cronWith([rule('new', '0 10 * * *')], histories), now);
    expect(plan.due).toEqual([]);
    expect(plan.status.executionHistories).toEqual([
      { ruleName: 'new', nextExecutionTime: '2026-03-02T10:00:00Z' },
    ]);
  });

  it.each([
    {
      name: 'a changed schedule',
      r: rule('a', '30 10 * * *'),
      stored: '2026-03-02T10:00:00Z',
      want: '2026-03-01T10:30:00Z',
    },
    {
      name: 'a changed time zone',
      r: rule('a', '0 10 * * *', { timeZone: 'America/New_York' }),
      stored: '2026-03-02T10:00:00Z',
      want: '2026-03-01T15:00:00Z',
    },
    // The stored instant is one of the new schedule's instants but far beyond its next one.
    {
      name: 'yearly changed to every minute',
      r: rule('a', '* * * * *'),
      stored: '2027-01-01T00:00:00Z',
      want: '2026-03-01T10:06:00Z',
    },
    // A stored time that is already due but not an instant of the new schedule does not run.
    {
      name: 'a due time the new schedule would not produce',
      r: rule('a', '7 10 * * *'),
      stored: '2026-03-01T10:00:00Z',
      want: '2026-03-01T10:07:00Z',
    },
  ])('$name recomputes nextExecutionTime from now, without running', ({ r, stored, want }) => {
    const plan = planCronRun(cronWith([r], [{ ruleName: 'a', nextExecutionTime: stored }]), now);
    expect(plan.due).toEqual([]);
    expect(plan.status.executionHistories).toEqual([{ ruleName: 'a', nextExecutionTime: want }]);
  });

  it('a stored time the new schedule shares is kept', () => {
    const cron = cronWith(
      [rule('a', '0 */2 * * *')],
      [{ ruleName: 'a', nextExecutionTime: '2026-03-01T12:00:00Z' }],
    );
    expect(planCronRun(cron, now).changed).toBe(false);
  });

  it('rules without a time zone use defaultTimeZone (Karmada: the controller process zone)', () => {
    const plan = planCronRun(cronWith([rule('a', '0 10 * * *')]), now, { defaultTimeZone: 'Asia/Tokyo' });
    expect(plan.status.executionHistories).toEqual([
      { ruleName: 'a', nextExecutionTime: '2026-03-02T01:00:00Z' },
    ]);
  });
});

describe('planCronRun: problems are reported per rule, the other rules go on', () => {
  it('names the field of an unknown time zone, a bad schedule, a duplicate and a schedule that never fires', () => {
    const cron = cronWith(
      [
        rule('tz', '0 10 * * *', { timeZone: 'Mars/Olympus' }),
        rule('bad', '0 10 * *'),
        rule('ok', '0 10 * * *'),
        rule('ok', '0 11 * * *'),
        rule('never', '0 0 30 2 *'),
      ],
      [{ ruleName: 'tz', nextExecutionTime: '2026-03-01T10:00:00Z' }],
    );
    const plan = planCronRun(cron, T('2026-03-01T10:05:00Z'));
    expect(plan.problems).toEqual([
      { ruleName: 'tz', message: 'spec.rules[0].timeZone: unknown time zone Mars/Olympus' },
      {
        ruleName: 'bad',
        message:
          'spec.rules[1].schedule: expected 5 fields (minute hour day-of-month month day-of-week), found 4',
      },
      { ruleName: 'ok', message: 'spec.rules[3].name: Duplicate value: "ok"' },
      { ruleName: 'never', message: 'spec.rules[4].schedule: has no future instant' },
    ]);
    expect(plan.due).toEqual([]);
    expect(plan.status.executionHistories).toEqual([
      { ruleName: 'tz' },
      { ruleName: 'ok', nextExecutionTime: '2026-03-02T10:00:00Z' },
      { ruleName: 'never' },
    ]);
  });
});

describe('planCronRun across daylight saving time in America/New_York', () => {
  const ny = { timeZone: 'America/New_York' };
  it('9:00 local is 14:00Z before and 13:00Z after the spring change (2026-03-08)', () => {
    const ran = simulate(
      cronWith([rule('nine', '0 9 * * *', ny)]),
      '2026-03-06T00:00:00Z',
      '2026-03-10T00:00:00Z',
      10,
    );
    expect(ran).toEqual([
      'nine@2026-03-06T14:00:00Z',
      'nine@2026-03-07T14:00:00Z',
      'nine@2026-03-08T13:00:00Z',
      'nine@2026-03-09T13:00:00Z',
    ]);
  });

  it('02:30 local does not exist on 2026-03-08 and is skipped', () => {
    const ran = simulate(
      cronWith([rule('gap', '30 2 * * *', ny)]),
      '2026-03-06T00:00:00Z',
      '2026-03-10T00:00:00Z',
      10,
    );
    expect(ran).toEqual(['gap@2026-03-06T07:30:00Z', 'gap@2026-03-07T07:30:00Z', 'gap@2026-03-09T06:30:00Z']);
  });

  it('01:30 local happens twice on 2026-11-01 and runs twice (robfig/cron)', () => {
    const ran = simulate(
      cronWith([rule('twice', '30 1 * * *', ny)]),
      '2026-10-30T12:00:00Z',
      '2026-11-02T12:00:00Z',
      10,
    );
    expect(ran).toEqual([
      'twice@2026-10-31T05:30:00Z',
      'twice@2026-11-01T05:30:00Z',
      'twice@2026-11-01T06:30:00Z',
      'twice@2026-11-02T06:30:00Z',
    ]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [20 * 60_000, '20m0s'],
    [3_605_000, '1h0m5s'],
  ])('%i ms → %s (Go time.Duration)', (ms, want) => {
    expect(formatDuration(ms)).toBe(want);
  });
});
