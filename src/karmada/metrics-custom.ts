import type { CrossVersionObjectReference, LabelSelector } from '../api/autoscaling-v2.ts';
import { type AdapterContext, mapLimit } from './context.ts';
import { isNotFound, KarmadaStateError } from './errors.ts';
import { labelSelectorToString } from './label-selector.ts';
import { answeredMembers } from './member-results.ts';
import { clusterProxyPath, describeResource, groupVersionPath } from './paths.ts';
import { timeMs } from './pods.ts';
import { apiResourceListSchema } from './schemas/discovery.ts';
import { listSchema } from './schemas/k8s.ts';
import { type MetricValue, metricValueSchema } from './schemas/metrics.ts';

// Custom metrics (custom.metrics.k8s.io), one source behind two functions: Pods metrics per member cluster
// through the cluster proxy (each member's adapter answers for its own pods, unsummed, so samples keep
// cluster AND pod name; karmada-metrics-adapter would sum same-named pods across clusters,
// provider/custommetrics.go), and Object metrics through karmada-metrics-adapter on the Karmada API server
// (one value per object, summed over clusters as Karmada does). Version: v1beta2, else v1beta1, as
// Karmada's metrics client picks by discovery (metrics/client.go); fhpa asks discovery only when a v1beta2
// call answers 404 (a missing metric also answers 404) and remembers the answer per cluster.

const GROUP = 'custom.metrics.k8s.io';
type Version = 'v1beta2' | 'v1beta1';
const metricValueList = listSchema(metricValueSchema);

/** One pod's value of a Pods metric. */
export interface PodMetricSample {
  pod: string;
  cluster: string;
  timestamp: number;
  windowMs?: number;
  value: string;
}

/** Per adapter: the working version per cluster ("" = the Karmada API server). */
export type CustomMetricsVersions = Map<string, Version>;

const KARMADA = '';

export async function getPodsMetric(
  ctx: AdapterContext,
  versions: CustomMetricsVersions,
  namespace: string,
  metric: string,
  selector: string,
  metricSelector: LabelSelector | undefined,
  clusters: string[],
): Promise<PodMetricSample[]> {
  const results = await mapLimit(clusters, ctx.concurrency, (cluster) =>
    podsMetricOfCluster(ctx, versions, namespace, metric, selector, metricSelector, cluster).then(
      (items) => ({ cluster, items }),
      (error: unknown) => ({ cluster, error }),
    ),
  );
  return answeredMembers(ctx, results, `pods metric ${metric}`).flatMap((r) => r.items);
}

/** One member's values of a Pods metric for the pods `selector` selects ("" for every pod of the namespace). */
export async function podsMetricOfCluster(
  ctx: AdapterContext,
  versions: CustomMetricsVersions,
  namespace: string,
  metric: string,
  selector: string,
  metricSelector: LabelSelector | undefined,
  cluster: string,
): Promise<PodMetricSample[]> {
  const metricLabelSelector = labelSelectorToString(metricSelector);
  const list = await withVersion(ctx, versions, cluster, (version) =>
    ctx.client.request({
      verb: 'list',
      path: clusterProxyPath(
        cluster,
        `${groupVersionPath(GROUP, version)}/namespaces/${enc(namespace)}/pods/*/${enc(metric)}`,
      ),
      resource: describeResource(
        { group: GROUP, version, resource: `pods/*/${metric}` },
        { namespace, cluster },
      ),
      query: { ...(selector ? { labelSelector: selector } : {}), metricLabelSelector },
      schema: metricValueList,
    }),
  );
  return list.items.map((item) => toPodSample(item, cluster));
}

function toPodSample(item: MetricValue, cluster: string): PodMetricSample {
  return {
    pod: item.describedObject.name,
    cluster,
    timestamp: timeMs(item.timestamp) ?? 0,
    ...(item.windowSeconds != null ? { windowMs: item.windowSeconds * 1000 } : {}),
    value: item.value,
  };
}

