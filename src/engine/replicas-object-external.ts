// Object and External metrics (replica_calculator.go GetObjectMetricReplicas, GetObjectPerPodMetricReplicas,
// GetExternalMetricReplicas, GetExternalPerPodMetricReplicas, getUsageRatioReplicaCount), with Karmada's
// calibration. Karmada rejects External metrics; fhpa supports them like Kubernetes does.

import { isWithinTolerance, type Tolerance } from './defaults.ts';
import { readyPodsCount } from './pods.ts';
import { ceilReplicas, MAX_INT64 } from './quantity.ts';
import type { PodInfo } from './types.ts';

export type CountResult = { ok: true; replicas: number } | { ok: false; error: string };

/**
 * A Value target (Object or External): ratio = value / target. From zero replicas the count is ceil(ratio)
 * with no tolerance and no pods (scale from zero); otherwise ceil(ratio × ready pods / calibration), where ready
 * pods are Running with Ready=True (no CPU rules, no grouping).
 */
export function valueTargetReplicas(
  currentReplicas: number,
  value: bigint,
  target: bigint,
  pods: PodInfo[],
  calibration: number,
  tolerance: Tolerance,
): CountResult {
  const ratio = Number(value) / Number(target);
  if (currentReplicas === 0) return { ok: true, replicas: ceilReplicas(ratio) };
  if (isWithinTolerance(ratio, tolerance)) return { ok: true, replicas: currentReplicas };
  const ready = readyPodsCount(pods);
  if (!ready.ok) return { ok: false, error: `unable to calculate ready pods: ${ready.error}` };
  return { ok: true, replicas: ceilReplicas((ratio * ready.count) / calibration) };
}

export interface PerPodResult {
  replicas: number;
  /** Reported averageValue: ceil(value / statusReplicas), 0 when statusReplicas is 0. */
  usage: bigint;
}

/**
 * Object AverageValue, exactly as Karmada's GetObjectPerPodMetricReplicas: ratio = value / (target ×
 * statusReplicas); outside tolerance r = ceil(value / target / calibration), else r = statusReplicas; the
 * result is ceil(r / calibration). Calibration is applied twice outside tolerance — a Karmada quirk kept on
 * purpose so fhpa decides as Karmada does (its test "Scale with calibration": 30 / 10 with 0.5 → 12).
 */
export function objectPerPodReplicas(
  statusReplicas: number,
  value: bigint,
  targetAverage: bigint,
  calibration: number,
  tolerance: Tolerance,
): PerPodResult {
  let replicas = statusReplicas;
  const ratio = Number(value) / (Number(targetAverage) * statusReplicas);
  if (!isWithinTolerance(ratio, tolerance)) {
    replicas = ceilReplicas(Number(value) / Number(targetAverage) / calibration);
  }
  return { replicas: ceilReplicas(replicas / calibration), usage: averagePerReplica(value, statusReplicas) };
}

/**
 * External AverageValue (Kubernetes' GetExternalPerPodMetricReplicas; Karmada has none). The summed value is
 * demand across all clusters, so the count is divided by the calibration once: outside tolerance
 * ceil(value / target / calibration), else ceil(statusReplicas / calibration) — the template's share.
 */
export function externalPerPodReplicas(
  statusReplicas: number,
  value: bigint,
  targetAverage: bigint,
  calibration: number,
  tolerance: Tolerance,
): PerPodResult {
  const ratio = Number(value) / (Number(targetAverage) * statusReplicas);
  const replicas = isWithinTolerance(ratio, tolerance)
    ? ceilReplicas(statusReplicas / calibration)
    : ceilReplicas(Number(value) / Number(targetAverage) / calibration);
  return { replicas, usage: averagePerReplica(value, statusReplicas) };
}

function averagePerReplica(value: bigint, statusReplicas: number): bigint {
  if (statusReplicas === 0) return 0n;
  const avg = Math.ceil(Number(value) / statusReplicas);
  return avg >= Number(MAX_INT64) ? MAX_INT64 : BigInt(avg);
}

/** Σ of external samples, capped at MaxInt64 like GetExternalMetricReplicas. */
export function sumCapped(values: bigint[]): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total > MAX_INT64 ? MAX_INT64 : total;
}
