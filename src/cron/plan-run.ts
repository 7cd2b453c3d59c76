import type { CronFederatedHPA, CronFederatedHPARule, ExecutionHistory } from '../api/cronfederatedhpa.ts';
import {
  type CronFederatedHPAStatus,
  formatTime,
  recordExecution,
  withNextExecutionTime,
} from './history.ts';
import { isValidTimeZone, parseSchedule } from './schedule.ts';

// Which CronFederatedHPA rules are due, for a trigger that fires every minute or so instead of Karmada's
// long-running gocron schedulers (karmada pkg/controllers/cronfederatedhpa/cronfederatedhpa_controller.go
// #processCronRule/updateRuleHistory, cronfederatedhpa_handler.go). All state lives in
// status.executionHistories[].nextExecutionTime, so any invocation can pick up where the last left off.
//
// Rules, in Karmada's terms:
// - new rule: a history entry with nextExecutionTime = first instant after now; no run now
//   (gocron startsImmediately=false);
// - suspended: nextExecutionTime removed; resumed: next instant after now;
// - removed from the spec: its history entry removed;
// - schedule or time zone changed: next instant after now (Karmada restarts the rule's executor);
// - nextExecutionTime ≤ now: due, once, however many instants were missed (no catch-up). The run
//   stands for the latest missed instant; if that is more than startingDeadlineSeconds ago the run is
//   skipped and recorded as a failed execution (Karmada has no deadline: its scheduler is never late).

export interface CronPlanOptions {
  /** Zone for rules without timeZone; Karmada uses the controller process's zone. Default UTC. */
  defaultTimeZone?: string;
  /** A run found later than this after its instant is skipped; Infinity never skips. Default 300 (5 min). */
  startingDeadlineSeconds?: number;
}

export const DEFAULT_STARTING_DEADLINE_SECONDS = 300;

export interface DueRule {
  rule: CronFederatedHPARule;
  /** Index in spec.rules, for the order of rules firing together (due-order.ts). */
  ruleIndex: number;
  /** The instant this run stands for (RFC 3339). */
  scheduleTime: string;
  /** To record with the outcome; absent when the schedule has no later instant. */
  nextExecutionTime?: string;
}

export interface CronRunPlan {
  /**
   * The status to write: histories added, removed and rescheduled, skipped runs recorded, and due rules
   * already moved to their next instant. Writing it (with the object's resourceVersion) before running
   * the due rules claims them: a concurrent invocation then gets a conflict instead of running them twice.
   */
  status: CronFederatedHPAStatus;
  /** Rules to run now, in spec order. */
  due: DueRule[];
  /** Rules that cannot be scheduled, with the field and reason. */
  problems: { ruleName: string; message: string }[];
  /** Whether status differs from the object's. */
  changed: boolean;
}

interface Schedule {
  next(afterMs: number): number | null | undefined;
}

/** First instant strictly after `t`, tolerant of a next() that may return `t` itself. */
function nextAfter(s: Schedule, t: number): number | undefined {
  let n = s.next(t);
  if (typeof n === 'number' && n <= t) n = s.next(t + 1);
  return typeof n === 'number' && n > t ? n : undefined;
}

/**
 * The latest instant ≤ now, starting from `stored` (an instant ≤ now). Looks back from now over doubling
 * windows first, so a long outage of a dense schedule costs a few calls, not one per missed instant.
 */
function latestInstant(s: Schedule, stored: number, now: number): number {
  let latest = stored;
  for (let w = 60_000; now - w > latest; w *= 2) {
    const n = nextAfter(s, now - w);
    if (n !== undefined && n <= now) {
      latest = Math.max(latest, n);
      break;
    }
  }
  for (let i = 0; i < 1000; i++) {
    const n = nextAfter(s, latest);
    if (n === undefined || n > now) break;
    latest = n;
  }
  return latest;
}

/** Go's time.Duration.String() for whole seconds, e.g. "7m30s", "1h0m5s". */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

