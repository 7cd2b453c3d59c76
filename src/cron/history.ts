import type { CronFederatedHPARule, ExecutionHistory } from '../api/cronfederatedhpa.ts';

// The execution history Karmada keeps in CronFederatedHPA status (karmada pkg/controllers/cronfederatedhpa/
// cronfederatedhpa_job.go#addSuccessExecutionHistory / addFailedExecutionHistory). fhpa keeps it the
// same way, and it is also fhpa's only memory between invocations: nextExecutionTime says when a rule
// is due next.

export type CronFederatedHPAStatus = { executionHistories?: ExecutionHistory[] };

/** What executing a rule came to: success, or a failure with the message to record. */
export type ExecutionResult = { ok: true } | { ok: false; message: string };

/** pkg/util/helper/cronfederatedhpa.go#DefaultHistoryLimit. */
export const DEFAULT_HISTORY_LIMIT = 3;

/** metav1.Time as the API server writes it: RFC 3339, whole seconds, UTC. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Newest first, at most `limit` entries. */
function prepend<T>(entry: T, list: T[] | undefined, limit: number): T[] {
  // Karmada truncates to limit-1 and then prepends, which with failedHistoryLimit 0 (allowed by the
  // CRD) slices [:-1] and panics. fhpa reads 0 as "keep none".
  if (limit <= 0) return [];
  return [entry, ...(list ?? []).slice(0, limit - 1)];
}

/**
 * Record the outcome of one execution of `rule`: a successful entry carries the rule's targets as
 * applied* (Karmada records the rule's values, whether or not they changed anything); a failed one
 * carries the message. Both set nextExecutionTime. A rule whose history entry is gone (removed from
 * the spec meanwhile) is not recorded, as in Karmada. Returns a new status; the input is not changed.
 */
export function recordExecution(
  status: CronFederatedHPAStatus | undefined,
  rule: CronFederatedHPARule,
  result: ExecutionResult,
  scheduleTime: string,
  now: number,
  nextExecutionTime: string | undefined,
): CronFederatedHPAStatus {
  const histories = status?.executionHistories ?? [];
  const index = histories.findIndex((h) => h.ruleName === rule.name);
  if (index < 0) return { ...status, executionHistories: histories };
  const h = histories[index]!;
  const executionTime = formatTime(now);
  let updated: ExecutionHistory;
  if (result.ok) {
    const entry = {
      scheduleTime,
      executionTime,
      ...(rule.targetReplicas === undefined ? {} : { appliedReplicas: rule.targetReplicas }),
      ...(rule.targetMaxReplicas === undefined ? {} : { appliedMaxReplicas: rule.targetMaxReplicas }),
      ...(rule.targetMinReplicas === undefined ? {} : { appliedMinReplicas: rule.targetMinReplicas }),
    };
    const limit = rule.successfulHistoryLimit ?? DEFAULT_HISTORY_LIMIT;
    updated = { ...h, successfulExecutions: prepend(entry, h.successfulExecutions, limit) };
  } else {
    const entry = { scheduleTime, executionTime, message: result.message };
    const limit = rule.failedHistoryLimit ?? DEFAULT_HISTORY_LIMIT;
    updated = { ...h, failedExecutions: prepend(entry, h.failedExecutions, limit) };
  }
  updated = withNextExecutionTime(updated, nextExecutionTime);
  return { ...status, executionHistories: histories.map((x, i) => (i === index ? updated : x)) };
}

/** nextExecutionTime set, or removed (a suspended rule has none). */
export function withNextExecutionTime(h: ExecutionHistory, next: string | undefined): ExecutionHistory {
  const { nextExecutionTime: _, ...rest } = h;
  return next === undefined ? rest : { ...rest, nextExecutionTime: next };
}
