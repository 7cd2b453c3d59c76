// One metric spec → one replica proposal and its status entry (computeReplicasForMetric and the
// computeStatusFor*Metric functions of Karmada's federatedhpa_controller.go, plus Kubernetes' External branch).
// Error texts, condition reasons and metric names follow upstream so status and events read the same.

import type { MetricSpec } from '../api/autoscaling-v2.ts';
import { externalMetric, objectMetric } from './metric-object-external.ts';
import { fail, type MetricContext, type MetricOutcome } from './metric-outcome.ts';
import { podsMetric, resourceMetric } from './metric-per-pod.ts';

export type { MetricContext, MetricOutcome } from './metric-outcome.ts';

export function computeMetric(spec: MetricSpec, ctx: MetricContext): MetricOutcome {
  try {
    switch (spec.type) {
      case 'Resource':
        return spec.resource
          ? resourceMetric(spec.resource.name, '', spec.resource.target, ctx)
          : fail('FailedGetResourceMetric', missingSource('Resource', 'resource'));
      case 'ContainerResource':
        return spec.containerResource
          ? resourceMetric(
              spec.containerResource.name,
              spec.containerResource.container,
              spec.containerResource.target,
              ctx,
            )
          : fail('FailedGetContainerResourceMetric', missingSource('ContainerResource', 'containerResource'));
      case 'Pods':
        return spec.pods
          ? podsMetric(spec.pods, ctx)
          : fail('FailedGetPodsMetric', missingSource('Pods', 'pods'));
      case 'Object':
        return spec.object
          ? objectMetric(spec.object, ctx)
          : fail('FailedGetObjectMetric', missingSource('Object', 'object'));
      case 'External':
        return spec.external
          ? externalMetric(spec.external, ctx)
          : fail('FailedGetExternalMetric', missingSource('External', 'external'));
      default:
        return fail('InvalidMetricSourceType', `unknown metric source type "${spec.type}"`);
    }
  } catch (err) {
    // Only a malformed quantity in a sample or target gets here (the API schemas reject most of them).
    return fail(failReason(spec.type), err instanceof Error ? err.message : String(err));
  }
}

const missingSource = (type: string, field: string) =>
  `invalid metric source: a ${type} metric needs the ${field} field`;

function failReason(type: string): string {
  const known = ['Resource', 'ContainerResource', 'Pods', 'Object', 'External'];
  return known.includes(type) ? `FailedGet${type}Metric` : 'InvalidMetricSourceType';
}
