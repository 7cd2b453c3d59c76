import type { Condition, HPAStatus, MetricStatus } from '../api/autoscaling-v2.ts';

// The FederatedHPA status fhpa writes (karmada federatedhpa_controller.go#setStatus), plus observedGeneration,
// which Karmada never sets but users expect (so `kubectl wait` and GitOps tools can tell a spec was seen).
export function buildStatus(input: {
  previous: HPAStatus | undefined;
  now: number;
  generation: number | undefined;
  currentReplicas: number;
  desiredReplicas: number;
  currentMetrics?: MetricStatus[];
  conditions: Condition[];
  rescaled?: boolean;
}): HPAStatus {
  const previousConditions = input.previous?.conditions ?? [];
  // As upstream's setConditionInList: keep every condition not mentioned, replace by type, and move
  // lastTransitionTime only when a condition's status flips.
  const merged: Condition[] = [...previousConditions];
  for (const c of input.conditions) {
    const i = merged.findIndex((p) => p.type === c.type);
    const prior = i >= 0 ? merged[i] : undefined;
    const lastTransitionTime =
      prior && prior.status === c.status && prior.lastTransitionTime
        ? prior.lastTransitionTime
        : new Date(input.now).toISOString();
    const next = { ...c, lastTransitionTime };
    if (i >= 0) merged[i] = next;
    else merged.push(next);
  }
  const lastScaleTime = input.rescaled ? new Date(input.now).toISOString() : input.previous?.lastScaleTime;
  return {
    ...(input.generation !== undefined ? { observedGeneration: input.generation } : {}),
    ...(lastScaleTime ? { lastScaleTime } : {}),
    currentReplicas: input.currentReplicas,
    desiredReplicas: input.desiredReplicas,
    ...(input.currentMetrics ? { currentMetrics: input.currentMetrics } : {}),
    conditions: merged,
  };
}

/** As upstream's updateStatusIfNeeded: skip the write when nothing a reader can see has changed. */
export function statusChanged(before: HPAStatus | undefined, after: HPAStatus): boolean {
  return !sameData(before, after);
}

/**
 * Deep equality of plain data, a field set to undefined counting as absent (as JSON would have it). Compared
 * in place: building sorted copies of both statuses and serialising them was a measurable share of an
 * evaluation's CPU (issue 13.2).
 */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    defined++;
    if (!sameData(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}
