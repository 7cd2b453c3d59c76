// Metrics sampled per pod: Resource and ContainerResource (Utilization or AverageValue) and Pods
// (computeStatusForResourceMetricGeneric / computeStatusForPodsMetric in Karmada's federatedhpa_controller.go).

import type { MetricSpec, MetricStatus, MetricTarget } from '../api/autoscaling-v2.ts';
import { fail, type MetricContext, type MetricOutcome, type MetricValueStatus } from './metric-outcome.ts';
import { indexPods, type PodIndex, resolveSampleEntries } from './pod-index.ts';
import type { PodMetrics } from './pods.ts';
import { formatMilli, milliValue } from './quantity.ts';
import { plainMetricReplicas } from './replicas-plain.ts';
import { resourceUtilizationReplicas } from './replicas-resource.ts';

/** Per-pod samples as milli-values by pod key; `value` picks the number out of one sample (undefined: no sample). */
function podMetrics<T>(
  samples: Record<string, T>,
  index: PodIndex,
  value: (s: T) => { value: bigint; timestamp: number; window: number } | undefined,
): { ok: true; metrics: PodMetrics; samples: number } | { ok: false; error: string } {
  const resolved = resolveSampleEntries(samples, index);
  if (!resolved.ok) return resolved;
  const metrics: PodMetrics = new Map();
  resolved.keys.forEach((key, i) => {
    const v = value(resolved.samples[i] as T);
    if (v) metrics.set(key, v);
  });
  return { ok: true, metrics, samples: resolved.keys.length };
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
  const noMetrics = () =>
    utilizationError(
      `unable to get metrics for resource ${name}: no metrics returned from resource metrics API`,
    );
  if (!raw) return noMetrics();
  // A pod's value is the sum of its containers' usage (or the one named container's); a pod whose sample has
  // no usage for it has no sample. Karmada errors when a named container is absent from one pod's sample;
  // fhpa treats that pod as missing, like current Kubernetes (the snapshot cannot tell the two apart).
  const index = ctx.podIndex ?? indexPods(ctx.pods);
  const built = podMetrics(raw, index, (s) => {
    const value = container === '' ? sumOfContainers(s.containers) : namedContainer(s.containers, container);
    return value === undefined ? undefined : { value, timestamp: s.timestamp, window: s.window };
  });
  if (!built.ok) return utilizationError(`unable to get metrics for resource ${name}: ${built.error}`);
  // An empty record (checked here, after the one pass over it, rather than by listing a thousand keys first).
  if (built.samples === 0) return noMetrics();

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
      podIndex: index,
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
    podIndex: index,
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
  const noMetrics = () =>
    fail(
      'FailedGetPodsMetric',
      `unable to get metric ${name}: no metrics returned from custom metrics API`,
      outer,
    );
  if (!raw) return noMetrics();
  const index = ctx.podIndex ?? indexPods(ctx.pods);
  const built = podMetrics(raw, index, (s) => ({
    value: milliValue(s.value),
    timestamp: s.timestamp,
    window: 60_000,
  }));
  if (!built.ok) return fail('FailedGetPodsMetric', `unable to get metric ${name}: ${built.error}`, outer);
  if (built.samples === 0) return noMetrics();
  const r = plainMetricReplicas({
    currentReplicas: ctx.currentReplicas,
    targetUsage: milliValue(target),
    resource: '',
    pods: ctx.pods,
    podIndex: index,
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

/** A pod's usage is the sum over its containers; no containers, or one without usage, is no sample. */
function sumOfContainers(containers: Record<string, string>): bigint | undefined {
  let any = false;
  for (const name in containers) {
    if (!Object.hasOwn(containers, name)) continue;
    if (containers[name] === undefined) return undefined;
    any = true;
  }
  if (!any) return undefined;
  let sum = 0n;
  for (const name in containers)
    if (Object.hasOwn(containers, name)) sum += milliValue(containers[name] as string);
  return sum;
}

function namedContainer(containers: Record<string, string>, container: string): bigint | undefined {
  const usage = containers[container];
  return usage === undefined ? undefined : milliValue(usage);
}
