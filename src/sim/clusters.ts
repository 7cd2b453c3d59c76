import { rfc3339 } from './clock.ts';
import type { KObject } from './object-store.ts';
import { apiVersionOf, CLUSTERS } from './resources.ts';

// Member clusters as the Karmada API server lists them (cluster.karmada.io/v1alpha1 Cluster). Their
// Ready condition, set as karmada's cluster_status_controller.go words it, is the one source of truth for
// whether a member is reachable: the metrics adapter skips unready members and the proxy refuses them.

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
    status: { kubernetesVersion: 'v1.31.3', conditions: [readyCondition(true, now)] },
  };
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
