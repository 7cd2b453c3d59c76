import { podRequests } from './capacity.ts';
import type { PodRecord, WorkloadKind } from './members.ts';

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
    return this.records(this.byOwner.get(ownerKey(kind, namespace, name)));
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
    indexAdd(this.byNamespace, pod.namespace, key);
    indexAdd(this.byOwner, ownerKey(pod.ownerKind, pod.namespace, pod.ownerName), key);
    this.names.set(pod.name, (this.names.get(pod.name) ?? 0) + 1);
    for (const [name, milli] of podRequests(pod.containers))
      this.requested.set(name, (this.requested.get(name) ?? 0n) + milli);
  }

  private unindex(key: string, pod: PodRecord) {
    indexRemove(this.byNamespace, pod.namespace, key);
    indexRemove(this.byOwner, ownerKey(pod.ownerKind, pod.namespace, pod.ownerName), key);
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

/** Adds `key` to the set kept for `at`. */
export function indexAdd(index: Map<string, Set<string>>, at: string, key: string) {
  let keys = index.get(at);
  if (!keys) {
    keys = new Set();
    index.set(at, keys);
  }
  keys.add(key);
}

/** Removes `key` from the set kept for `at`, and the set once empty. */
export function indexRemove(index: Map<string, Set<string>>, at: string, key: string) {
  const keys = index.get(at);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(at);
}

/** The owner index's key; internal to the map (MemberCluster.workloadKey names member workloads). */
const ownerKey = (kind: WorkloadKind, namespace: string, name: string) => `${kind}/${namespace}/${name}`;
