// Keeping the stored history small. Kubernetes keeps it in memory and reuses slots; fhpa stores it after every
// decision, so entries that can no longer influence a decision are dropped: recommendations older than the
// longest stabilization window in use, scale events older than the longest policy period of their direction.
// The entry recorded by this decision (timestamp = now) is always kept.

import { longestPolicyPeriod } from './behavior.ts';
import type { ResolvedBehavior } from './defaults.ts';
import type { History } from './history-types.ts';

/** The largest periodSeconds the validating webhook admits: the bound for events while behavior is unset. */
export const MAX_POLICY_PERIOD_SECONDS = 1800;

export function pruneHistory(
  history: History,
  now: number,
  behavior: ResolvedBehavior | undefined,
  downscaleStabilizationMs: number,
): History {
  const recommendationWindowMs = behavior
    ? Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds) *
      1000
    : downscaleStabilizationMs;
  const upPeriodMs = (behavior ? longestPolicyPeriod(behavior.scaleUp) : MAX_POLICY_PERIOD_SECONDS) * 1000;
  const downPeriodMs =
    (behavior ? longestPolicyPeriod(behavior.scaleDown) : MAX_POLICY_PERIOD_SECONDS) * 1000;
  return {
    recommendations: history.recommendations.filter((r) => r.timestamp >= now - recommendationWindowMs),
    scaleUpEvents: history.scaleUpEvents.filter((e) => e.timestamp >= now - upPeriodMs),
    scaleDownEvents: history.scaleDownEvents.filter((e) => e.timestamp >= now - downPeriodMs),
  };
}
