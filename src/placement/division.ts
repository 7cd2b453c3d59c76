import { type DivisionAlgorithm, takeByWeight } from './take-by-weight.ts';
import { allocateWebsterSeats, nameOrderForUid } from './webster.ts';

// Karmada's division of a workload's replicas across member clusters (karmada pkg/scheduler/core/
// assignment.go, division_algorithm.go, common.go; pkg/util/helper/binding.go). Pure: the caller
// supplies the candidate clusters, their available replicas (the estimator's answer) and the previous
// assignment. Shared by the simulated control plane and `fhpa plan`.

export type ReplicaScheduling =
  | { type: 'Duplicated' }
  // No staticWeights: weight 1 each (assignment.go#getDefaultWeightPreference).
  | { type: 'Divided'; preference: 'Weighted'; staticWeights?: { cluster: string; weight: number }[] }
  | { type: 'Divided'; preference: 'Weighted'; dynamicWeight: 'AvailableReplicas' }
  | { type: 'Divided'; preference: 'Aggregated' };

export interface ClusterCandidate {
  name: string;
  /** What the cluster can still take (estimator AllocatableReplicas); absent = no estimator answer. */
  availableReplicas?: number;
  /** Replicas the previous scheduling put on this cluster (binding spec.clusters); absent = 0. */
  previousReplicas?: number;
}

export interface DivisionInput {
  replicas: number;
  clusters: ClusterCandidate[];
  scheduling: ReplicaScheduling;
  /** The resource's UID: decides the name order of ties (binding.go#tieBreakerByUID). */
  uid?: string;
  /** Fresh mode (spec.rescheduleTriggeredAt after the last schedule): ignore stickiness. */
  fresh?: boolean;
  /** Webster (Karmada v1.16+, the default) or TakeByWeight (v1.12–v1.15, take-by-weight.ts). */
  algorithm?: DivisionAlgorithm;
  /** [0, 1): breaks TakeByWeight's random ties (default always 0, a fixed order). */
  random?: () => number;
}

export interface Assignment {
  name: string;
  replicas: number;
}

export type DivisionResult = { ok: true; assignments: Assignment[] } | { ok: false; message: string };

const MAX_INT32 = 2_147_483_647;

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_INT32;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function validate(input: DivisionInput): string | undefined {
  if (!isCount(input.replicas))
    return `replicas must be an integer in [0, ${MAX_INT32}], got ${input.replicas}`;
  const seen = new Set<string>();
  for (const [i, c] of input.clusters.entries()) {
    if (seen.has(c.name)) return `clusters[${i}].name: duplicate cluster ${JSON.stringify(c.name)}`;
    seen.add(c.name);
    for (const field of ['availableReplicas', 'previousReplicas'] as const) {
      const v = c[field];
      if (v !== undefined && !isCount(v))
        return `clusters[${i}].${field} must be a non-negative integer, got ${v}`;
    }
  }
  if (input.replicas > 0 && input.clusters.length === 0)
    return `no candidate clusters for ${input.replicas} replicas`;
  return undefined;
}

/** Divide `replicas` over the candidate clusters; zero-replica clusters are left out, names ascending. */
export function divideReplicas(input: DivisionInput): DivisionResult {
  const invalid = validate(input);
  if (invalid !== undefined) return { ok: false, message: invalid };
  // Name order makes every result independent of the order the caller listed the clusters in.
  const clusters = [...input.clusters].sort(byName);
  const s = input.scheduling;
  let result: DivisionResult;
  if (s.type === 'Duplicated') {
    result = { ok: true, assignments: clusters.map((c) => ({ name: c.name, replicas: input.replicas })) };
  } else if (s.preference === 'Aggregated') {
    result = assignByAvailability(input, clusters, true);
  } else if ('dynamicWeight' in s) {
    result = assignByAvailability(input, clusters, false);
  } else {
    result = { ok: true, assignments: assignByStaticWeight(input, clusters, s.staticWeights) };
  }
  if (!result.ok) return result;
  // common.go#removeZeroReplicasCluster. Karmada's caller (assignment.go#assignReplicas) divides only when
  // spec.replicas > 0 and otherwise lists every candidate with 0 replicas; the simulator does that step.
  return { ok: true, assignments: result.assignments.filter((a) => a.replicas > 0).sort(byName) };
}

/**
 * assignment.go#assignByStaticWeightStrategy + getStaticWeightInfoList: a cluster's weight is the largest
 * weight listed for it; clusters with weight 0 (or not listed) get nothing; if no candidate has a
 * positive weight, every candidate gets weight 1. The full count is divided afresh each time.
 */
function assignByStaticWeight(
  input: DivisionInput,
  clusters: ClusterCandidate[],
  staticWeights: { cluster: string; weight: number }[] | undefined,
): Assignment[] {
  const votes = new Map<string, number>();
  for (const c of clusters) {
    const weight = staticWeights
      ? staticWeights.reduce((w, rule) => (rule.cluster === c.name ? Math.max(w, rule.weight) : w), 0)
      : 1;
    if (weight > 0) votes.set(c.name, weight);
  }
  if (votes.size === 0) for (const c of clusters) votes.set(c.name, 1);
  return dispense(input.replicas, votes, input, clusters);
}

