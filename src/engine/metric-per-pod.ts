// Metrics sampled per pod: Resource and ContainerResource (Utilization or AverageValue) and Pods
// (computeStatusForResourceMetricGeneric / computeStatusForPodsMetric in Karmada's federatedhpa_controller.go).

import type { MetricSpec, MetricStatus, MetricTarget } from '../api/autoscaling-v2.ts';
import { fail, type MetricContext, type MetricOutcome, type MetricValueStatus } from './metric-outcome.ts';
import { type PodMetrics, resolveSampleKeys } from './pods.ts';
import { formatMilli, milliValue } from './quantity.ts';
import { plainMetricReplicas } from './replicas-plain.ts';
import { resourceUtilizationReplicas } from './replicas-resource.ts';
import type { PodInfo } from './types.ts';

/** Per-pod samples as milli-values by pod key; `value` picks the number out of one sample (undefined: no sample). */
function podMetrics<T>(
  samples: Record<string, T>,
  pods: PodInfo[],
  value: (s: T) => { value: bigint; timestamp: number; window: number } | undefined,
): { ok: true; metrics: PodMetrics } | { ok: false; error: string } {
  const resolved = resolveSampleKeys(samples, pods);
  if (!resolved.ok) return resolved;
  const metrics: PodMetrics = new Map();
  for (const [key, s] of resolved.samples) {
    const v = value(s);
    if (v) metrics.set(key, v);
  }
  return { ok: true, metrics };
}

export function resourceMetric(
  name: string,
  container: string,
  target: MetricTarget,
  ctx: MetricContext,
): MetricOutcome {
  const reason = container === '' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
  const outer =
    container === ''
      ? (e: string) => `failed to get ${name} resource metric value: ${e}`
      : (e: string) => `failed to get ${container} container metric value: ${e}`;
  const utilizationError = (e: string) => fail(reason, `failed to get ${name} utilization: ${e}`, outer);

  const averageValue = target.averageValue;
  if (averageValue === undefined && target.averageUtilization === undefined) {
    return fail(
      reason,
      'invalid resource metric source: neither an average utilization target nor an average value target was set',
      outer,
    );
  }
  const raw = ctx.samples.resource?.[name];
  if (!raw || Object.keys(raw).length === 0) {
    return utilizationError(
      `unable to get metrics for resource ${name}: no metrics returned from resource metrics API`,
    );
  }
  // A pod's value is the sum of its containers' usage (or the one named container's); a pod whose sample has
  // no usage for it has no sample. Karmada errors when a named container is absent from one pod's sample;
  // fhpa treats that pod as missing, like current Kubernetes (the snapshot cannot tell the two apart).
  const built = podMetrics(raw, ctx.pods, (s) => {
    const entries = container === '' ? Object.values(s.containers) : [s.containers[container]];
    if (entries.length === 0 || entries.some((e) => e === undefined)) return undefined;
    const value = entries.reduce((sum, e) => sum + milliValue(e as string), 0n);
    return { value, timestamp: s.timestamp, window: s.window };
  });
  if (!built.ok) return utilizationError(`unable to get metrics for resource ${name}: ${built.error}`);

  const statusOf = (current: MetricValueStatus): MetricStatus =>
    container === ''
      ? { type: 'Resource', resource: { name, current } }
      : { type: 'ContainerResource', containerResource: { name, container, current } };

  if (averageValue !== undefined) {
    const r = plainMetricReplicas({
      currentReplicas: ctx.currentReplicas,
      targetUsage: milliValue(averageValue),
      resource: name,
      pods: ctx.pods,
      metrics: built.metrics,
      calibration: ctx.calibration,
      tolerance: ctx.tolerance,
      timing: ctx.timing,
    });
    if (!r.ok) return utilizationError(r.error);
    return {
      ok: true,
      replicas: r.replicas,
      metricName: `${name} resource`,
      status: statusOf({ averageValue: formatMilli(r.usage) }),
    };
  }
  const r = resourceUtilizationReplicas({
    currentReplicas: ctx.currentReplicas,
    targetUtilization: target.averageUtilization as number,
    resource: name,
    container,
    pods: ctx.pods,
    metrics: built.metrics,
    calibration: ctx.calibration,
    tolerance: ctx.tolerance,
    timing: ctx.timing,
  });
  if (!r.ok) return utilizationError(r.error);
  return {
    ok: true,
    replicas: r.replicas,
    metricName:
      container === ''
        ? `${name} resource utilization (percentage of request)`
        : `${name} container resource utilization (percentage of request)`,
    status: statusOf({ averageUtilization: r.utilization, averageValue: formatMilli(r.rawUtilization) }),
  };
}

export function podsMetric(source: NonNullable<MetricSpec['pods']>, ctx: MetricContext): MetricOutcome {
  const name = source.metric.name;
  const outer = (e: string) => `failed to get pods metric value: ${e}`;
  const target = source.target.averageValue;
  if (target === undefined)
    return fail('FailedGetPodsMetric', 'invalid pods metric source: no target averageValue', outer);
  const raw = ctx.samples.pods?.[name];
  if (!raw || Object.keys(raw).length === 0) {
    return fail(
      'FailedGetPodsMetric',
      `unable to get metric ${name}: no metrics returned from custom metrics API`,
      outer,
    );
  }
  const built = podMetrics(raw, ctx.pods, (s) => ({
    value: milliValue(s.value),
    timestamp: s.timestamp,
    window: 60_000,
  }));
  if (!built.ok) return fail('FailedGetPodsMetric', `unable to get metric ${name}: ${built.error}`, outer);
  const r = plainMetricReplicas({
    currentReplicas: ctx.currentReplicas,
    targetUsage: milliValue(target),
    resource: '',
    pods: ctx.pods,
    metrics: built.metrics,
    calibration: ctx.calibration,
    tolerance: ctx.tolerance,
    timing: ctx.timing,
  });
  if (!r.ok) return fail('FailedGetPodsMetric', r.error, outer);
  return {
    ok: true,
    replicas: r.replicas,
    metricName: `pods metric ${name}`,
    status: {
      type: 'Pods',
      pods: { metric: source.metric, current: { averageValue: formatMilli(r.usage) } },
    },
  };
}
