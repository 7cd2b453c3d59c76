import { type PodInfo, uniformPod } from '../engine/types.ts';
import { type AdapterContext, mapLimit } from './context.ts';
import { listAll, parseItem } from './list.ts';
import { asMember } from './member-permission.ts';
import { clusterProxyPath, describeResource, resourcePath } from './paths.ts';
import { type Pod, podSchema } from './schemas/pods.ts';

// The target's pods in every member cluster, listed through Karmada's cluster proxy (one paginated LIST per
// cluster, clusters in parallel) and mapped to the engine's PodInfo. Karmada's controller lists them from
// per-member informers it keeps warm; a serverless evaluation cannot keep informers, so it lists on demand.
// Departure: Karmada skips a cluster whose pods cannot be listed; fhpa fails the listing instead, because
// deciding on a partial pod set could scale down a healthy workload (the member scale read in getPlacement
// already drops clusters that cannot be reached at all). A 403 is a permission error naming the grant.

const PODS = { group: '', version: 'v1', resource: 'pods' };

export async function listPods(
  ctx: AdapterContext,
  namespace: string,
  selector: string,
  clusters: string[],
): Promise<PodInfo[]> {
  const perCluster = await mapLimit(clusters, ctx.concurrency, (cluster) =>
    listMemberPods(ctx, namespace, cluster, selector),
  );
  return perCluster.flat().map((p) => p.item);
}

/** One member's pods of `namespace` (all of them when `selector` is ""), with the labels they carry. */
export async function listMemberPods(
  ctx: AdapterContext,
  namespace: string,
  cluster: string,
  selector: string,
): Promise<{ labels: Record<string, string>; item: PodInfo }[]> {
  const at = { namespace };
  const resource = describeResource(PODS, { ...at, cluster });
  const raw = await asMember(cluster, () =>
    listAll(ctx.client, {
      path: clusterProxyPath(cluster, resourcePath(PODS, at)),
      resource,
      ...(selector ? { labelSelector: selector } : {}),
    }),
  );
  return raw.map((item, i) => {
    const pod = parseItem(podSchema, item, i, resource);
    return { labels: pod.metadata.labels ?? {}, item: toPodInfo(pod, cluster) };
  });
}

/** RFC 3339 → epoch ms; undefined when absent or unreadable. */
export const timeMs = (t: string | null | undefined): number | undefined => {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
};

export function toPodInfo(pod: Pod, cluster: string): PodInfo {
  return uniformPod(podInfoOf(pod, cluster));
}

function podInfoOf(pod: Pod, cluster: string): PodInfo {
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const startTime = timeMs(pod.status?.startTime);
  const readyTransitionTime = timeMs(ready?.lastTransitionTime);
  const deletionTimestamp = timeMs(pod.metadata.deletionTimestamp);
  const requests = (c: Pod['spec']['containers'][number]) => ({ ...(c.resources?.requests ?? {}) });
  const init = pod.spec.initContainers ?? [];
  return {
    name: pod.metadata.name,
    cluster,
    // An empty phase is what a brand-new pod reports; the calculator treats it like Pending.
    phase: pod.status?.phase ?? 'Pending',
    // groupPods: a pod without a Ready condition is unready for CPU; "Unknown" is not "True".
    ready: ready ? ready.status === 'True' : null,
    ...(readyTransitionTime !== undefined ? { readyTransitionTime } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    ...(deletionTimestamp !== undefined ? { deletionTimestamp } : {}),
    containers: pod.spec.containers.map((c) => ({ name: c.name, requests: requests(c) })),
    ...(init.length > 0
      ? {
          initContainers: init.map((c) => ({
            name: c.name,
            requests: requests(c),
            ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
          })),
        }
      : {}),
  };
}
