import type { Assignment } from './division.ts';

// How Karmada v1.12–v1.15 split replicas by weight (pkg/util/helper/binding.go at v1.15.0, Dispenser.TakeByWeight),
// before Webster replaced it in v1.16 (webster.ts). Clusters are sorted by weight, then by the replicas the last
// schedule gave them (inertia), then at random; each gets floor(weight × replicas / Σweight), and the remainder
// goes one replica each down the sorted list. E.g. weights 6:3:1 and 5 replicas: floors 3/1/0, remainder 1 to the
// heaviest → 4/1/0 (Webster gives 3/1/1).
//
// Simplification: Go's sort.Sort runs a comparator that answers random ties with crypto/rand; here the tied
// clusters are shuffled by `random` (the simulator's seeded PRNG) and then stably sorted, which also puts each
// tie in a random order.

export interface WeightInfo {
  name: string;
  weight: number;
  /** Replicas the previous schedule gave this cluster. */
  lastReplicas: number;
}

/** TakeByWeight with no initial result: nothing when every weight is 0. `random` returns [0, 1). */
export function takeByWeight(
  replicas: number,
  weights: readonly WeightInfo[],
  random: () => number,
): Assignment[] {
  const sum = weights.reduce((s, w) => s + BigInt(w.weight), 0n);
  if (sum === 0n) return [];
  const shuffled = [...weights];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as WeightInfo, shuffled[i] as WeightInfo];
  }
  const sorted = shuffled.sort((a, b) => b.weight - a.weight || b.lastReplicas - a.lastReplicas);
  // int64 arithmetic, as Go's: weight × replicas can pass 2^53.
  const result = sorted.map((w) => ({
    name: w.name,
    replicas: Number((BigInt(w.weight) * BigInt(replicas)) / sum),
  }));
  let remain = replicas - result.reduce((s, r) => s + r.replicas, 0);
  for (const r of result) {
    if (remain === 0) break;
    r.replicas++;
    remain--;
  }
  return result;
}

export type DivisionAlgorithm = 'webster' | 'take-by-weight';

/** Karmada's division by release: TakeByWeight for v1.12–v1.15, Webster from v1.16 (v1.16.0-alpha.1). */
export function divisionAlgorithmFor(version: string): DivisionAlgorithm | { error: string } {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (!m) return { error: `"${version}" is not a Karmada version (e.g. v1.15 or v1.16.0)` };
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major !== 1 || minor < 12) return { error: `Karmada ${version} is not supported: v1.12 or later` };
  return minor < 16 ? 'take-by-weight' : 'webster';
}