/**
 * binding.go#Dispenser.AllocateByWeight with no initial result (TakeByWeight before v1.16): nothing when all
 * weights are 0.
 */
function dispense(
  replicas: number,
  votes: Map<string, number>,
  input: DivisionInput,
  clusters: readonly ClusterCandidate[],
): Assignment[] {
  const uid = input.uid;
  let sum = 0;
  for (const v of votes.values()) sum += v;
  if (sum === 0) return [];
  if (input.algorithm === 'take-by-weight') {
    const last = new Map(clusters.map((c) => [c.name, c.previousReplicas ?? 0]));
    const weights = [...votes].map(([name, weight]) => ({ name, weight, lastReplicas: last.get(name) ?? 0 }));
    return takeByWeight(replicas, weights, input.random ?? (() => 0));
  }
  return allocateWebsterSeats(replicas, votes, new Map(), nameOrderForUid(uid)).map((p) => ({
    name: p.name,
    replicas: p.seats,
  }));
}

/**
 * assignment.go#assignByDynamicStrategy (DynamicWeight by AvailableReplicas, and Aggregated).
 * Steady mode keeps the previous result: scale-up divides only the extra replicas by what each cluster
 * can still take and adds them; scale-down re-divides the whole count with the previous replicas as
 * weights; no change keeps the previous result. Fresh mode divides the whole count by available +
 * previous replicas.
 */
function assignByAvailability(
  input: DivisionInput,
  clusters: ClusterCandidate[],
  aggregated: boolean,
): DivisionResult {
  // core/util.go#calAvailableReplicas: without an estimator answer a cluster counts as able to take
  // all of spec.replicas (Karmada replaces MaxInt32 with spec.replicas).
  const available = (c: ClusterCandidate) => c.availableReplicas ?? input.replicas;
  const previous = clusters.filter((c) => (c.previousReplicas ?? 0) > 0);
  const assigned = previous.reduce((sum, c) => sum + (c.previousReplicas ?? 0), 0);
  const asWeights = (f: (c: ClusterCandidate) => number, from: ClusterCandidate[]) =>
    from.map((c) => ({ name: c.name, weight: f(c) }));

  if (input.fresh) {
    // division_algorithm.go#dynamicFreshScale
    const weights = asWeights((c) => available(c) + (c.previousReplicas ?? 0), clusters);
    return divideByWeights(input, weights, input.replicas, aggregated, new Set(), [], 'fresh scale');
  }
  if (assigned > input.replicas) {
    // division_algorithm.go#dynamicScaleDown: previous replicas are the weights, no previous result kept.
    const weights = asWeights((c) => c.previousReplicas ?? 0, previous);
    return divideByWeights(input, weights, input.replicas, aggregated, new Set(), [], 'scale down');
  }
  if (assigned < input.replicas) {
    // division_algorithm.go#dynamicScaleUp: only the delta is divided; the first schedule is a scale-up from 0.
    const kept = previous.map((c) => ({ name: c.name, replicas: c.previousReplicas ?? 0 }));
    const prior = new Set(previous.map((c) => c.name));
    const weights = asWeights(available, clusters);
    return divideByWeights(input, weights, input.replicas - assigned, aggregated, prior, kept, 'scale up');
  }
  return {
    ok: true,
    assignments: previous.map((c) => ({ name: c.name, replicas: c.previousReplicas ?? 0 })),
  };
}

/**
 * division_algorithm.go#dynamicDivideReplicas. Weights are sorted by size, largest first (Karmada's
 * sort.Sort on ≤12 clusters is an insertion sort, hence stable; we start from name order). Aggregated
 * then moves previously used clusters to the front (assignment.go#resortAvailableClusters) and keeps
 * the shortest prefix whose capacity covers the target, so replicas land on as few clusters as possible.
 */
function divideByWeights(
  input: DivisionInput,
  weights: { name: string; weight: number }[],
  target: number,
  aggregated: boolean,
  prior: Set<string>,
  kept: Assignment[],
  action: string,
): DivisionResult {
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  if (total < target) {
    return {
      ok: false,
      message: `failed to ${action}: Clusters available replicas ${total} are not enough to schedule.`,
    };
  }
  let ordered = [...weights].sort((a, b) => b.weight - a.weight);
  if (aggregated) {
    ordered = [...ordered.filter((w) => prior.has(w.name)), ...ordered.filter((w) => !prior.has(w.name))];
    let sum = 0;
    const end = ordered.findIndex((w) => {
      sum += w.weight;
      return sum >= target;
    });
    if (end >= 0) ordered = ordered.slice(0, end + 1);
  }
  const divided = dispense(target, new Map(ordered.map((w) => [w.name, w.weight])), input, input.clusters);
  return { ok: true, assignments: mergeAssignments(kept, divided) };
}

/** util/binding.go#MergeTargetClusters: add the newly divided replicas to the kept ones. */
function mergeAssignments(kept: Assignment[], added: Assignment[]): Assignment[] {
  const merged = new Map<string, number>();
  for (const a of [...kept, ...added]) merged.set(a.name, (merged.get(a.name) ?? 0) + a.replicas);
  return [...merged].map(([name, replicas]) => ({ name, replicas }));
}
