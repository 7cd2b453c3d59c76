// Several metrics → one proposal (computeReplicasForMetrics in Karmada's federatedhpa_controller.go).

import type { Condition, MetricSpec, MetricStatus } from '../api/autoscaling-v2.ts';
import { computeMetric, type MetricContext } from './metric-sources.ts';
import { indexPods } from './pod-index.ts';
import type { MetricRecommendation } from './types.ts';

export interface MetricsResult {
  /** The largest proposal, or undefined when the reconcile must stop (all invalid, or invalid + scale-down). */
  replicas: number | undefined;
  /** The metric the proposal came from, for "%s above target" and ValidMetricFound. */
  metricName: string;
  statuses: MetricStatus[];
  recommendations: MetricRecommendation[];
  /** The ScalingActive condition to set. */
  condition: Omit<Condition, 'lastTransitionTime'>;
  /** "invalid metrics (n invalid out of m), first error is: …" when any metric failed. */
  error?: string;
}

export function computeReplicasForMetrics(specs: MetricSpec[], context: MetricContext): MetricsResult {
  const ctx = context.podIndex ? context : { ...context, podIndex: indexPods(context.pods) };
  let replicas = 0;
  let metricName = '';
  let invalid = 0;
  let firstError = '';
  let firstCondition: Omit<Condition, 'lastTransitionTime'> | undefined;
  // A failed metric leaves a zero-value status entry, as upstream's make([]MetricStatus, len(specs)) does.
  const statuses: MetricStatus[] = [];
  const recommendations: MetricRecommendation[] = [];

  for (const spec of specs) {
    const outcome = computeMetric(spec, ctx);
    const label = { type: spec.type, name: metricLabel(spec) };
    if (!outcome.ok) {
      if (invalid === 0) {
        firstError = outcome.error;
        firstCondition = {
          type: 'ScalingActive',
          status: 'False',
          reason: outcome.reason,
          message: outcome.conditionMessage,
        };
      }
      invalid++;
      statuses.push({ type: '' });
      recommendations.push({ ...label, error: outcome.error });
      continue;
    }
    statuses.push(outcome.status);
    recommendations.push({ ...label, replicas: outcome.replicas });
    // upstream: `replicas == 0 || proposal > replicas` — the largest proposal wins
    if (replicas === 0 || outcome.replicas > replicas) {
      replicas = outcome.replicas;
      metricName = outcome.metricName;
    }
  }

  const error =
    invalid > 0
      ? `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError}`
      : undefined;
  // An invalid metric never causes a scale-down: if all failed, or some failed and the valid ones would
  // scale down, nothing is scaled and the first failure's condition is set.
  if (firstCondition && (invalid >= specs.length || replicas < ctx.currentReplicas)) {
    return {
      replicas: undefined,
      metricName: '',
      statuses,
      recommendations,
      condition: firstCondition,
      ...(error ? { error } : {}),
    };
  }
  return {
    replicas,
    metricName,
    statuses,
    recommendations,
    condition: {
      type: 'ScalingActive',
      status: 'True',
      reason: 'ValidMetricFound',
      message: `the HPA was able to successfully calculate a replica count from ${metricName}`,
    },
    ...(error ? { error } : {}),
  };
}

function metricLabel(spec: MetricSpec): string {
  switch (spec.type) {
    case 'Resource':
      return spec.resource?.name ?? '';
    case 'ContainerResource':
      return spec.containerResource?.name ?? '';
    case 'Pods':
      return spec.pods?.metric.name ?? '';
    case 'Object':
      return spec.object?.metric.name ?? '';
    case 'External':
      return spec.external?.metric.name ?? '';
    default:
      return '';
  }
}
