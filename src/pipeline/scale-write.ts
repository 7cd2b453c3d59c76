import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { Decision } from '../engine/types.ts';
import { isConflict } from '../karmada/errors.ts';
import { DEFAULT_TIMEOUT_MS } from '../karmada/rest-client.ts';
import { DEFAULT_BACKOFF } from '../karmada/retry.ts';
import { HistoryConflictError, type StoredHistory } from '../store/history-store.ts';
import { errText, historyKey } from './report.ts';
import type { PipelineDeps } from './types.ts';

// The scale write and its undo: the PATCH guarded by the resourceVersion the decision was made on, and taking
// the scale event a failed PATCH had recorded back out of the stored history (see evaluate.ts for the order).

const MAX_CONFLICT_RETRIES = 5;
export const MAX_SCALE_CONFLICTS = 2;

/**
 * How long after its history was saved a live evaluation's scale write may still reach the API server: the
 * ScaleChangedByAnotherWriter Event before it (one attempt) and the PATCH (attempts until the retry deadline,
 * the last one up to a request timeout). Only a write older than this that left the scale's resourceVersion
 * untouched is taken for one that never landed (src/engine/unlanded-scale.ts).
 */
export const scaleWriteInFlightMs = (requestTimeoutMs = DEFAULT_TIMEOUT_MS): number =>
  DEFAULT_BACKOFF.deadlineMs + 2 * requestTimeoutMs;

/** The scale event a rescaling decision recorded (storeScaleEvent: at `now`, behavior set), to take back. */
export function recordedEvent(
  decision: Decision,
  currentReplicas: number,
  now: number,
): { list: 'scaleUpEvents' | 'scaleDownEvents'; timestamp: number; replicaChange: number } {
  const up = decision.desiredReplicas > currentReplicas;
  return {
    list: up ? 'scaleUpEvents' : 'scaleDownEvents',
    timestamp: now,
    replicaChange: Math.abs(decision.desiredReplicas - currentReplicas),
  };
}

/**
 * Takes the scale event recorded for a PATCH that did not happen back out of the stored history. While neither
 * event list has been written since this decision saved them, both go back to what they were before it: the
 * decision may have pruned one and storeScaleEvent may have overwritten an entry of the other, and those entries
 * still count for the opposite side's limit. If another invocation has written since (its history comes back
 * with the version conflict), only the one entry is removed from what it wrote. Absent (the legacy path records
 * none, or it is gone already): nothing to do. False when the store would not take the write.
 */
export async function takeBackScaleEvent(
  deps: PipelineDeps,
  namespace: string,
  name: string,
  saved: StoredHistory,
  before: StoredHistory,
  event: ReturnType<typeof recordedEvent>,
): Promise<boolean> {
  const isEvent = (e: { timestamp: number; replicaChange: number }) =>
    e.timestamp === event.timestamp && e.replicaChange === event.replicaChange;
  // The legacy path (no behavior) records no scale event: nothing to take back, no write.
  if (!saved.history[event.list].some(isEvent)) return true;
  let current = saved;
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const untouched =
      sameEvents(current.history.scaleUpEvents, saved.history.scaleUpEvents) &&
      sameEvents(current.history.scaleDownEvents, saved.history.scaleDownEvents);
    let history: StoredHistory['history'];
    if (untouched) {
      // The scale stayed where it was: lastScale goes back too, or the next evaluation would blame another writer.
      const { lastScale: _, ...rest } = current.history;
      history = {
        ...rest,
        scaleUpEvents: before.history.scaleUpEvents,
        scaleDownEvents: before.history.scaleDownEvents,
        ...(before.history.lastScale ? { lastScale: before.history.lastScale } : {}),
      };
    } else {
      const events = current.history[event.list];
      const index = events.findLastIndex(isEvent);
      if (index < 0) return true;
      history = { ...current.history, [event.list]: events.filter((_, i) => i !== index) };
    }
    try {
      await deps.store.save(historyKey(deps, namespace, name), history, current.version);
      deps.observer?.storeWrite?.();
      return true;
    } catch (err) {
      if (err instanceof HistoryConflictError) {
        current = err.current;
        continue;
      }
      deps.log.warn('could not take back the scale event of a failed scale write', {
        namespace,
        name,
        error: errText(err),
        effect: `the policy periods count a ${event.list === 'scaleUpEvents' ? 'scale-up' : 'scale-down'} of ${event.replicaChange} that did not happen`,
      });
      return false;
    }
  }
  deps.log.warn('could not take back the scale event of a failed scale write: the history kept changing', {
    namespace,
    name,
  });
  return false;
}

/**
 * PATCHes the scale with the resourceVersion the decision was made on. A 409 only says the object changed:
 * Karmada's own controllers write the template's status all the time. So the scale is read again, and if its
 * replicas are still the ones decided on, the same decision is written with the new resourceVersion (once per
 * MAX_SCALE_CONFLICTS); if the replicas moved, someone else scaled and the conflict is thrown to the caller.
 */
export async function patchUnlessMoved(
  deps: PipelineDeps,
  namespace: string,
  target: FederatedHPA['spec']['scaleTargetRef'],
  desiredReplicas: number,
  scale: { replicas: number; resourceVersion: string },
): Promise<void> {
  let resourceVersion = scale.resourceVersion;
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.karmada.patchScale(namespace, target, desiredReplicas, resourceVersion);
      return;
    } catch (err) {
      if (!isConflict(err) || attempt + 1 >= MAX_SCALE_CONFLICTS) throw err;
      let now: Awaited<ReturnType<typeof deps.karmada.getScale>>;
      try {
        now = await deps.karmada.getScale(namespace, target);
      } catch {
        throw err;
      }
      if (now.replicas !== scale.replicas) throw err;
      resourceVersion = now.resourceVersion;
    }
  }
}

function sameEvents(
  a: readonly { timestamp: number; replicaChange: number }[],
  b: readonly { timestamp: number; replicaChange: number }[],
): boolean {
  return (
    a.length === b.length &&
    a.every((e, i) => e.timestamp === b[i]?.timestamp && e.replicaChange === b[i]?.replicaChange)
  );
}
