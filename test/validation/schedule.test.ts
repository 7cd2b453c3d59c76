import { describe, expect, it } from 'vitest';
import { isValidTimeZone, parseSchedule } from '../../src/cron/schedule.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
function runs(expr: string, tz: string | undefined, from: string, n: number): (string | undefined)[] {
  const s = parseSchedule(expr, tz);
  if (!s.ok) throw new Error(s.message);
  const out: (string | undefined)[] = [];
  let t = Date.parse(from);
  for (let i = 0; i < n; i++) {
    const next = s.next(t);
    out.push(iso(next));
    if (next === undefined) break;
    t = next;
  }
  return out;
}

describe('parseSchedule: accepts what both gronx (webhook) and robfig/cron (controller) accept', () => {
  it.each([
    ['0 0 13 * 5'], // karmada pkg/webhook/cronfederatedhpa/validating_test.go#Test_validateCronFederatedHPASpec/normal Deployment
    ['*/15 * * * *'],
    ['0 9-17/2 * * MON-FRI'],
    ['30 8 1,15 jan,Jul ?'],
    ['5/20 * * * *'],
    ['@yearly'],
    ['@annually'],
    ['@monthly'],
    ['@weekly'],
    ['@daily'],
    ['@hourly'],
    ['  0 0 * * *\t'],
  ])('accepts %j', (expr) => {
    expect(parseSchedule(expr).ok).toBe(true);
  });

  it.each([
    ['0 0 13 *', 'expected 5 fields (minute hour day-of-month month day-of-week), found 4'], // ...#invalid cron
    [
      '0 0 0 13 * 5',
      "expected 5 fields (minute hour day-of-month month day-of-week), found 6: Karmada's controller refuses seconds and years",
    ],
    ['0 0 L * *', 'day-of-month "L": L, W and # are not supported by Karmada\'s controller'],
    ['0 0 * * 5#2', 'day-of-week "5#2": L, W and # are not supported by Karmada\'s controller'],
    ['0 0 * * 7', 'day-of-week value 7 is outside 0-6'],
    ['60 * * * *', 'minute value 60 is outside 0-59'],
    ['0 0 0 * *', 'day-of-month value 0 is outside 1-31'],
    ['*/0 * * * *', 'minute "*/0": the step must be a positive integer'],
    ['5-1 * * * *', 'minute range "5-1" ends before it starts'],
    ['1,,2 * * * *', 'minute "1,,2" has an empty list element'],
    ['?/5 * * * *', 'minute "?/5": use "*/" for a step'],
    ['0 MON * * *', 'hour "MON" is not a number'],
    [
      '@always',
      'unknown descriptor "@always": supported are @yearly, @annually, @monthly, @weekly, @daily, @hourly',
    ],
    [
      '@Daily',
      'unknown descriptor "@Daily": supported are @yearly, @annually, @monthly, @weekly, @daily, @hourly',
    ],
    ['@midnight', '"@midnight" is not supported by Karmada\'s webhook (gronx): use "@daily"'],
    [
      '@every 1h',
      '"@every" is not supported: Karmada\'s webhook (gronx) refuses it, and its instants depend on when the rule started',
    ],
    ['CRON_TZ=UTC 0 0 * * *', "a TZ= prefix is not supported: set the rule's timeZone instead"],
    ['', 'schedule is empty'],
  ])('refuses %j: %s', (expr, message) => {
    expect(parseSchedule(expr)).toEqual({ ok: false, message });
  });

  it("refuses an unknown time zone with Go's message", () => {
    expect(parseSchedule('0 0 * * *', 'A/B')).toEqual({ ok: false, message: 'unknown time zone A/B' });
  });
});

describe('parseSchedule: next instants as robfig/cron computes them', () => {
  it('is strictly after the given instant', () => {
    expect(runs('*/15 * * * *', 'UTC', '2026-01-01T00:15:00Z', 2)).toEqual([
      '2026-01-01T00:30:00.000Z',
      '2026-01-01T00:45:00.000Z',
    ]);
  });

  it('reads N/step as N-max/step', () => {
    expect(runs('50/5 * * * *', undefined, '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T00:50:00.000Z',
      '2026-01-01T00:55:00.000Z',
      '2026-01-01T01:50:00.000Z',
    ]);
  });

  it('ORs day-of-month and day-of-week when both are restricted', () => {
    // 1 Jan 2026 is a Thursday: the 15th or any Monday.
    expect(runs('0 0 15 * 1', 'UTC', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-05T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
      '2026-01-15T00:00:00.000Z',
    ]);
  });

  it('ANDs them when either is a star, including */1', () => {
    expect(runs('0 0 */1 * 1', 'UTC', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-05T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
    ]);
  });

  it('computes in the rule time zone', () => {
    expect(runs('0 9 * * *', 'Asia/Tokyo', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-02T00:00:00.000Z']);
  });

  it('skips a wall time that a spring-forward DST change removes (America/New_York, 8 March 2026)', () => {
    expect(runs('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 3)).toEqual([
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
      '2026-03-11T06:30:00.000Z',
    ]);
  });

  it('fires twice on a wall time that a fall-back DST change repeats (America/New_York, 1 November 2026)', () => {
    expect(runs('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 3)).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('keeps the UTC offset change for a daily run across Europe/Berlin spring-forward (29 March 2026)', () => {
    expect(runs('0 3 * * *', 'Europe/Berlin', '2026-03-28T00:00:00Z', 2)).toEqual([
      '2026-03-28T02:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
    ]);
  });

  it('finds 29 February and has no instant for 30 February', () => {
    expect(runs('0 0 29 2 *', 'UTC', '2026-01-01T00:00:00Z', 1)).toEqual(['2028-02-29T00:00:00.000Z']);
    expect(runs('0 0 30 2 *', 'UTC', '2026-01-01T00:00:00Z', 1)).toEqual([undefined]);
  });
});

describe("isValidTimeZone: what Go's time.LoadLocation loads", () => {
  it.each([
    ['', true],
    ['UTC', true],
    ['Local', true],
    ['Europe/Paris', true],
    ['US/Eastern', true],
    ['Asia/Kolkata', true],
    ['A/B', false], // karmada ...cronfederatedhpa/validating_test.go#Test_validateCronFederatedHPASpec/invalid timezone
    ['europe/paris', false],
    ['utc', false],
    ['+05:00', false],
  ])('%j → %s', (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid);
  });
});
