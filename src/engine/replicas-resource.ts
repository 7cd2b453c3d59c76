// Resource and ContainerResource metrics with a Utilization target (replica_calculator.go GetResourceReplicas,
// metrics/utilization.go GetResourceUtilizationRatio), Karmada's calibration included.

import type { Tolerance } from './defaults.ts';
import { indexPods, type PodIndex } from './pod-index.ts';
import { calculatePodRequests, groupPods, type PodMetrics, type ReadinessTiming } from './pods.ts';
import { rebalance } from './rebalance.ts';
import type { PodInfo } from './types.ts';

export interface UtilizationInput {
  currentReplicas: number;
  targetUtilization: number;
  resource: string;
  /** '' for a Resource metric, the container name for ContainerResource. */
  container: string;
  pods: PodInfo[];
  /** `pods` indexed, when the caller already did (MetricContext.podIndex). */
  podIndex?: PodIndex;
  /** Samples per pod key; not modified. */
  metrics: PodMetrics;
  calibration: number;
  tolerance: Tolerance;
  timing: ReadinessTiming;
}

export type UtilizationResult =
  | { ok: true; replicas: number; utilization: number; rawUtilization: bigint }
  | { ok: false; error: string };

export function resourceUtilizationReplicas(input: UtilizationInput): UtilizationResult {
  const { pods, targetUtilization } = input;
  if (pods.length === 0)
    return { ok: false, error: 'no pods returned by selector while calculating replica count' };

  const index = input.podIndex ?? indexPods(pods);
  const groups = groupPods(pods, input.metrics, input.resource, input.timing, index);
  const metrics: PodMetrics = new Map(input.metrics);
  for (const key of [...groups.ignored, ...groups.unready]) metrics.delete(key);

  const req = calculatePodRequests(pods, input.container, input.resource, index);
  if (!req.ok) return req;
  const requests = req.requests;
  if (metrics.size === 0) return { ok: false, error: 'did not receive metrics for any ready pods' };

  const first = utilizationRatio(metrics, requests, targetUtilization);
  if (!first.ok) return first;
  const { utilization, rawUtilization } = first;

  // on a scale-down, treat missing pods as using 100 % of their request, or the target if that is higher
  const fallback = BigInt(Math.max(100, targetUtilization));
  const result = rebalance({
    currentReplicas: input.currentReplicas,
    ratio: first.ratio,
    groups,
    metrics,
    missingOnScaleDown: (key) => ((requests.get(key) ?? 0n) * fallback) / 100n,
    ratioOf: (m) => utilizationRatio(m, requests, targetUtilization),
    calibration: input.calibration,
    tolerance: input.tolerance,
  });
  if (!result.ok) return result;
  // The reported utilization and raw value are always those of the first pass.
  return { ok: true, replicas: result.replicas, utilization, rawUtilization };
}

/**
 * GetResourceUtilizationRatio: over samples whose pod has a request, utilization = int32(Σusage·100 / Σrequest)
 * — integer division first, then the float ratio — and the raw average Σusage / n (integer).
 */
export function utilizationRatio(
  metrics: PodMetrics,
  requests: Map<string, bigint>,
  targetUtilization: number,
): { ok: true; ratio: number; utilization: number; rawUtilization: bigint } | { ok: false; error: string } {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let entries = 0n;
  for (const [key, metric] of metrics) {
    const request = requests.get(key);
    if (request === undefined) continue; // samples of unknown pods are extraneous here
    metricsTotal += metric.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0n) return { ok: false, error: 'no metrics returned matched known pods' };
  const utilization = Number(BigInt.asIntN(32, (metricsTotal * 100n) / requestsTotal));
  return {
    ok: true,
    ratio: utilization / targetUtilization,
    utilization,
    rawUtilization: metricsTotal / entries,
  };
}
