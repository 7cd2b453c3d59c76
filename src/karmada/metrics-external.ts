import type { LabelSelector } from '../api/autoscaling-v2.ts';
import type { AdapterContext } from './context.ts';
import { KarmadaStateError } from './errors.ts';
import { labelSelectorToString } from './label-selector.ts';
import { describeResource, resourcePath } from './paths.ts';
import { timeMs } from './pods.ts';
import { listSchema } from './schemas/k8s.ts';
import { externalMetricValueSchema } from './schemas/metrics.ts';

// External metrics (external.metrics.k8s.io/v1beta1) on the Karmada API server, one source behind one
// function. Karmada's controller never calls it (External is rejected by its webhook, karmada.md §b.5) and
// karmada-metrics-adapter does not implement it; fhpa reads whatever adapter serves the APIService there,
// as Kubernetes' metrics client does (pkg/controller/podautoscaler/metrics/client.go#GetExternalMetric).

const externalList = listSchema(externalMetricValueSchema);

export async function getExternalMetric(
  ctx: AdapterContext,
  namespace: string,
  metric: string,
  metricSelector?: LabelSelector,
): Promise<{ timestamp: number; values: string[] }> {
  const gvr = { group: 'external.metrics.k8s.io', version: 'v1beta1', resource: metric };
  const list = await ctx.client.request({
    verb: 'list',
    path: resourcePath(gvr, { namespace }),
    resource: describeResource(gvr, { namespace }),
    query: { labelSelector: labelSelectorToString(metricSelector) },
    schema: externalList,
  });
  const [first] = list.items;
  if (!first)
    throw new KarmadaStateError('FailedGetExternalMetric', 'no metrics returned from external metrics API');
  return { timestamp: timeMs(first.timestamp) ?? 0, values: list.items.map((i) => i.value) };
}
