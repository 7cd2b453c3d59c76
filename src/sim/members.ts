import { rfc3339 } from './clock.ts';
import { PodMap } from './pod-map.ts';
import { WorkloadMap } from './workload-map.ts';

// What runs in each member cluster: the workloads Karmada propagated there (with the replica count the
// division gave the cluster) and their pods. Pods are records with a creation instant; whether they are
// Pending or Running+Ready is derived on read from the simulated clock and the startup delay, so time
// passing needs no tick.

export type WorkloadKind = 'Deployment' | 'StatefulSet';

export interface ContainerSpec {
  name: string;
  image?: string;
  requests?: Record<string, string | number>;
}

export interface MemberWorkload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  replicas: number;
  podLabels: Record<string, string>;
  containers: ContainerSpec[];
  /** pod-template-hash of the pod template (Deployment pods carry it in their name and labels). */
  templateHash: string;
  generation: number;
}

export interface PodRecord {
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  containers: ContainerSpec[];
  ownerKind: WorkloadKind;
  ownerName: string;
  createdAt: number;
  /**
   * Its containers run but its readiness probe keeps failing (SimState.setPodsUnready): Running, not Ready, no
   * traffic from the Service, and metrics-server still reports its usage (the HPA's unready-pod rules).
   */
  heldUnready?: boolean;
}

export class MemberCluster {
  readonly workloads = new WorkloadMap();
  readonly pods = new PodMap();
  constructor(readonly name: string) {}

  static workloadKey(kind: WorkloadKind, namespace: string, name: string) {
    return `${kind}/${namespace}/${name}`;
  }

  podsOf(w: { kind: WorkloadKind; namespace: string; name: string }): PodRecord[] {
    return this.pods
      .ownedBy(w.kind, w.namespace, w.name)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** Its containers have started (after the startup delay): Running, and reported by metrics-server. */
export const isRunning = (pod: PodRecord, now: number, startupDelayMs: number) =>
  now >= pod.createdAt + startupDelayMs;

export const isReady = (pod: PodRecord, now: number, startupDelayMs: number) =>
  isRunning(pod, now, startupDelayMs) && !pod.heldUnready;

export interface PodNaming {
  /** A fresh 5-character suffix (rand.String's alphabet). */
  suffix(): string;
  uid(): string;
  /** Whether a pod name is already used in any member cluster (generated names are globally unique). */
  taken(name: string): boolean;
}

/**
 * Brings the workload's pods in `cluster` to `w.replicas`. New pods start now (Pending until the startup
 * delay has passed). Removal follows the ReplicaSet controller's ranking (controller_utils.go
 * #ActivePodsWithRanks: not-ready before ready, then the newest first); a StatefulSet removes its highest
 * ordinals and adds the lowest free ones (stateful_set_control.go), so its pod names repeat across
 * clusters as in karmada issue 4257.
 */
export function scalePods(
  cluster: MemberCluster,
  w: MemberWorkload,
  now: number,
  startupDelayMs: number,
  naming: PodNaming,
): void {
  const pods = cluster.podsOf(w);
  if (pods.length > w.replicas) {
    const ranked =
      w.kind === 'StatefulSet'
        ? [...pods].sort((a, b) => ordinal(b.name) - ordinal(a.name))
        : [...pods].sort(
            (a, b) =>
              Number(isReady(a, now, startupDelayMs)) - Number(isReady(b, now, startupDelayMs)) ||
              b.createdAt - a.createdAt,
          );
    for (const pod of ranked.slice(0, pods.length - w.replicas)) cluster.pods.delete(podKey(pod));
    return;
  }
  const used = new Set(pods.map((p) => ordinal(p.name)));
  for (let i = pods.length, next = 0; i < w.replicas; i++) {
    let name: string;
    if (w.kind === 'StatefulSet') {
      while (used.has(next)) next++;
      used.add(next);
      name = `${w.name}-${next}`;
    } else {
      do name = `${w.name}-${w.templateHash}-${naming.suffix()}`;
      while (naming.taken(name));
    }
    const pod: PodRecord = {
      cluster: cluster.name,
      namespace: w.namespace,
      name,
      uid: naming.uid(),
      labels: {
        ...w.podLabels,
        ...(w.kind === 'Deployment'
          ? { 'pod-template-hash': w.templateHash }
          : { 'statefulset.kubernetes.io/pod-name': name }),
      },
      containers: structuredClone(w.containers),
      ownerKind: w.kind,
      ownerName: w.name,
      createdAt: now,
    };
    cluster.pods.set(podKey(pod), pod);
  }
}

export const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

function ordinal(name: string): number {
  const m = /-(\d+)$/.exec(name);
  return m ? Number(m[1]) : -1;
}

/** The core/v1 Pod a member's API server would return for the record at `now`. */
export function renderPod(pod: PodRecord, now: number, startupDelayMs: number, templateHash?: string) {
  const ready = isReady(pod, now, startupDelayMs);
  const running = isRunning(pod, now, startupDelayMs);
  const created = rfc3339(pod.createdAt);
  const readyAt = rfc3339(pod.createdAt + startupDelayMs);
  const transition = ready ? readyAt : created;
  const condition = (type: string, status: boolean, at: string) => ({
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: at,
    ...(status ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status' }),
  });
  const owner =
    pod.ownerKind === 'Deployment'
      ? { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${pod.ownerName}-${templateHash ?? ''}` }
      : { apiVersion: 'apps/v1', kind: 'StatefulSet', name: pod.ownerName };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      uid: pod.uid,
      labels: pod.labels,
      creationTimestamp: created,
      ownerReferences: [{ ...owner, uid: '', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      nodeName: `${pod.cluster}-worker`,
      containers: pod.containers.map((c) => ({
        name: c.name,
        image: c.image ?? 'registry.k8s.io/pause:3.10',
        resources: c.requests ? { requests: c.requests } : {},
      })),
    },
    status: {
      phase: running ? 'Running' : 'Pending',
      // The kubelet sets startTime when it accepts the pod, before images are pulled.
      startTime: created,
      conditions: [
        condition('PodScheduled', true, created),
        condition('Initialized', true, created),
        condition('ContainersReady', ready, transition),
        condition('Ready', ready, transition),
      ],
      containerStatuses: pod.containers.map((c) => ({
        name: c.name,
        ready,
        started: running,
        restartCount: 0,
        image: c.image ?? 'registry.k8s.io/pause:3.10',
        state: running ? { running: { startedAt: readyAt } } : { waiting: { reason: 'ContainerCreating' } },
      })),
    },
  };
}

export interface WorkloadStatus {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  unavailableReplicas: number;
}

/** A member workload's status as its controller would report it; deleted pods are already gone. */
export function memberWorkloadStatus(
  cluster: MemberCluster,
  w: MemberWorkload,
  now: number,
  startupDelayMs: number,
): WorkloadStatus {
  const pods = cluster.podsOf(w);
  const ready = pods.filter((p) => isReady(p, now, startupDelayMs)).length;
  return {
    replicas: pods.length,
    readyReplicas: ready,
    availableReplicas: ready,
    updatedReplicas: pods.length,
    unavailableReplicas: Math.max(0, w.replicas - ready),
  };
}