export async function getObjectMetric(
  ctx: AdapterContext,
  versions: CustomMetricsVersions,
  namespace: string,
  describedObject: CrossVersionObjectReference,
  metric: string,
  metricSelector?: LabelSelector,
): Promise<{ timestamp: number; value: string }> {
  // metrics/client.go#GetObjectMetric: a Namespace is addressed as /namespaces/{ns}/metrics/{metric}.
  const isNamespace = describedObject.kind === 'Namespace' && !describedObject.apiVersion?.includes('/');
  const objectPath = isNamespace
    ? `/namespaces/${enc(namespace)}/metrics/${enc(metric)}`
    : `/namespaces/${enc(namespace)}/${enc(await groupResource(ctx, describedObject))}/${enc(describedObject.name)}/${enc(metric)}`;
  const list = await withVersion(ctx, versions, KARMADA, (version) =>
    ctx.client.request({
      verb: 'get',
      path: `${groupVersionPath(GROUP, version)}${objectPath}`,
      resource: describeResource(
        { group: GROUP, version, resource: `${describedObject.kind}/${describedObject.name}/${metric}` },
        { namespace },
      ),
      query: { metricLabelSelector: labelSelectorToString(metricSelector) },
      schema: metricValueList,
    }),
  );
  const [only] = list.items;
  if (!only || list.items.length !== 1) {
    // k8s.io/metrics custom_metrics client, getForObject.
    throw new KarmadaStateError(
      'FailedGetObjectMetric',
      `the custom metrics API server returned ${list.items.length} results when we asked for exactly one (${describedObject.kind} ${describedObject.name}, metric ${metric})`,
    );
  }
  return { timestamp: timeMs(only.timestamp) ?? 0, value: only.value };
}

/**
 * `resource.group` (GroupResource.String, as the custom metrics client's RESTMapping builds the path) via
 * discovery; when discovery does not know the kind, meta.UnsafeGuessKindToResource's plural.
 */
async function groupResource(ctx: AdapterContext, ref: CrossVersionObjectReference): Promise<string> {
  try {
    const gvr = await ctx.discovery.resourceFor(ref.apiVersion, ref.kind);
    return gvr.group === '' ? gvr.resource : `${gvr.resource}.${gvr.group}`;
  } catch (err) {
    if (!isNotFound(err) && !(err instanceof KarmadaStateError)) throw err;
    const group = ref.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0] : '';
    const plural = guessPlural(ref.kind.toLowerCase());
    return group ? `${plural}.${group}` : plural;
  }
}

/** k8s.io/apimachinery/pkg/api/meta/restmapper.go#UnsafeGuessKindToResource, naive as it is (gateway → gatewaies). */
export function guessPlural(singular: string): string {
  if (singular === '' || singular.endsWith('endpoints')) return singular;
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

async function withVersion<T>(
  ctx: AdapterContext,
  versions: CustomMetricsVersions,
  cluster: string,
  call: (version: Version) => Promise<T>,
): Promise<T> {
  const known = versions.get(cluster);
  if (known) return call(known);
  try {
    const result = await call('v1beta2');
    versions.set(cluster, 'v1beta2');
    return result;
  } catch (err) {
    if (!isNotFound(err) || (await served(ctx, cluster, 'v1beta2'))) throw err;
    const result = await call('v1beta1');
    versions.set(cluster, 'v1beta1');
    return result;
  }
}

/** Discovery of one custom metrics version; only a 404 says "not served". */
async function served(ctx: AdapterContext, cluster: string, version: Version): Promise<boolean> {
  const path = groupVersionPath(GROUP, version);
  try {
    await ctx.client.request({
      verb: 'get',
      path: cluster === KARMADA ? path : clusterProxyPath(cluster, path),
      resource: `discovery ${GROUP}/${version}${cluster === KARMADA ? '' : ` in cluster ${cluster}`}`,
      schema: apiResourceListSchema,
    });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

const enc = (s: string) => encodeURIComponent(s).replace(/%2A/g, '*');
