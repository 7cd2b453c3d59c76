// status.conditions, updated in place by type (setConditionInList in federatedhpa_controller.go): an existing
// entry of that type is replaced, otherwise one is appended, so the order is the order of first setting;
// lastTransitionTime changes only when the status flips.

import type { Condition } from '../api/autoscaling-v2.ts';

export function setCondition(
  list: Condition[],
  update: Omit<Condition, 'lastTransitionTime'>,
  now: number,
): Condition[] {
  const out = [...list];
  const i = out.findIndex((c) => c.type === update.type);
  const existing = i >= 0 ? out[i] : undefined;
  const lastTransitionTime =
    existing && existing.status === update.status && existing.lastTransitionTime
      ? existing.lastTransitionTime
      : rfc3339(now);
  // Field order as Kubernetes serialises a condition.
  const next: Condition = {
    type: update.type,
    status: update.status,
    lastTransitionTime,
    ...(update.reason !== undefined ? { reason: update.reason } : {}),
    ...(update.message !== undefined ? { message: update.message } : {}),
  };
  if (i >= 0) out[i] = next;
  else out.push(next);
  return out;
}

/** metav1.Time's JSON form: RFC 3339 in UTC, whole seconds. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function conditionIsTrue(list: Condition[], type: string): boolean {
  return list.find((c) => c.type === type)?.status === 'True';
}
