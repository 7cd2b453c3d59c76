import type { FederatedHPASpec } from '../../src/api/federatedhpa.ts';
import { type ResolvedRules, resolveBehavior } from '../../src/engine/defaults.ts';

// An independent referee for the storm and faults suites: given the scale writes the simulated Karmada
// actually applied (its own log, not fhpa's history), say which ones broke the FederatedHPA's bounds or
// its behavior policies. Deliberately not the engine's code: it recomputes Kubernetes' rate limits from
// the write log alone (horizontal.go#calculateScaleUpLimitWithScalingRules and
// #calculateScaleDownLimitWithBehaviors, with getReplicasChangePerPeriod counting changes strictly inside
// the period), so a bug in the engine's bookkeeping or in the store's version guard shows up here.
// Only the defaults of unset fields come from the engine (defaults.go data, not logic).

export interface AppliedWrite {
  /** Simulated time of the write, ms. */
  at: number;
  replicas: number;
}

export interface Violation {
  /** Index of the write in the log. */
  index: number;
  at: number;
  from: number;
  to: number;
  rule: 'minReplicas' | 'maxReplicas' | 'scaleUp' | 'scaleDown';
  /** The bound the write crossed. */
  limit: number;
}

interface Change {
  at: number;
  up: number;
  down: number;
}

/** Σ of the changes strictly inside (at − period, at], as getReplicasChangePerPeriod counts them. */
function changedWithin(changes: readonly Change[], at: number, periodSeconds: number) {
  const cutoff = at - periodSeconds * 1000;
  let up = 0;
  let down = 0;
  for (const c of changes) {
    if (c.at > cutoff) {
      up += c.up;
      down += c.down;
    }
  }
  return { up, down };
}

/** The most replicas a scale-up from `current` may reach at `at` (Disabled: none). */
function upLimit(rules: ResolvedRules, changes: readonly Change[], at: number, current: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const { up, down } = changedWithin(changes, at, p.periodSeconds);
    const start = current - up + down;
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/** The fewest replicas a scale-down from `current` may reach at `at` (Disabled: none). */
function downLimit(rules: ResolvedRules, changes: readonly Change[], at: number, current: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const { up, down } = changedWithin(changes, at, p.periodSeconds);
    const start = current - up + down;
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  // Max means "allow the largest change", i.e. the smallest count
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

/**
 * Every write that crossed minReplicas/maxReplicas or a scale-up/scale-down policy, replaying the log from
 * `initialReplicas`. `earlier` are changes before the log started (none for a fresh workload).
 */
export function policyViolations(
  spec: Pick<FederatedHPASpec, 'minReplicas' | 'maxReplicas' | 'behavior'>,
  initialReplicas: number,
  writes: readonly AppliedWrite[],
  downscaleStabilizationMs = 300_000,
): Violation[] {
  const behavior = resolveBehavior(spec.behavior ?? {}, downscaleStabilizationMs);
  const min = spec.minReplicas ?? 1;
  const changes: Change[] = [];
  const violations: Violation[] = [];
  let current = initialReplicas;
  writes.forEach((w, index) => {
    const base = { index, at: w.at, from: current, to: w.replicas };
    if (w.replicas > spec.maxReplicas)
      violations.push({ ...base, rule: 'maxReplicas', limit: spec.maxReplicas });
    else if (w.replicas < min) violations.push({ ...base, rule: 'minReplicas', limit: min });
    else if (w.replicas > current) {
      // Bringing a target back inside [min, max] is not rate limited (Kubernetes scales to the bound at once)
      const limit = Math.max(upLimit(behavior.scaleUp, changes, w.at, current), Math.min(min, w.replicas));
      if (w.replicas > limit) violations.push({ ...base, rule: 'scaleUp', limit });
    } else if (w.replicas < current) {
      const limit = Math.min(
        downLimit(behavior.scaleDown, changes, w.at, current),
        Math.max(spec.maxReplicas, w.replicas),
      );
      if (w.replicas < limit) violations.push({ ...base, rule: 'scaleDown', limit });
    }
    const delta = w.replicas - current;
    if (delta !== 0) changes.push({ at: w.at, up: Math.max(0, delta), down: Math.max(0, -delta) });
    current = w.replicas;
  });
  return violations;
}
