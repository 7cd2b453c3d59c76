// Keeping the stored history small. Kubernetes keeps it in memory and reuses slots; fhpa stores it after every
// decision, so entries that can no longer influence a decision are dropped: recommendations older than the
// longest stabilization window in use, and scale events older than the longest policy period of either
// direction: both limits read both lists (a scale-up's limit starts from current - added + removed within the
// scale-up policy's period), so a scale-down 45 s ago still counts for a 60 s scale-up policy even when the
// scale-down policies look back only 30 s. The entry recorded by this decision (timestamp = now) is always kept.

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
  const eventPeriodMs =
    (behavior
      ? Math.max(longestPolicyPeriod(behavior.scaleUp), longestPolicyPeriod(behavior.scaleDown))
      : MAX_POLICY_PERIOD_SECONDS) * 1000;
  return {
    recommendations: history.recommendations.filter((r) => r.timestamp >= now - recommendationWindowMs),
    scaleUpEvents: history.scaleUpEvents.filter((e) => e.timestamp >= now - eventPeriodMs),
    scaleDownEvents: history.scaleDownEvents.filter((e) => e.timestamp >= now - eventPeriodMs),
    ...(history.idleSince !== undefined ? { idleSince: history.idleSince } : {}),
  };
}
