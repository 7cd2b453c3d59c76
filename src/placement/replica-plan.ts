import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { PropagationPolicy } from '../api/propagationpolicy.ts';
import { createPrng } from '../sim/prng.ts';
import { type Assignment, divideReplicas, type ReplicaScheduling } from './division.ts';
import type { DivisionAlgorithm } from './take-by-weight.ts';

/** TakeByWeight breaks ties at random (crypto/rand); a plan uses this fixed seed so it repeats. */
const PLAN_SEED = 1;

import { type FederationV1Split, federationV1Split } from './federation-v1.ts';
import { policyWarnings, schedulingFromPolicy } from './policy-scheduling.ts';

// `fhpa plan`'s answer, as data: how the FederatedHPA's current, min and max replica counts land on the
// member clusters under the PropagationPolicy, and the per-cluster bounds Federation v1 would have set.

export interface PlanInput {
  federatedHPA: FederatedHPA;
  policy: PropagationPolicy;
  clusters: string[];
  /** The workload's current replica count, when known. */
  currentReplicas?: number;
  /** What each cluster can still take (dynamic weight / Aggregated); absent → all of the count. */
  available?: Record<string, number>;
  /** The workload's UID: breaks Webster ties as Karmada does. */
  uid?: string;
  /** The Karmada release's division (default Webster, v1.16+); TakeByWeight's random ties use a fixed seed. */
  algorithm?: DivisionAlgorithm;
}

export type DivisionRow =
  | { replicas: number; assignments: Assignment[] }
  | { replicas: number; error: string };

export interface ReplicaPlan {
  scheduling: ReplicaScheduling;
  clusters: string[];
  division: { current?: DivisionRow; min: DivisionRow; max: DivisionRow };
  federationV1: FederationV1Split;
  warnings: string[];
}

/** The plan for one FederatedHPA and the policy that propagates its target. */
export function planReplicas(input: PlanInput): ReplicaPlan {
  const scheduling = schedulingFromPolicy(input.policy, input.clusters);
  const warnings = policyWarnings(input.policy);
  const dynamic =
    scheduling.type === 'Divided' &&
    ('dynamicWeight' in scheduling || scheduling.preference === 'Aggregated');
  if (dynamic) {
    warnings.push(
      'dynamic division depends on the previous assignment and on what each cluster can take; shown as a first schedule',
    );
  }
  const candidates = input.clusters.map((name) => {
    const availableReplicas = input.available?.[name];
    return availableReplicas === undefined ? { name } : { name, availableReplicas };
  });
  const row = (replicas: number): DivisionRow => {
    const r = divideReplicas({
      replicas,
      clusters: candidates,
      scheduling,
      ...(input.uid ? { uid: input.uid } : {}),
      ...(input.algorithm ? { algorithm: input.algorithm, random: createPrng(PLAN_SEED).next } : {}),
    });
    return r.ok ? { replicas, assignments: r.assignments } : { replicas, error: r.message };
  };
  const spec = input.federatedHPA.spec;
  // minReplicas defaults to 1 (Karmada's mutating webhook, SetDefaultsFederatedHPA).
  const min = spec.minReplicas ?? 1;
  return {
    scheduling,
    clusters: input.clusters,
    division: {
      ...(input.currentReplicas === undefined ? {} : { current: row(input.currentReplicas) }),
      min: row(min),
      max: row(spec.maxReplicas),
    },
    federationV1: federationV1Split(min, spec.maxReplicas, input.clusters),
    warnings,
  };
}

/** One line describing the scheduling, e.g. "Divided, Weighted by static weights member1:2 member2:1". */
export function describeScheduling(s: ReplicaScheduling): string {
  if (s.type === 'Duplicated') return 'Duplicated: every cluster runs the full count';
  if (s.preference === 'Aggregated')
    return 'Divided, Aggregated: as few clusters as their available replicas allow';
  if ('dynamicWeight' in s) return 'Divided, Weighted by available replicas (dynamic weight)';
  if (s.staticWeights === undefined) return 'Divided, Weighted: equal weights';
  const weights = new Map<string, number>();
  for (const w of s.staticWeights) weights.set(w.cluster, Math.max(weights.get(w.cluster) ?? 0, w.weight));
  const list = [...weights].map(([c, w]) => `${c}:${w}`).join(' ');
  return `Divided, Weighted by static weights ${list || '(none match: equal weights)'}`;
}
