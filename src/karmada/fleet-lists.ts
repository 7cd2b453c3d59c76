import type { CrossVersionObjectReference, LabelSelector } from '../api/autoscaling-v2.ts';
import type { PodInfo } from '../engine/types.ts';
import type { AdapterContext } from './context.ts';
import { labelSelectorToString } from './label-selector.ts';
import { listAll, parseItem } from './list.ts';
import { asMember } from './member-permission.ts';
import { type CustomMetricsVersions, type PodMetricSample, podsMetricOfCluster } from './metrics-custom.ts';
import { fetchPodMetrics, type PodResourceSample, toSample } from './metrics-resource.ts';
import { clusterProxyPath, describeResource, type GroupVersionResource, resourcePath } from './paths.ts';
import { BINDING_GVR } from './placement.ts';
import { listMemberPods } from './pods.ts';
import { workloadSchema } from './schemas/k8s.ts';
import { type ResourceBinding, resourceBindingSchema } from './schemas/karmada.ts';

// Namespace-wide LISTs that a sweep shares between the evaluations of one namespace (issue 13,
// pipeline/sweep-reads.ts decides when to use them): the workloads of one kind (on the Karmada API server
// or a member), the ResourceBindings, and per member cluster its pods and metrics. Each item is parsed into
// plain data with the labels fhpa groups it by. An item that does not parse fails its whole list, which the
// sweep then answers with direct reads (so only the evaluation that owns the bad object fails, and says why).

/**
 * The kinds whose /scale is the object's own fields: spec.replicas (defaulted to 1 by the API server),
 * status.replicas and spec.selector as a string (registry/apps/deployment/storage/storage.go#scaleFromDeployment,
 * and the StatefulSet and ReplicaSet equivalents). A custom resource declares its selector path in its CRD,
 * which fhpa does not read, so its /scale is read.
 */
export const SCALE_FROM_OBJECT = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet']);

/** A workload as its /scale would answer, with the labels it carries. */
export interface WorkloadItem {
  name: string;
  resourceVersion: string;
  replicas: number;
  statusReplicas: number;
  selector: string;
}

export interface Labelled<T> {
  labels: Record<string, string>;
  item: T;
}

export interface FleetLists {
  /** The resource that serves `ref`'s kind, with a /scale subresource (discovery, cached). */
  resourceFor(ref: CrossVersionObjectReference): Promise<GroupVersionResource>;
  /** Every workload of `gvr` in `namespace`, on the Karmada API server or, given `cluster`, in that member. */
  listWorkloads(gvr: GroupVersionResource, namespace: string, cluster?: string): Promise<WorkloadItem[]>;
  listBindings(namespace: string): Promise<ResourceBinding[]>;
  listMemberPods(cluster: string, namespace: string): Promise<Labelled<PodInfo>[]>;
  listMemberPodMetrics(cluster: string, namespace: string): Promise<Labelled<PodResourceSample>[]>;
  /** custom.metrics.k8s.io `pods/*\/{metric}` of every pod of the namespace in `cluster`. */
  listMemberPodsMetric(
    cluster: string,
    namespace: string,
    metric: string,
    metricSelector: LabelSelector | undefined,
  ): Promise<PodMetricSample[]>;
}

export function createFleetLists(ctx: AdapterContext, customVersions: CustomMetricsVersions): FleetLists {
  return {
    resourceFor: (ref) => ctx.discovery.resourceFor(ref.apiVersion, ref.kind, 'scale'),
    async listWorkloads(gvr, namespace, cluster) {
      const at = { namespace };
      const path = resourcePath(gvr, at);
      const resource = describeResource(gvr, { ...at, ...(cluster !== undefined ? { cluster } : {}) });
      const read = () =>
        listAll(ctx.client, {
          path: cluster === undefined ? path : clusterProxyPath(cluster, path),
          resource,
        });
      const raw = cluster === undefined ? await read() : await asMember(cluster, read);
      return raw.map((item, i) => {
        const w = parseItem(workloadSchema, item, i, resource);
        return {
          name: w.metadata.name,
          resourceVersion: w.metadata.resourceVersion,
          replicas: w.spec?.replicas ?? 1,
          statusReplicas: w.status?.replicas ?? 0,
          selector: labelSelectorToString(w.spec?.selector ?? undefined),
        };
      });
    },
    async listBindings(namespace) {
      const at = { namespace };
      const resource = describeResource(BINDING_GVR, at);
      const raw = await listAll(ctx.client, { path: resourcePath(BINDING_GVR, at), resource });
      // A binding that does not parse is left out: its evaluation finds none and looks it up directly,
      // which names the invalid binding (placement.ts).
      return raw.flatMap((item) => {
        const parsed = resourceBindingSchema.safeParse(item);
        return parsed.success ? [parsed.data] : [];
      });
    },
    listMemberPods: (cluster, namespace) => listMemberPods(ctx, namespace, cluster, ''),
    async listMemberPodMetrics(cluster, namespace) {
      const items = await fetchPodMetrics(ctx, namespace, '', cluster);
      return items.map((m) => ({ labels: m.metadata.labels ?? {}, item: toSample(m, cluster) }));
    },
    listMemberPodsMetric: (cluster, namespace, metric, metricSelector) =>
      podsMetricOfCluster(ctx, customVersions, namespace, metric, '', metricSelector, cluster),
  };
}
