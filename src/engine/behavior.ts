// spec.behavior: stabilization windows and scaling policies (normalizeDesiredReplicasWithBehaviors,
// stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules,
// calculateScaleDownLimitWithBehaviors, storeScaleEvent in Karmada's federatedhpa_controller.go, which uses both
// scale-up and scale-down events for each direction like current Kubernetes).

import type { ResolvedBehavior, ResolvedRules } from './defaults.ts';
import type { ScaleEvent, TimestampedRecommendation } from './history-types.ts';
import type { Normalized } from './legacy.ts';

const MAX_INT32 = 2147483647;
const MIN_INT32 = -2147483648;

export interface Stabilized {
  replicas: number;
  /** ScaleUpStabilized or ScaleDownStabilized (by the direction of desired vs current), and its message. */
  reason: string;
  message: string;
  /** The recommendations with the unstabilized desired count recorded. */
  recommendations: TimestampedRecommendation[];
}

/**
 * up = min(desired, recommendations inside the scale-up window), down = max(desired, those inside the
 * scale-down window), result = min(max(current, up), down): scale up only if every recent recommendation is
 * above current, down only if all are below. The unstabilized desired count is recorded in the last slot
 * older than both windows, else appended.
 */
export function stabilizeWithBehaviors(
  now: number,
  recommendations: TimestampedRecommendation[],
  currentReplicas: number,
  desiredReplicas: number,
  behavior: ResolvedBehavior,
): Stabilized {
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let up = desiredReplicas;
  let down = desiredReplicas;
  let oldIndex = -1;
  recommendations.forEach((rec, i) => {
    if (rec.timestamp > upCutoff) up = Math.min(rec.replicas, up);
    if (rec.timestamp > downCutoff) down = Math.max(rec.replicas, down);
    if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
  });
  const replicas = Math.min(Math.max(currentReplicas, up), down);

  const recorded = [...recommendations];
  const entry = { timestamp: now, replicas: desiredReplicas };
  if (oldIndex >= 0) recorded[oldIndex] = entry;
  else recorded.push(entry);

  // Like upstream, the reason names the direction of the desired change; the caller reports
  // ReadyForNewScale instead when stabilization changed nothing.
  return desiredReplicas >= currentReplicas
    ? {
        replicas,
        reason: 'ScaleUpStabilized',
        message:
          'recent recommendations were lower than current one, applying the lowest recent recommendation',
        recommendations: recorded,
      }
    : {
        replicas,
        reason: 'ScaleDownStabilized',
        message:
          'recent recommendations were higher than current one, applying the highest recent recommendation',
        recommendations: recorded,
      };
}

export interface Limited {
  replicas: number;
  reason: string;
  message: string;
}

export interface RateInput {
  now: number;
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  behavior: ResolvedBehavior;
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

/** Clamp the stabilized count by the policies of its direction and by min/max replicas. */
export function convertWithBehaviorRate(a: RateInput): Limited {
  if (a.desiredReplicas > a.currentReplicas) {
    const limit = Math.max(
      scaleUpLimit(a.now, a.currentReplicas, a.scaleUpEvents, a.scaleDownEvents, a.behavior.scaleUp),
      a.currentReplicas,
    );
    const [bound, reason, message] =
      a.maxReplicas > limit
        ? [
            limit,
            'ScaleUpLimit',
            'the desired replica count is increasing faster than the maximum scale rate',
          ]
        : [
            a.maxReplicas,
            'TooManyReplicas',
            'the desired replica count is more than the maximum replica count',
          ];
    if (a.desiredReplicas > bound) return { replicas: bound, reason, message };
  } else if (a.desiredReplicas < a.currentReplicas) {
    const limit = Math.min(
      scaleDownLimit(a.now, a.currentReplicas, a.scaleUpEvents, a.scaleDownEvents, a.behavior.scaleDown),
      a.currentReplicas,
    );
    const [bound, reason, message] =
      a.minReplicas < limit
        ? [
            limit,
            'ScaleDownLimit',
            'the desired replica count is decreasing faster than the maximum scale rate',
          ]
        : [
            a.minReplicas,
            'TooFewReplicas',
            'the desired replica count is less than the minimum replica count',
          ];
    if (a.desiredReplicas < bound) return { replicas: bound, reason, message };
  }
  return {
    replicas: a.desiredReplicas,
    reason: 'DesiredWithinRange',
    message: 'the desired count is within the acceptable range',
  };
}

/** Σ replicaChange of the events strictly inside the last periodSeconds (getReplicasChangePerPeriod). */
export function replicasChangePerPeriod(now: number, periodSeconds: number, events: ScaleEvent[]): number {
  const cutoff = now - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.timestamp > cutoff ? sum + e.replicaChange : sum), 0);
}

