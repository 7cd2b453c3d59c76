// The part of GetResourceReplicas and calcPlainMetricReplicas (replica_calculator.go) that both share: the
// fast path, and the conservative second pass over missing and unready pods ("don't flip direction").

import { isWithinTolerance, type Tolerance } from './defaults.ts';
import type { PodGroups, PodMetrics } from './pods.ts';
import { ceilReplicas } from './quantity.ts';

export interface RebalanceInput {
  currentReplicas: number;
  /** The usage ratio over ready pods' samples. */
  ratio: number;
  groups: PodGroups;
  /** Samples of ready pods (ignored and unready pods already removed); extended in place. */
  metrics: PodMetrics;
  /** Value a missing pod is assumed to use on a scale-down (milli-units), per pod key. */
  missingOnScaleDown: (podKey: string) => bigint;
  /** Recomputes the ratio over `metrics` after the missing/unready pods were filled in. */
  ratioOf: (metrics: PodMetrics) => { ok: true; ratio: number } | { ok: false; error: string };
  /** Karmada: sum(member replicas) / template replicas; every pod-derived count is divided by it. */
  calibration: number;
  tolerance: Tolerance;
}

export function rebalance(
  input: RebalanceInput,
): { ok: true; replicas: number } | { ok: false; error: string } {
  const { currentReplicas, ratio, groups, metrics, calibration, tolerance } = input;
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (isWithinTolerance(ratio, tolerance)) return { ok: true, replicas: currentReplicas };
    // Karmada: divide by the calibration so the count is in template replicas (federatedhpa-v2 proposal).
    return { ok: true, replicas: ceilReplicas((ratio * groups.readyPodCount) / calibration) };
  }

  if (groups.missing.size > 0) {
    if (ratio < 1) {
      // Scale-down: a pod without a sample is assumed to use its full share, so it holds the scale-down back.
      for (const key of groups.missing)
        metrics.set(key, { value: input.missingOnScaleDown(key), timestamp: 0, window: 0 });
    } else if (ratio > 1) {
      // Scale-up: a pod without a sample is assumed idle, so it dampens the scale-up.
      for (const key of groups.missing) metrics.set(key, { value: 0n, timestamp: 0, window: 0 });
    }
  }
  if (scaleUpWithUnready) {
    // Scale-up: unready pods are assumed idle (on a scale-down they simply stay out).
    for (const key of groups.unready) metrics.set(key, { value: 0n, timestamp: 0, window: 0 });
  }

  const again = input.ratioOf(metrics);
  if (!again.ok) return again;
  const newRatio = again.ratio;
  if (isWithinTolerance(newRatio, tolerance) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    // Too small a change, or the assumptions would flip the direction: keep the current count.
    return { ok: true, replicas: currentReplicas };
  }
  const newReplicas = ceilReplicas((newRatio * metrics.size) / calibration);
  if ((newRatio < 1 && newReplicas > currentReplicas) || (newRatio > 1 && newReplicas < currentReplicas)) {
    // More samples than replicas (e.g. maxSurge during a rollout) would move the count the wrong way.
    return { ok: true, replicas: currentReplicas };
  }
  return { ok: true, replicas: newReplicas };
}
