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
  return JSON.stringify(canonical(before)) !== JSON.stringify(canonical(after));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
