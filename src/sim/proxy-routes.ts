import type { Context, Hono } from 'hono';
import { json } from './http.ts';
import { notFound, pathNotFound, StatusError, serviceUnavailable } from './k8s-status.ts';
import { listBody, paginate, parseListQuery } from './list.ts';
import { MemberCluster, memberWorkloadStatus, podKey, renderPod, type WorkloadKind } from './members.ts';
import { serveMetrics } from './metrics-routes.ts';
import { CLUSTERS } from './resources.ts';
import { formatRequirements, matchesLabels, requirementsOf } from './selectors.ts';
import type { SimState } from './state.ts';

// Karmada's aggregated cluster proxy (`/apis/cluster.karmada.io/v1alpha1/clusters/{cluster}/proxy/...`,
// pkg/registry/cluster/storage/proxy.go): requests are forwarded to the member's own API server. The
// simulated members answer reads of pods, workloads (listed or one) and their /scale, and the three metrics
// APIs for their own pods only. A cluster that is not Ready answers 503; one whose API server is down but that
// Karmada still holds Ready is forwarded to, and fails (cluster-health.ts).

const PROXY = '/apis/cluster.karmada.io/v1alpha1/clusters/:cluster/proxy/*';
const KINDS: Record<string, WorkloadKind> = { deployments: 'Deployment', statefulsets: 'StatefulSet' };

function memberWorkload(
  state: SimState,
  cluster: MemberCluster,
  kind: WorkloadKind,
  namespace: string,
  name: string,
) {
  const w = cluster.workloads.get(MemberCluster.workloadKey(kind, namespace, name));
  if (!w)
    throw notFound({ resource: kind === 'Deployment' ? 'deployments' : 'statefulsets', group: 'apps', name });
  const status = memberWorkloadStatus(cluster, w, state.now(), state.startupDelayMs);
  const rv = state.store.resourceVersion();
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace, resourceVersion: rv, generation: w.generation, labels: w.podLabels },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: w.podLabels },
      template: { metadata: { labels: w.podLabels }, spec: { containers: w.containers } },
    },
    status: { observedGeneration: w.generation, ...status },
  };
}

export function mountProxy(app: Hono, state: SimState): void {
  const handler = (c: Context) => {
    const clusterName = c.req.param('cluster') ?? '';
    if (!state.store.peek(CLUSTERS, undefined, clusterName))
      throw notFound({ resource: 'clusters', group: 'cluster.karmada.io', name: clusterName });
    if (!state.isClusterReady(clusterName))
      throw serviceUnavailable(
        `cluster(${clusterName}) is not ready: the member's API server cannot be reached`,
      );
    // Down but still Ready (cluster-health.ts): forwarded, and the dial fails.
    if (state.health.isDown(clusterName))
      throw new StatusError(500, '', `dial tcp ${clusterName}.sim.invalid:6443: connect: connection refused`);
    const cluster = state.member(clusterName);
    const sub = c.req.path.slice(c.req.path.indexOf('/proxy') + '/proxy'.length);
    const query = (k: string) => c.req.query(k);
    const metrics = serveMetrics(state, { cluster: clusterName }, sub, query);
    if (metrics) return metrics;
    const parts = sub.split('/').filter((p) => p !== '');
    // /api/v1/[namespaces/{ns}/]pods[/{name}]
    if (parts[0] === 'api' && parts[1] === 'v1') {
      const rest = parts.slice(2);
      const [ns, resource, name] =
        rest[0] === 'namespaces' ? [rest[1], rest[2], rest[3]] : [undefined, rest[0], rest[1]];
      if (resource === 'pods' && rest.length <= (ns === undefined ? 2 : 4)) {
        const templateHash = (p: { ownerKind: WorkloadKind; namespace: string; ownerName: string }) =>
          cluster.workloads.get(MemberCluster.workloadKey(p.ownerKind, p.namespace, p.ownerName))
            ?.templateHash;
        const pods = (ns === undefined ? [...cluster.pods.values()] : cluster.pods.inNamespace(ns)).sort(
          (a, b) => (podKey(a) < podKey(b) ? -1 : 1),
        );
        const render = (p: (typeof pods)[number]) =>
          renderPod(p, state.now(), state.startupDelayMs, templateHash(p));
        if (name !== undefined) {
          const pod = pods.find((p) => p.name === name);
          if (!pod) throw notFound({ resource: 'pods', group: '', name });
          return json(render(pod));
        }
        const rv = state.store.resourceVersion();
        const q = parseListQuery(query);
        // A rendered pod carries its record's labels, so the label selector can be applied before rendering
        // (paginate applies it again, with the field selector, to what is rendered).
        const page = paginate(
          pods.filter((p) => matchesLabels(q.labels, p.labels)).map(render),
          (p) => `${p.metadata.namespace}/${p.metadata.name}`,
          (p) => p.metadata.labels,
          q,
          rv,
        );
        return json(listBody('PodList', 'v1', rv, page));
      }
    }
    // /apis/apps/v1/namespaces/{ns}/{deployments|statefulsets}[/{name}[/scale]]
    if (parts[0] === 'apis' && parts[1] === 'apps' && parts[2] === 'v1' && parts[3] === 'namespaces') {
      const [, , , , ns = '', resource = '', name, subresource, ...extra] = parts;
      const kind = KINDS[resource];
      if (kind && name === undefined) {
        const items = cluster.workloads
          .inNamespace(ns)
          .filter((w) => w.kind === kind)
          .map((w) => memberWorkload(state, cluster, kind, ns, w.name))
          .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
        const rv = state.store.resourceVersion();
        const page = paginate(
          items,
          (w) => w.metadata.name,
          (w) => w.metadata.labels,
          parseListQuery(query),
          rv,
        );
        return json(listBody(`${kind}List`, 'apps/v1', rv, page));
      }
      if (
        kind &&
        name !== undefined &&
        extra.length === 0 &&
        (subresource === undefined || subresource === 'scale')
      ) {
        const w = memberWorkload(state, cluster, kind, ns, name);
        if (subresource === undefined) return json(w);
        return json({
          kind: 'Scale',
          apiVersion: 'autoscaling/v1',
          metadata: { name, namespace: ns, resourceVersion: w.metadata.resourceVersion },
          spec: { replicas: w.spec.replicas },
          status: {
            replicas: w.status.replicas,
            selector: formatRequirements(requirementsOf(w.spec.selector)),
          },
        });
      }
    }
    throw pathNotFound();
  };
  app.get(PROXY, handler);
}
