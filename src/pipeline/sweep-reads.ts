import type { CrossVersionObjectReference, LabelSelector } from '../api/autoscaling-v2.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { PodInfo } from '../engine/types.ts';
import type { TargetReads } from '../karmada/adapter.ts';
import { type FleetLists, SCALE_FROM_OBJECT } from '../karmada/fleet-lists.ts';
import { type LabelMatcher, labelMatcher } from '../karmada/label-match.ts';
import { boundTargets, type MemberPlacement } from '../karmada/placement.ts';
import type { TargetScale } from '../karmada/scale.ts';

// The reads of one sweep, shared by its evaluations (issue 13): instead of reading every object of every
// FederatedHPA on its own, the namespace's workload templates, its ResourceBindings, and per member cluster
// its workloads, pods and metrics are LISTed once, and each evaluation takes its own out of them (pods and
// resource metrics grouped by the target's selector with Kubernetes' label matching, custom Pods metrics by
// the pods so selected). Karmada's controller reads the same objects from informer caches, equally a moment
// old: a list is made when the first evaluation of its namespace asks for it, and dropped when the last one
// ends, so it is as fresh as the namespace's evaluations and memory holds one namespace's objects at a time
// per evaluation in flight.
//
// What a list costs more than it gets: a namespace with ONE FederatedHPA (for a kind) reads its objects
// directly, since a LIST costs the same request count as a GET there and carries every other pod and workload of
// the namespace besides. Kinds whose /scale is not the object's own fields (custom resources declare their
// selector path in their CRD, which fhpa does not read) read /scale directly, as do Object and External
// metrics (one value per object, nothing to share).
//
// Staleness cannot cause a wrong write: the template's resourceVersion from the list is the one its /scale
// carries (Kubernetes serves /scale from the same object), so a scale PATCH decided on a stale list fails
// with 409 and the evaluation decides again from direct reads (evaluate.ts). A list that fails is not fatal:
// the evaluations that needed it read directly instead, and those reads report their own errors.

/** What a sweep's reads need: where to list, where to read directly, and which FederatedHPAs it evaluates. */
export interface SweepReadsOptions {
  direct: TargetReads;
  lists: FleetLists;
  readyClusters: ReadonlySet<string> | undefined;
  fhpas: readonly FederatedHPA[];
  warn: (message: string) => void;
}

export interface SweepReads extends TargetReads {
  /** One evaluation of `namespace` ended: the namespace's lists are dropped with its last evaluation. */
  release(namespace: string): void;
}

/** Shared lists pay from two FederatedHPAs of a namespace (and target kind) on. */
export const LIST_FROM = 2;

