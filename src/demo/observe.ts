import { z } from 'zod';
import { approximateFloat } from '../engine/quantity.ts';
import { call, type Endpoint } from './endpoint.ts';

// What a user watching the walkthrough reads, over the same APIs they would use: `karmadactl get pods`
// (each member's pods through Karmada's cluster proxy), `kubectl get --raw` of the custom metrics API (the
// per-pod http_requests that the Prometheus rule averages), and the FederatedHPA's status.

const podList = z.object({
  items: z.array(
    z.object({
      status: z
        .object({
          conditions: z.array(z.object({ type: z.string(), status: z.string() })).optional(),
        })
        .optional(),
    }),
  ),
});

const metricList = z.object({ items: z.array(z.object({ value: z.string() })) });

export interface ClusterPods {
  /** Pods that exist in the member cluster (what `karmadactl get pods` lists). */
  pods: number;
  /** Of which Ready. */
  ready: number;
}

const selectorQuery = (workload: string) => `labelSelector=${encodeURIComponent(`app=${workload}`)}`;

/** One member cluster's pods of the workload, through /apis/cluster.karmada.io/v1alpha1/clusters/NAME/proxy. */
export async function clusterPods(
  karmada: Endpoint,
  cluster: string,
  w: { namespace: string; name: string },
): Promise<ClusterPods> {
  const { body } = await call(
    karmada,
    'GET',
    `/apis/cluster.karmada.io/v1alpha1/clusters/${encodeURIComponent(cluster)}/proxy/api/v1/namespaces/${encodeURIComponent(w.namespace)}/pods?${selectorQuery(w.name)}`,
    podList,
  );
  const ready = body.items.filter((p) =>
    (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
  return { pods: body.items.length, ready };
}

/**
 * The per-pod average of a Pods metric over the pods that report it, as the PrometheusRule's
 * `avg(http_requests{...})` sees it; undefined when no pod reports (no ready pods).
 */
export async function podsMetricAverage(
  karmada: Endpoint,
  metric: string,
  w: { namespace: string; name: string },
): Promise<number | undefined> {
  const { body } = await call(
    karmada,
    'GET',
    `/apis/custom.metrics.k8s.io/v1beta2/namespaces/${encodeURIComponent(w.namespace)}/pods/*/${encodeURIComponent(metric)}?${selectorQuery(w.name)}`,
    metricList,
  );
  if (body.items.length === 0) return undefined;
  return body.items.reduce((sum, item) => sum + approximateFloat(item.value), 0) / body.items.length;
}
