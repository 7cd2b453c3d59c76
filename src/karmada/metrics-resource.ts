import { type AdapterContext, mapLimit } from './context.ts';
import { parseGoDuration } from './duration.ts';
import { isForbidden, isNotFound } from './errors.ts';
import { answeredMembers } from './member-results.ts';
import { clusterProxyPath, describeResource, resourcePath } from './paths.ts';
import { timeMs } from './pods.ts';
import { listSchema } from './schemas/k8s.ts';
import { type PodMetrics, podMetricsSchema } from './schemas/metrics.ts';

// Resource metrics (metrics.k8s.io/v1beta1 PodMetrics) of the target's pods, one source behind one function.
// Read per member cluster through the cluster proxy, so every sample is keyed by cluster AND pod name
// (Karmada's metrics adapter concatenates all clusters' items and its controller keys them by name only,
// losing same-named pods: karmada issue 4257). When the proxy path is refused (403: the member's RBAC does
// not grant fhpa's impersonated identity metrics access) or absent (404), fhpa falls back, for the rest of
// this adapter's life, to karmada-metrics-adapter's aggregated API and reads the cluster from each item's
// `resource.karmada.io/query-from-cluster` annotation (pkg/metricsadapter/provider/resourcemetrics.go).
// A member that answers with another client error is skipped, as the metrics adapter skips it: its pods
// count as missing, which the replica calculator handles conservatively. A member that fails transiently
// fails the metric instead (member-results.ts), which then proposes nothing and never scales down.

export const QUERY_FROM_CLUSTER = 'resource.karmada.io/query-from-cluster';
const POD_METRICS = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods' };
const podMetricsList = listSchema(podMetricsSchema);

/** Usage of one pod at one instant. */
export interface PodResourceSample {
  pod: string;
  cluster: string;
  timestamp: number;
  windowMs: number;
  /** container → resource name → quantity, e.g. `{ app: { cpu: "250m", memory: "64Mi" } }`. */
  containers: Record<string, Record<string, string>>;
}

/** Per adapter: set to 'aggregated' once the proxy path has been refused. */
export interface ResourceMetricsRoute {
  via?: 'aggregated';
}

export async function getResourceMetrics(
  ctx: AdapterContext,
  route: ResourceMetricsRoute,
  namespace: string,
  selector: string,
  clusters: string[],
): Promise<PodResourceSample[]> {
  if (route.via !== 'aggregated') {
    const results = await mapLimit(clusters, ctx.concurrency, (cluster) =>
      fetchPodMetrics(ctx, namespace, selector, cluster).then(
        (items) => ({ cluster, items }),
        (error: unknown) => ({ cluster, error }),
      ),
    );
    const refused = results.find((r) => 'error' in r && (isForbidden(r.error) || isNotFound(r.error)));
    if (!refused) return collect(ctx, results);
    ctx.warn(
      `resource metrics through the cluster proxy refused (${errorText((refused as { error: unknown }).error)}); using the aggregated metrics.k8s.io API`,
    );
    route.via = 'aggregated';
  }
  const items = await fetchPodMetrics(ctx, namespace, selector);
  const wanted = new Set(clusters);
  const out: PodResourceSample[] = [];
  for (const item of items) {
    const cluster =
      item.metadata.annotations?.[QUERY_FROM_CLUSTER] ?? (clusters.length === 1 ? clusters[0] : undefined);
    if (cluster === undefined) {
      ctx.warn(`pod metrics of ${item.metadata.name} carry no ${QUERY_FROM_CLUSTER} annotation; ignored`);
    } else if (wanted.has(cluster)) out.push(toSample(item, cluster));
  }
  return out;
}

function collect(
  ctx: AdapterContext,
  results: ({ cluster: string; items: PodMetrics[] } | { cluster: string; error: unknown })[],
): PodResourceSample[] {
  return answeredMembers(ctx, results, 'resource metrics').flatMap((r) =>
    r.items.map((item) => toSample(item, r.cluster)),
  );
}

/** PodMetrics of `namespace` by selector ("": all), through one member's proxy or karmada-metrics-adapter. */
export async function fetchPodMetrics(
  ctx: AdapterContext,
  namespace: string,
  selector: string,
  cluster?: string,
): Promise<PodMetrics[]> {
  const path = resourcePath(POD_METRICS, { namespace });
  const list = await ctx.client.request({
    verb: 'list',
    path: cluster === undefined ? path : clusterProxyPath(cluster, path),
    resource: describeResource(POD_METRICS, { namespace, ...(cluster !== undefined ? { cluster } : {}) }),
    query: selector ? { labelSelector: selector } : {},
    schema: podMetricsList,
  });
  return list.items;
}

export function toSample(item: PodMetrics, cluster: string): PodResourceSample {
  const containers: PodResourceSample['containers'] = {};
  for (const c of item.containers) containers[c.name] = { ...c.usage };
  return {
    pod: item.metadata.name,
    cluster,
    timestamp: timeMs(item.timestamp) ?? 0,
    // metrics-server's default window when the field cannot be read.
    windowMs: parseGoDuration(item.window) ?? 30_000,
    containers,
  };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