export function createSweepReads(opts: SweepReadsOptions): SweepReads {
  const { direct, lists } = opts;
  const perNamespace = new Map<string, number>();
  const perKind = new Map<string, number>();
  for (const f of opts.fhpas) {
    const ns = f.metadata.namespace ?? 'default';
    perNamespace.set(ns, (perNamespace.get(ns) ?? 0) + 1);
    const k = kindKey(ns, f.spec.scaleTargetRef);
    perKind.set(k, (perKind.get(k) ?? 0) + 1);
  }
  const pending = new Map(perNamespace);
  const memo = new Map<string, Map<string, Promise<unknown>>>();
  const matchers = new Map<string, LabelMatcher | undefined>();

  const shared = <T>(namespace: string, key: string, load: () => Promise<T>): Promise<T> => {
    let m = memo.get(namespace);
    if (!m) {
      m = new Map();
      memo.set(namespace, m);
    }
    let p = m.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      p.catch((err: unknown) =>
        opts.warn(`shared list ${key} in ${namespace} failed, reading directly: ${errText(err)}`),
      );
      m.set(key, p);
    }
    return p;
  };
  const listsPay = (namespace: string) => (perNamespace.get(namespace) ?? 0) >= LIST_FROM;
  const objectScale = (namespace: string, ref: CrossVersionObjectReference) =>
    (perKind.get(kindKey(namespace, ref)) ?? 0) >= LIST_FROM;
  // An unparsable selector is left to the API server, which names the error (a direct read).
  const matcher = (selector: string) => {
    if (!matchers.has(selector)) matchers.set(selector, labelMatcher(selector));
    return matchers.get(selector);
  };
  const podsOf = (namespace: string, cluster: string) =>
    shared(namespace, `pods ${cluster}`, () => lists.listMemberPods(cluster, namespace));

  const getScale = async (namespace: string, ref: CrossVersionObjectReference): Promise<TargetScale> => {
    const gvr = await lists.resourceFor(ref);
    if (!SCALE_FROM_OBJECT.has(`${gvr.group}/${ref.kind}`) || !objectScale(namespace, ref))
      return direct.getScale(namespace, ref);
    const items = await shared(namespace, `templates ${ref.kind}`, () =>
      lists.listWorkloads(gvr, namespace),
    ).catch(() => undefined);
    const item = items?.find((w) => w.name === ref.name);
    // Not in the list (created since): its own GET answers, or says it is not there.
    if (!item) return direct.getScale(namespace, ref);
    return {
      replicas: item.replicas,
      statusReplicas: item.statusReplicas,
      selector: item.selector,
      resourceVersion: item.resourceVersion,
      resource: gvr,
    };
  };

  return {
    getScale,
    async getTargetClusters(namespace, ref, o = {}) {
      const ready = o.readyClusters ?? opts.readyClusters;
      if (!listsPay(namespace) || !ready) return direct.getTargetClusters(namespace, ref, o);
      const [gvr, bindings] = await Promise.all([
        lists.resourceFor(ref),
        shared(namespace, 'bindings', () => lists.listBindings(namespace)).catch(() => undefined),
      ]);
      const apiVersion = gvr.group === '' ? gvr.version : `${gvr.group}/${gvr.version}`;
      const binding = bindings?.find(
        (b) =>
          b.spec.resource.name === ref.name &&
          b.spec.resource.kind === ref.kind &&
          b.spec.resource.apiVersion === apiVersion,
      );
      // None (or an invalid one skipped): the direct lookup says exactly why.
      if (!binding) return direct.getTargetClusters(namespace, ref, o);
      return boundTargets(binding, ready);
    },
    async getMemberScales(namespace, ref, clusters) {
      const gvr = await lists.resourceFor(ref);
      if (!SCALE_FROM_OBJECT.has(`${gvr.group}/${ref.kind}`) || !objectScale(namespace, ref))
        return direct.getMemberScales(namespace, ref, clusters);
      const members = await Promise.all(
        clusters.map(async (cluster): Promise<MemberPlacement[]> => {
          const items = await shared(namespace, `workloads ${ref.kind} ${cluster}`, () =>
            lists.listWorkloads(gvr, namespace, cluster),
          ).catch(() => undefined);
          const item = items?.find((w) => w.name === ref.name);
          // A failed list, or a workload not (yet) in the member: its own read answers as it would alone.
          if (!item) return direct.getMemberScales(namespace, ref, [cluster]);
          return [
            {
              name: cluster,
              specReplicas: item.replicas,
              statusReplicas: item.statusReplicas,
              selector: item.selector,
            },
          ];
        }),
      );
      return members.flat();
    },
    async listPods(namespace, selector, clusters) {
      const match = matcher(selector);
      if (!listsPay(namespace) || !match) return direct.listPods(namespace, selector, clusters);
      const perCluster = await Promise.all(
        clusters.map(async (cluster): Promise<PodInfo[]> => {
          const pods = await podsOf(namespace, cluster).catch(() => undefined);
          if (!pods) return direct.listPods(namespace, selector, [cluster]);
          return pods.filter((p) => match(p.labels)).map((p) => p.item);
        }),
      );
      return perCluster.flat();
    },
    async getResourceMetrics(namespace, selector, clusters) {
      const match = matcher(selector);
      if (!listsPay(namespace) || !match) return direct.getResourceMetrics(namespace, selector, clusters);
      const perCluster = await Promise.all(
        clusters.map((cluster) =>
          shared(namespace, `podmetrics ${cluster}`, () => lists.listMemberPodMetrics(cluster, namespace)),
        ),
      ).catch(() => undefined);
      // Any member's list failed: the direct read applies the skip-or-fail rules (member-results.ts) and the
      // fall back to karmada-metrics-adapter (metrics-resource.ts) to all of them together.
      if (!perCluster) return direct.getResourceMetrics(namespace, selector, clusters);
      return perCluster.flat().flatMap((m) => (match(m.labels) ? [m.item] : []));
    },
    async getPodsMetric(namespace, metric, selector, metricSelector, clusters) {
      const match = matcher(selector);
      if (!listsPay(namespace) || !match)
        return direct.getPodsMetric(namespace, metric, selector, metricSelector, clusters);
      const key = `${metric} ${JSON.stringify(metricSelector ?? {})}`;
      const perCluster = await Promise.all(
        clusters.map(async (cluster) => {
          const [pods, samples] = await Promise.all([
            podsOf(namespace, cluster),
            shared(namespace, `podsmetric ${key} ${cluster}`, () =>
              lists.listMemberPodsMetric(cluster, namespace, metric, metricSelector),
            ),
          ]);
          // The adapter selects the series by the pods' labels; the same pods, selected here, name them.
          const names = new Set(pods.filter((p) => match(p.labels)).map((p) => p.item.name));
          return samples.filter((s) => names.has(s.pod));
        }),
      ).catch(() => undefined);
      if (!perCluster) return direct.getPodsMetric(namespace, metric, selector, metricSelector, clusters);
      return perCluster.flat();
    },
    getObjectMetric: (namespace, describedObject, metric, metricSelector?: LabelSelector) =>
      direct.getObjectMetric(namespace, describedObject, metric, metricSelector),
    getExternalMetric: (namespace, metric, metricSelector?: LabelSelector) =>
      direct.getExternalMetric(namespace, metric, metricSelector),
    release(namespace) {
      const left = (pending.get(namespace) ?? 1) - 1;
      pending.set(namespace, left);
      if (left <= 0) memo.delete(namespace);
    },
  };
}

const kindKey = (namespace: string, ref: CrossVersionObjectReference) =>
  `${namespace}/${ref.apiVersion ?? ''}/${ref.kind}`;
const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