const int32 = (x: number) => Math.max(MIN_INT32, Math.min(MAX_INT32, x));

/** calculateScaleUpLimitWithScalingRules: Max picks the largest allowed count, Min the smallest. */
export function scaleUpLimit(
  now: number,
  current: number,
  upEvents: ScaleEvent[],
  downEvents: ScaleEvent[],
  rules: ResolvedRules,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? MAX_INT32 : MIN_INT32;
  for (const p of rules.policies) {
    const start =
      current -
      replicasChangePerPeriod(now, p.periodSeconds, upEvents) +
      replicasChangePerPeriod(now, p.periodSeconds, downEvents);
    const proposed =
      p.type === 'Pods' ? start + p.value : p.type === 'Percent' ? Math.ceil(start * (1 + p.value / 100)) : 0;
    result = pickMin ? Math.min(result, int32(proposed)) : Math.max(result, int32(proposed));
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: Max picks the smallest allowed count (largest change), Min the largest. */
export function scaleDownLimit(
  now: number,
  current: number,
  upEvents: ScaleEvent[],
  downEvents: ScaleEvent[],
  rules: ResolvedRules,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMax = rules.selectPolicy === 'Min';
  let result = pickMax ? MIN_INT32 : MAX_INT32;
  for (const p of rules.policies) {
    const start =
      current -
      replicasChangePerPeriod(now, p.periodSeconds, upEvents) +
      replicasChangePerPeriod(now, p.periodSeconds, downEvents);
    // int32(float) truncates toward zero; the result can be negative
    const proposed =
      p.type === 'Pods'
        ? start - p.value
        : p.type === 'Percent'
          ? Math.trunc(start * (1 - p.value / 100))
          : 0;
    result = pickMax ? Math.max(result, int32(proposed)) : Math.min(result, int32(proposed));
  }
  return result;
}

export function longestPolicyPeriod(rules: ResolvedRules): number {
  return rules.policies.reduce((m, p) => Math.max(m, p.periodSeconds), 0);
}

/**
 * storeScaleEvent: record |Δ| in the direction's list, reusing the last slot older than that direction's
 * longest policy period, else appending. Returns the new list.
 */
export function recordScaleEvent(
  now: number,
  events: ScaleEvent[],
  change: number,
  rules: ResolvedRules,
): ScaleEvent[] {
  const cutoff = now - longestPolicyPeriod(rules) * 1000;
  let oldIndex = -1;
  events.forEach((e, i) => {
    if (e.timestamp < cutoff) oldIndex = i;
  });
  const out = [...events];
  const entry = { timestamp: now, replicaChange: change };
  if (oldIndex >= 0) out[oldIndex] = entry;
  else out.push(entry);
  return out;
}

/** normalizeDesiredReplicasWithBehaviors: stabilize, then apply the rate limits, with upstream's conditions. */
export function normalizeWithBehaviors(
  now: number,
  history: {
    recommendations: TimestampedRecommendation[];
    scaleUpEvents: ScaleEvent[];
    scaleDownEvents: ScaleEvent[];
  },
  currentReplicas: number,
  desiredReplicas: number,
  minReplicas: number,
  maxReplicas: number,
  behavior: ResolvedBehavior,
): Normalized {
  const stabilized = stabilizeWithBehaviors(
    now,
    history.recommendations,
    currentReplicas,
    desiredReplicas,
    behavior,
  );
  const limited = convertWithBehaviorRate({
    now,
    currentReplicas,
    desiredReplicas: stabilized.replicas,
    minReplicas,
    maxReplicas,
    behavior,
    scaleUpEvents: history.scaleUpEvents,
    scaleDownEvents: history.scaleDownEvents,
  });
  return {
    replicas: limited.replicas,
    recommendations: stabilized.recommendations,
    ableToScale:
      stabilized.replicas !== desiredReplicas
        ? { reason: stabilized.reason, message: stabilized.message }
        : { reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
    limited: {
      status: limited.replicas !== stabilized.replicas ? 'True' : 'False',
      reason: limited.reason,
      message: limited.message,
    },
  };
}
