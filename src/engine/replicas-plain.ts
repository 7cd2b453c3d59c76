// Per-pod averages against an AverageValue target: Resource AverageValue (GetRawResourceReplicas) and Pods
// metrics (GetMetricReplicas), both through calcPlainMetricReplicas (replica_calculator.go), Karmada's
// calibration included.

import type { Tolerance } from './defaults.ts';
import { indexPods, type PodIndex } from './pod-index.ts';
import { groupPods, type PodMetrics, type ReadinessTiming } from './pods.ts';
import { rebalance } from './rebalance.ts';
import type { PodInfo } from './types.ts';

export interface PlainInput {
  currentReplicas: number;
  /** Target average per pod, milli-units. */
  targetUsage: bigint;
  /** The resource name for Resource AverageValue (cpu readiness rules apply); '' for Pods metrics. */
  resource: string;
  pods: PodInfo[];
  /** `pods` indexed, when the caller already did (MetricContext.podIndex). */
  podIndex?: PodIndex;
  metrics: PodMetrics;
  calibration: number;
  tolerance: Tolerance;
  timing: ReadinessTiming;
}

export type PlainResult = { ok: true; replicas: number; usage: bigint } | { ok: false; error: string };

export function plainMetricReplicas(input: PlainInput): PlainResult {
  const { pods, targetUsage } = input;
  if (pods.length === 0)
    return { ok: false, error: 'no pods returned by selector while calculating replica count' };

  const index = input.podIndex ?? indexPods(pods);
  const groups = groupPods(pods, input.metrics, input.resource, input.timing, index);
  const metrics: PodMetrics = new Map(input.metrics);
  for (const key of [...groups.ignored, ...groups.unready]) metrics.delete(key);
  if (metrics.size === 0) return { ok: false, error: 'did not receive metrics for any ready pods' };

  const first = usageRatio(metrics, targetUsage);
  const result = rebalance({
    currentReplicas: input.currentReplicas,
    ratio: first.ratio,
    groups,
    metrics,
    // on a scale-down, treat missing pods as using exactly the target
    missingOnScaleDown: () => targetUsage,
    ratioOf: (m) => ({ ok: true, ratio: usageRatio(m, targetUsage).ratio }),
    calibration: input.calibration,
    tolerance: input.tolerance,
  });
  if (!result.ok) return result;
  return { ok: true, replicas: result.replicas, usage: first.usage };
}

/** GetMetricUsageRatio: usage = Σ / n (integer division), ratio = usage / target. */
export function usageRatio(metrics: PodMetrics, targetUsage: bigint): { ratio: number; usage: bigint } {
  let total = 0n;
  for (const m of metrics.values()) total += m.value;
  const usage = total / BigInt(metrics.size);
  return { ratio: Number(usage) / Number(targetUsage), usage };
}
