// A member whose API server stopped answering, as Karmada finds out: the cluster status controller probes each
// member every cluster-status-update-frequency (10 s) and keeps the last Ready condition until the probes
// have failed for cluster-failure-threshold (30 s), and flips it back only after they have succeeded for
// cluster-success-threshold (30 s) (cluster_status_controller.go, thresholdAdjustedReadyCondition). In the
// window the cluster is still Ready: the proxy keeps forwarding to it and every request fails, as the
// upgrade-aware proxy answers a refused dial (500, metav1.StatusReasonUnknown, the dial error as message);
// the metrics adapter skips the member as it skips any member it cannot query. Simplification: the condition
// flips exactly at the threshold (Karmada's probe period adds up to 10 s).

export const CLUSTER_FAILURE_THRESHOLD_MS = 30_000;
export const CLUSTER_SUCCESS_THRESHOLD_MS = 30_000;

export interface HealthTarget {
  now(): number;
  isReadyCondition(name: string): boolean;
  setClusterReady(name: string, ready: boolean): unknown;
}

export class ClusterHealth {
  /** Members whose reachability was set, with since when (simulated ms). */
  private readonly states = new Map<string, { down: boolean; since: number }>();

  constructor(private readonly target: HealthTarget) {}

  /** The member's API server stops (true) or starts (false) answering. */
  setDown(name: string, down: boolean): void {
    const prior = this.states.get(name);
    if (prior?.down === down) return;
    this.states.set(name, { down, since: this.target.now() });
  }

  isDown(name: string): boolean {
    return this.states.get(name)?.down ?? false;
  }

  /** Karmada's status controller catching up: the Ready condition once a threshold has passed. */
  catchUp(name: string): void {
    const s = this.states.get(name);
    if (!s) return;
    const elapsed = this.target.now() - s.since;
    const ready = this.target.isReadyCondition(name);
    if (s.down && ready && elapsed >= CLUSTER_FAILURE_THRESHOLD_MS) this.target.setClusterReady(name, false);
    if (!s.down && !ready && elapsed >= CLUSTER_SUCCESS_THRESHOLD_MS) {
      this.target.setClusterReady(name, true);
      this.states.delete(name);
    }
    if (!s.down && ready) this.states.delete(name);
  }

  catchUpAll(): void {
    for (const name of [...this.states.keys()]) this.catchUp(name);
  }
}