/** Decide, for `now`, which rules of `cron` are due and what its status becomes. */
export function planCronRun(cron: CronFederatedHPA, now: number, opts: CronPlanOptions = {}): CronRunPlan {
  const deadlineMs = (opts.startingDeadlineSeconds ?? DEFAULT_STARTING_DEADLINE_SECONDS) * 1000;
  const rules = cron.spec.rules;
  const inSpec = new Set(rules.map((r) => r.name));
  const before = cron.status?.executionHistories ?? [];
  // Removed rules lose their history (controller.go#removeCronFHPAHistory); first entry per name wins.
  let histories: ExecutionHistory[] = before.filter(
    (h, i) => inSpec.has(h.ruleName) && before.findIndex((x) => x.ruleName === h.ruleName) === i,
  );
  let status: CronFederatedHPAStatus = { ...cron.status, executionHistories: histories };
  const due: DueRule[] = [];
  const problems: CronRunPlan['problems'] = [];
  const seen = new Set<string>();

  const setNext = (name: string, next: number | undefined) => {
    const fresh = !histories.some((h) => h.ruleName === name);
    const base = fresh ? [...histories, { ruleName: name }] : histories;
    histories = base.map((h) =>
      h.ruleName === name ? withNextExecutionTime(h, next === undefined ? undefined : formatTime(next)) : h,
    );
    status = { ...status, executionHistories: histories };
  };

  for (const [ruleIndex, rule] of rules.entries()) {
    if (seen.has(rule.name)) {
      problems.push({
        ruleName: rule.name,
        message: `spec.rules[${ruleIndex}].name: Duplicate value: "${rule.name}"`,
      });
      continue;
    }
    seen.add(rule.name);
    if (rule.suspend === true) {
      setNext(rule.name, undefined);
      continue;
    }
    const zone = rule.timeZone ?? opts.defaultTimeZone ?? 'UTC';
    const parsed = isValidTimeZone(zone)
      ? parseSchedule(rule.schedule, zone)
      : { ok: false as const, message: `unknown time zone ${zone}` };
    if (!parsed.ok) {
      // Karmada fails the reconcile (StartRuleFailed) and stops the rule; fhpa reports the rule, stops
      // it (no nextExecutionTime) and carries on with the others.
      const field = isValidTimeZone(zone) ? 'schedule' : 'timeZone';
      problems.push({ ruleName: rule.name, message: `spec.rules[${ruleIndex}].${field}: ${parsed.message}` });
      if (histories.some((h) => h.ruleName === rule.name)) setNext(rule.name, undefined);
      continue;
    }
    const schedule: Schedule = parsed;
    const upcoming = nextAfter(schedule, now);
    const storedText = histories.find((h) => h.ruleName === rule.name)?.nextExecutionTime;
    const stored = storedText === undefined ? undefined : Date.parse(storedText);
    // A stored time this schedule would not produce (not one of its instants, or later than its next
    // one) means the schedule or zone changed since it was computed.
    const consistent =
      stored !== undefined &&
      nextAfter(schedule, stored - 1) === stored &&
      (upcoming === undefined || stored <= upcoming);
    if (!consistent || stored === undefined) {
      setNext(rule.name, upcoming);
      if (upcoming === undefined) {
        problems.push({
          ruleName: rule.name,
          // Worded without the time, so the same rule is the same failure on every tick (one Event, events.ts).
          message: `spec.rules[${ruleIndex}].schedule: has no future instant`,
        });
      }
      continue;
    }
    if (stored > now) continue;

    const scheduleTime = latestInstant(schedule, stored, now);
    const next = upcoming === undefined ? undefined : formatTime(upcoming);
    if (now - scheduleTime > deadlineMs) {
      const message = `missed schedule time ${formatTime(scheduleTime)} by ${formatDuration(now - scheduleTime)}, more than the starting deadline of ${formatDuration(deadlineMs)}; not run`;
      status = recordExecution(status, rule, { ok: false, message }, formatTime(scheduleTime), now, next);
      histories = status.executionHistories ?? [];
      continue;
    }
    setNext(rule.name, upcoming);
    due.push({
      rule,
      ruleIndex,
      scheduleTime: formatTime(scheduleTime),
      ...(next === undefined ? {} : { nextExecutionTime: next }),
    });
  }

  const changed =
    JSON.stringify(status.executionHistories) !== JSON.stringify(cron.status?.executionHistories ?? []);
  return { status, due, problems, changed };
}
