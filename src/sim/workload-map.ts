import type { MemberWorkload } from './members.ts';
import { indexAdd, indexRemove } from './pod-map.ts';

/**
 * A member's workloads by MemberCluster.workloadKey, indexed by namespace: a sweep lists each namespace's
 * workloads of every member once, and a scan of the whole member per list made a fleet's sweep quadratic.
 */
export class WorkloadMap extends Map<string, MemberWorkload> {
  // Never built from entries: Map's constructor would call set before this field exists.
  private readonly byNamespace = new Map<string, Set<string>>();

  override set(key: string, w: MemberWorkload): this {
    const old = super.get(key);
    if (old) indexRemove(this.byNamespace, old.namespace, key);
    super.set(key, w);
    indexAdd(this.byNamespace, w.namespace, key);
    return this;
  }

  override delete(key: string): boolean {
    const old = super.get(key);
    if (!old) return false;
    indexRemove(this.byNamespace, old.namespace, key);
    return super.delete(key);
  }

  override clear(): void {
    super.clear();
    this.byNamespace.clear();
  }

  /** The workloads of one namespace, of every kind, in no promised order. */
  inNamespace(namespace: string): MemberWorkload[] {
    const out: MemberWorkload[] = [];
    for (const key of this.byNamespace.get(namespace) ?? []) {
      const w = super.get(key);
      if (w) out.push(w);
    }
    return out;
  }
}
