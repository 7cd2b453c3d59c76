import { type Resources, resourceSummary, summaryOf } from './capacity.ts';
import { ClusterHealth } from './cluster-health.ts';
import { clusterObject, isReadyCluster, withReadiness, withTaints } from './clusters.ts';
import { MemberCluster } from './members.ts';
import type { KObject, ObjectStore } from './object-store.ts';
import { CLUSTERS } from './resources.ts';

// The member clusters Karmada knows: each one's Cluster object (Ready condition, taints, allocatable) in the
// store beside what runs in it (MemberCluster), and whether its API server answers (cluster-health.ts).

export class ClusterMembership {
  readonly health: ClusterHealth;
  private readonly memberMap = new Map<string, MemberCluster>();

  constructor(
    private readonly store: ObjectStore,
    private readonly now: () => number,
  ) {
    this.health = new ClusterHealth({
      now,
      isReadyCondition: (name) => isReadyCluster(this.store.peek(CLUSTERS, undefined, name)),
      setClusterReady: (name, ready) => this.setReady(name, ready),
    });
  }

  member(name: string): MemberCluster {
    let m = this.memberMap.get(name);
    if (!m) {
      m = new MemberCluster(name);
      this.memberMap.set(name, m);
    }
    return m;
  }

  members(): MemberCluster[] {
    return [...this.memberMap.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Joins a member cluster: a Cluster object with condition Ready=True. */
  add(name: string): KObject {
    this.member(name);
    return this.store.create(CLUSTERS, clusterObject(name, this.now()), { keepStatus: true });
  }

  /**
   * Flips a cluster's Ready condition; the metrics adapter and the cluster proxy stop serving it, and Karmada's
   * cluster controller taints it (clusters.ts), so the scheduler places no new replicas there.
   */
  setReady(name: string, ready: boolean): KObject {
    const cluster = this.store.mustGet(CLUSTERS, undefined, name);
    if (isReadyCluster(cluster) === ready) return cluster;
    const updated = this.store.update(CLUSTERS, withReadiness(cluster, ready, this.now()), {
      subresource: 'status',
    });
    return this.store.update(CLUSTERS, withTaints(updated, ready));
  }

  /** What a member's nodes offer (Cluster status.resourceSummary.allocatable), e.g. { cpu: '4', pods: '20' }. */
  setAllocatable(name: string, allocatable: Resources): KObject {
    const cluster = this.store.mustGet(CLUSTERS, undefined, name);
    const status = (cluster.status ?? {}) as Record<string, unknown>;
    return this.store.update(
      CLUSTERS,
      { ...cluster, status: { ...status, resourceSummary: { allocatable: { ...allocatable } } } },
      { subresource: 'status' },
    );
  }

  /** A Cluster's resourceSummary as Karmada's status controller reports it now (capacity.ts). */
  resourceSummary(name: string) {
    const allocatable = summaryOf(this.store.peek(CLUSTERS, undefined, name))?.allocatable;
    return allocatable && resourceSummary(this.member(name), allocatable);
  }

  isReady(name: string): boolean {
    this.health.catchUp(name);
    return isReadyCluster(this.store.peek(CLUSTERS, undefined, name));
  }

  /**
   * A member's API server stops (or starts again) answering; its Cluster stays Ready until Karmada's failure
   * threshold has passed (cluster-health.ts).
   */
  setDown(name: string, down: boolean): void {
    this.store.mustGet(CLUSTERS, undefined, name);
    this.health.setDown(name, down);
  }

  /** Whether the member answers: Ready and not down (a down member can still be Ready, for a while). */
  isServing(name: string): boolean {
    return this.isReady(name) && !this.health.isDown(name);
  }
}
