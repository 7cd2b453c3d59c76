import { FALLBACK_AFTER, FALLBACK_REPLICAS, type FhpaAnnotations } from '../api/annotations.ts';
import { setCondition } from '../engine/conditions.ts';
import { decide } from '../engine/decide.ts';
import type { Decision, EngineInput } from '../engine/types.ts';

// The fallback annotation (KEDA's spec.fallback, as an opt-in annotation): after N evaluations in a row in
// which no metric could be computed, the fallback count becomes the proposal. As in KEDA, where the fallback
// count reaches the HPA as a metric value, it then goes through the stabilization windows, the behavior
// policies and min/max like any proposal: a fallback never jumps past a policy and never leaves min/max.
// Without the annotation nothing changes: Kubernetes does not scale on missing metrics, and neither does fhpa.
// The count of failures lives in the stored history (History.metricFailures), since no evaluation outlives
// its invocation.

export const FALLBACK_CONDITION = 'Fallback';

export interface FallbackResult {
  decision: Decision;
  /** Stored with the history: 0 after an evaluation that computed a metric. */
  metricFailures: number;
  /** True when the fallback count was the proposal. */
  engaged: boolean;
}

/** No metric of the spec produced a proposal (all failed); a disabled target (0 replicas) is not a failure. */
export function noMetricComputed(decision: Decision): boolean {
  const recs = decision.metricRecommendations;
  return recs.length > 0 && recs.every((r) => 'error' in r);
}

export function decideWithFallback(input: EngineInput, settings: FhpaAnnotations): FallbackResult {
  const first = decide(input);
  const failures = noMetricComputed(first) ? (input.history.metricFailures ?? 0) + 1 : 0;
  const target = settings.fallbackReplicas;
  const after = settings.fallbackAfter ?? 3;
  if (target === undefined || failures < after) {
    // The decision carries the previous status conditions: a Fallback condition is cleared only where one was set.
    const wasEngaged = first.conditions.some((c) => c.type === FALLBACK_CONDITION && c.status === 'True');
    const conditions = wasEngaged
      ? setCondition(
          first.conditions,
          {
            type: FALLBACK_CONDITION,
            status: 'False',
            reason: 'MetricsAvailable',
            message: 'a metric was computed again: scaling follows the metrics',
          },
          input.now,
        )
      : first.conditions;
    return { decision: { ...first, conditions }, metricFailures: failures, engaged: false };
  }
  const message = `no metric could be computed in ${failures} evaluations in a row (${FALLBACK_AFTER}: ${after}): proposing ${FALLBACK_REPLICAS} ${target}`;
  const decision = decide({ ...input, fallback: { replicas: target, reason: `fallback: ${message}` } });
  return {
    decision: {
      ...decision,
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
