import type { Toleration } from '../api/propagationpolicy.ts';
import { DEFAULT_ALLOCATABLE } from './capacity.ts';
import { rfc3339 } from './clock.ts';
import type { KObject } from './object-store.ts';
import { apiVersionOf, CLUSTERS } from './resources.ts';

// Member clusters as the Karmada API server lists them (cluster.karmada.io/v1alpha1 Cluster). Their
// Ready condition, set as karmada's cluster_status_controller.go words it, is the one source of truth for
// whether a member is reachable: the metrics adapter skips unready members and the proxy refuses them.
// A NotReady cluster carries the taint Karmada's cluster controller gives it
// (cluster_controller.go#taintClusterByCondition: Ready=False → cluster.karmada.io/not-ready:NoSchedule), and
// the scheduler's TaintToleration filter places nothing there unless the policy tolerates it.

export const NOT_READY_TAINT = { key: 'cluster.karmada.io/not-ready', effect: 'NoSchedule' } as const;

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export function readyCondition(ready: boolean, now: number) {
  const at = rfc3339(now);
  return ready
    ? {
        type: 'Ready',
        status: 'True',
        reason: 'ClusterReady',
        message: 'cluster is healthy and ready to accept workloads',
        lastTransitionTime: at,
      }
    : {
        type: 'Ready',
        status: 'False',
        reason: 'ClusterNotReachable',
        message: 'cluster is not reachable',
        lastTransitionTime: at,
      };
}

/** A freshly joined, Ready member in Push mode. */
export function clusterObject(name: string, now: number): KObject {
  return {
    apiVersion: apiVersionOf(CLUSTERS),
    kind: CLUSTERS.kind,
    metadata: { name },
    spec: { syncMode: 'Push', apiEndpoint: `https://${name}.sim.invalid:6443` },
    status: {
      kubernetesVersion: 'v1.31.3',
      conditions: [readyCondition(true, now)],
      resourceSummary: { allocatable: { ...DEFAULT_ALLOCATABLE } },
    },
  };
}

/** The cluster's spec with the not-ready taint added or removed to match its readiness. */
export function withTaints(cluster: KObject, ready: boolean): KObject {
  const spec = (cluster.spec ?? {}) as { taints?: Taint[] };
  const others = (spec.taints ?? []).filter((t) => t.key !== NOT_READY_TAINT.key);
  const taints = ready ? others : [...others, { ...NOT_READY_TAINT }];
  const { taints: _, ...rest } = spec;
  return { ...cluster, spec: taints.length > 0 ? { ...rest, taints } : rest };
}

/** corev1 Toleration.ToleratesTaint. */
function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** taint_toleration.go (scheduler filter plugin): every NoSchedule/NoExecute taint must be tolerated. */
export function schedulable(cluster: Readonly<KObject>, tolerations: readonly Toleration[]): boolean {
  const taints = ((cluster.spec as { taints?: Taint[] } | undefined)?.taints ?? []).filter(
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  return taints.every((taint) => tolerations.some((t) => tolerates(t, taint)));
}

export function isReadyCluster(cluster: KObject | undefined): boolean {
  const conditions = (cluster?.status as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The cluster with its Ready condition replaced; lastTransitionTime moves only because status flips. */
export function withReadiness(cluster: KObject, ready: boolean, now: number): KObject {
  return {
    ...cluster,
    status: { ...((cluster.status as object | undefined) ?? {}), conditions: [readyCondition(ready, now)] },
  };
}
