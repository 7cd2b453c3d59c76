// Kubernetes Federation v1's split of a federated HPA's bounds over member clusters (seed 001, "联邦
// 横向 Pod 伸缩器"; kubernetes/federation pkg/federatedtypes/hpa.go#getHpaScheduleState). `fhpa plan`
// shows it so users moving from per-cluster HPAs see the per-cluster min/max they would have had.
//
// Only the first schedule is modelled: no cluster has a local HPA yet. Later reconciles move min/max
// between clusters by their local HPA status (maxReplicasNeeded, minReplicasReducible, ...), which
// needs live status and is out of scope. Federation v1 walks clusters in Go map order (random); we walk
// them in name order so the answer is stable.

export interface ClusterBounds {
  name: string;
  minReplicas: number;
  maxReplicas: number;
}

export interface FederationV1Split {
  /** Clusters that get a local HPA, names ascending. */
  clusters: ClusterBounds[];
  /** Clusters left without an HPA because maxReplicas ran out before reaching them. */
  skipped: string[];
}

/**
 * maxReplicas is dealt out in chunks of max(2, ⌊max/n⌋) until it runs out (the last cluster reached
 * takes what is left); then minReplicas (default 1) in chunks of max(1, ⌊min/n⌋) over the clusters that
 * got a max, never above a cluster's max; finally a cluster holding a max but min 0 gets min 1, so the
 * sum of mins is never 0 and may exceed minReplicas. Σmax = maxReplicas, Σmin ≥ minReplicas.
 * Example from the seed: 3 clusters, max 9, min 2 → max 3 and min 1 each.
 */
export function federationV1Split(
  minReplicas: number | undefined,
  maxReplicas: number,
  clusterNames: string[],
): FederationV1Split {
  const names = [...new Set(clusterNames)].sort();
  // Go divides by len(clusters) and would panic with none; there is nothing to split.
  if (names.length === 0) return { clusters: [], skipped: [] };
  const requestedMin = minReplicas ?? 1;
  const n = names.length;
  // "Cap the lowest limit of Max to 2": with min = max = 1 everywhere no rebalancing could happen.
  const chunkMax = Math.max(2, Math.floor(maxReplicas / n));
  const chunkMin = Math.max(1, Math.floor(requestedMin / n));
  const bounds = new Map<string, { min: number; max: number }>();

  // distributeMaxReplicas, all clusters new (lists.noHpa).
  let toMax = maxReplicas;
  while (toMax > 0) {
    for (const name of names) {
      const b = bounds.get(name) ?? { min: 0, max: 0 };
      bounds.set(name, b);
      if (toMax < chunkMax) {
        b.max += toMax;
        toMax = 0;
        break;
      }
      b.max += chunkMax;
      toMax -= chunkMax;
    }
  }

  // distributeMinReplicas over the clusters that received a max.
  let toMin = requestedMin;
  let chunk = chunkMin;
  while (toMin > 0) {
    let given = 0;
    for (const name of names) {
      const b = bounds.get(name);
      if (b === undefined) continue;
      const step = Math.min(toMin, chunk);
      if (b.max - step < b.min) continue; // would pass this cluster's max
      b.min += step;
      toMin -= step;
      given += step;
    }
    if (given > 0) continue;
    // Federation v1 loops forever once no cluster has room for a whole chunk (its own "TODO: can this
    // become an infinite loop?"; e.g. 6 clusters, max 180, min 176 leaves 2 to place in chunks of 29).
    // We carry on one replica at a time, and stop when no cluster has room at all (min > max).
    if (chunk === 1) break;
    chunk = 1;
  }

  // finaliseScheduleState: the sum of mins is never 0.
  for (const b of bounds.values()) if (b.min <= 0 && b.max > 0) b.min = 1;

  // Go also records {0, 0} for the cluster reached just after max ran out and would create an HPA
  // with maxReplicas 0 there, which the member cluster rejects: we count it as skipped.
  const got = (name: string) => (bounds.get(name)?.max ?? 0) > 0;
  return {
    clusters: names.filter(got).map((name) => {
      const b = bounds.get(name)!;
      return { name, minReplicas: b.min, maxReplicas: b.max };
    }),
    skipped: names.filter((name) => !got(name)),
  };
}
