// The path Karmada takes when spec.behavior is omitted (normalizeDesiredReplicas, stabilizeRecommendation,
// convertDesiredReplicasWithRules in federatedhpa_controller.go): the highest recommendation of the last
// downscale-stabilization window (5 min) wins, and a scale-up is capped at max(2 × current, 4). No scale events.

import type { Limited } from './behavior.ts';
import type { TimestampedRecommendation } from './history-types.ts';

// scaleUpLimitFactor / scaleUpLimitMinimum (Kubernetes' unit tests raise the factor to 8; Karmada keeps 2).
export const SCALE_UP_LIMIT_FACTOR = 2;
export const SCALE_UP_LIMIT_MINIMUM = 4;

export interface LegacyStabilized {
  replicas: number;
  recommendations: TimestampedRecommendation[];
}

/**
 * max(desired, every recommendation newer than now − window); the desired count is recorded in the last slot
 * older than the window, else appended.
 */
export function stabilizeRecommendation(
  now: number,
  recommendations: TimestampedRecommendation[],
  desiredReplicas: number,
  windowMs: number,
): LegacyStabilized {
  const cutoff = now - windowMs;
  let max = desiredReplicas;
  let oldIndex = -1;
  recommendations.forEach((rec, i) => {
    if (rec.timestamp < cutoff) oldIndex = i;
    else if (rec.replicas > max) max = rec.replicas;
  });
  const recorded = [...recommendations];
  const entry = { timestamp: now, replicas: desiredReplicas };
  if (oldIndex >= 0) recorded[oldIndex] = entry;
  else recorded.push(entry);
  return { replicas: max, recommendations: recorded };
}

export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/** Clamp to [min, min(max, scaleUpLimit)] with the ScalingLimited reason upstream reports. */
export function convertDesiredReplicasWithRules(
  currentReplicas: number,
  desiredReplicas: number,
  minReplicas: number,
  maxReplicas: number,
): Limited {
  const limit = calculateScaleUpLimit(currentReplicas);
  const [maximum, reason, message] =
    maxReplicas > limit
      ? [limit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
      : [maxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  if (desiredReplicas < minReplicas) {
    return {
      replicas: minReplicas,
      reason: 'TooFewReplicas',
      message: 'the desired replica count is less than the minimum replica count',
    };
  }
  if (desiredReplicas > maximum) return { replicas: maximum, reason, message };
  return {
    replicas: desiredReplicas,
    reason: 'DesiredWithinRange',
    message: 'the desired count is within the acceptable range',
  };
}

export interface Normalized {
  replicas: number;
  recommendations: TimestampedRecommendation[];
  /** The AbleToScale condition (True) reason and message. */
  ableToScale: { reason: string; message: string };
  /** The ScalingLimited condition: True iff the limits changed the stabilized count. */
  limited: { status: 'True' | 'False'; reason: string; message: string };
}

/** normalizeDesiredReplicas: stabilize, then clamp, with the conditions upstream sets. */
export function normalizeLegacy(
  now: number,
  recommendations: TimestampedRecommendation[],
  currentReplicas: number,
  desiredReplicas: number,
  minReplicas: number,
  maxReplicas: number,
  windowMs: number,
): Normalized {
  const stabilized = stabilizeRecommendation(now, recommendations, desiredReplicas, windowMs);
  const limited = convertDesiredReplicasWithRules(
    currentReplicas,
    stabilized.replicas,
    minReplicas,
    maxReplicas,
  );
  return {
    replicas: limited.replicas,
    recommendations: stabilized.recommendations,
    ableToScale:
      stabilized.replicas !== desiredReplicas
        ? {
            reason: 'ScaleDownStabilized',
            message:
              'recent recommendations were higher than current one, applying the highest recent recommendation',
          }
        : { reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
    limited: {
      status: limited.replicas !== stabilized.replicas ? 'True' : 'False',
      reason: limited.reason,
      message: limited.message,
    },
  };
}
