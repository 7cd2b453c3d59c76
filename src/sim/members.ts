import { podRequests } from './capacity.ts';
import { rfc3339 } from './clock.ts';

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

/**
 * A member's pods by `namespace/name`, indexed by namespace, by owning workload and by name, so that reading
 * one workload's pods does not scan the whole cluster (a sweep of 10,000 workloads reads each one's pods
 * several times). Records are never changed in place once stored, so the indexes only follow set and delete.
 * It also keeps the pods' requests summed (Cluster status.resourceSummary.allocated, capacity.ts), since the
 * scheduler's estimator reads them for every workload it divides: summing them on each read made setting up a
 * fleet quadratic in its size.
 */
export class PodMap extends Map<string, PodRecord> {
  // Never built from entries: Map's constructor would call set before these fields exist.
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly names = new Map<string, number>();
  private readonly requested = new Map<string, bigint>();

  /** The requests of every pod here, summed per resource in milli-units (pods counts 1000 per pod). */
  get allocated(): ReadonlyMap<string, bigint> {
    return this.requested;
  }

  override set(key: string, pod: PodRecord): this {
    const old = super.get(key);
    if (old) this.unindex(key, old);
    super.set(key, pod);
    this.index(key, pod);
    return this;
  }

  override delete(key: string): boolean {
    const old = super.get(key);
    if (!old) return false;
    this.unindex(key, old);
    return super.delete(key);
  }

  override clear(): void {
    super.clear();
    this.byNamespace.clear();
    this.byOwner.clear();
    this.names.clear();
    this.requested.clear();
  }

  /** The pods of one namespace, in no promised order (callers sort, as they do the whole map's values). */
  inNamespace(namespace: string): PodRecord[] {
    return this.records(this.byNamespace.get(namespace));
  }

  ownedBy(kind: WorkloadKind, namespace: string, name: string): PodRecord[] {
    return this.records(this.byOwner.get(MemberCluster.workloadKey(kind, namespace, name)));
  }

  /** Whether any pod of this member, in any namespace, has this name. */
  hasName(name: string): boolean {
    return this.names.has(name);
  }

  private records(keys: Set<string> | undefined): PodRecord[] {
    const out: PodRecord[] = [];
    for (const key of keys ?? []) {
      const pod = super.get(key);
      if (pod) out.push(pod);
    }
    return out;
  }

  private index(key: string, pod: PodRecord) {
    add(this.byNamespace, pod.namespace, key);
    add(this.byOwner, MemberCluster.workloadKey(pod.ownerKind, pod.namespace, pod.ownerName), key);
    this.names.set(pod.name, (this.names.get(pod.name) ?? 0) + 1);
    for (const [name, milli] of podRequests(pod.containers))
      this.requested.set(name, (this.requested.get(name) ?? 0n) + milli);
  }

  private unindex(key: string, pod: PodRecord) {
    remove(this.byNamespace, pod.namespace, key);
    remove(this.byOwner, MemberCluster.workloadKey(pod.ownerKind, pod.namespace, pod.ownerName), key);
    const n = (this.names.get(pod.name) ?? 0) - 1;
    if (n > 0) this.names.set(pod.name, n);
    else this.names.delete(pod.name);
    for (const [name, milli] of podRequests(pod.containers)) {
      const left = (this.requested.get(name) ?? 0n) - milli;
      if (left !== 0n) this.requested.set(name, left);
      else this.requested.delete(name);
    }
  }
}

function add(index: Map<string, Set<string>>, at: string, key: string) {
  let keys = index.get(at);
  if (!keys) {
    keys = new Set();
    index.set(at, keys);
  }
  keys.add(key);
}

function remove(index: Map<string, Set<string>>, at: string, key: string) {
  const keys = index.get(at);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(at);
}

export class MemberCluster {
  readonly workloads = new Map<string, MemberWorkload>();
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
