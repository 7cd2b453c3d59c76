import { FALLBACK_AFTER, FALLBACK_REPLICAS, type FhpaAnnotations } from '../api/annotations.ts';
import type { FederatedHPASpec } from '../api/federatedhpa.ts';
import { setCondition } from '../engine/conditions.ts';
import type { History } from '../engine/history-types.ts';
import type { Decision } from '../engine/types.ts';

// The fallback annotation (KEDA's spec.fallback, as an opt-in annotation): after N evaluations in a row in
// which no metric could be computed, scale to a safe count. Without the annotation nothing changes: Kubernetes
// does not scale on missing metrics, and neither does fhpa. The count of failures lives in the stored history
// (History.metricFailures), since no evaluation outlives its invocation. Pure: the pipeline saves and applies
// what this returns.

export const FALLBACK_CONDITION = 'Fallback';

export interface FallbackResult {
  decision: Decision;
  /** Stored with the history: 0 after an evaluation that computed a metric. */
  metricFailures: number;
  /** True when this decision is the fallback's. */
  engaged: boolean;
}

/** No metric of the spec produced a proposal (all failed); a disabled target (0 replicas) is not a failure. */
export function noMetricComputed(decision: Decision): boolean {
  const recs = decision.metricRecommendations;
  return recs.length > 0 && recs.every((r) => 'error' in r);
}

export function applyFallback(
  decision: Decision,
  input: {
    stored: History;
    settings: FhpaAnnotations;
    spec: FederatedHPASpec;
    now: number;
  },
): FallbackResult {
  const failures = noMetricComputed(decision) ? (input.stored.metricFailures ?? 0) + 1 : 0;
  const target = input.settings.fallbackReplicas;
  const after = input.settings.fallbackAfter ?? 3;
  if (target === undefined || failures < after) {
    // The decision carries the previous status conditions: a Fallback condition is cleared only where one was set.
    const wasEngaged = decision.conditions.some((c) => c.type === FALLBACK_CONDITION && c.status === 'True');
    const conditions = wasEngaged
      ? setCondition(
          decision.conditions,
          {
            type: FALLBACK_CONDITION,
            status: 'False',
            reason: 'MetricsAvailable',
            message: 'a metric was computed again: scaling follows the metrics',
          },
          input.now,
        )
      : decision.conditions;
    return { decision: { ...decision, conditions }, metricFailures: failures, engaged: false };
  }
  // Never outside min/max (the webhook cannot check this: the spec may change after the annotation).
  const desired = Math.min(Math.max(target, input.spec.minReplicas ?? 1), input.spec.maxReplicas);
  const current = decision.currentReplicas;
  const rescale = desired !== current;
  const change = Math.abs(desired - current);
  // The change is recorded like any scale event, so the behavior policies count it once metrics return.
  const history: History =
    !rescale || !input.spec.behavior
      ? decision.history
      : desired > current
        ? {
            ...decision.history,
            scaleUpEvents: [
              ...decision.history.scaleUpEvents,
              { timestamp: input.now, replicaChange: change },
            ],
          }
        : {
            ...decision.history,
            scaleDownEvents: [
              ...decision.history.scaleDownEvents,
              { timestamp: input.now, replicaChange: change },
            ],
          };
  const message = `no metric could be computed in ${failures} evaluations in a row (${FALLBACK_AFTER}: ${after}): ${FALLBACK_REPLICAS} ${target}${desired !== target ? `, clamped to ${desired} by min/max` : ''}`;
  return {
    decision: {
      ...decision,
      desiredReplicas: desired,
      rescale,
      reason: `fallback: ${message}`,
      history,
      conditions: setCondition(
        decision.conditions,
        { type: FALLBACK_CONDITION, status: 'True', reason: 'FallbackReplicas', message },
        input.now,
      ),
    },
    metricFailures: failures,
    engaged: true,
  };
}
