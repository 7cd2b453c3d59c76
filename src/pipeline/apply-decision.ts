import { isConflict, isPermanent } from '../karmada/errors.ts';
import type { Decided } from './decide-and-save.ts';
import type { TargetState } from './read-target.ts';
import { errText, mergeConditions, objectRef, writeStatus } from './report.ts';
import {
  externalScaleChange,
  noteScaleChange,
  SCALE_CHANGED_EVENT,
  scaleChangeMessage,
} from './scale-owner.ts';
import { patchUnlessMoved, recordedEvent, takeBackScaleEvent } from './scale-write.ts';
import { buildStatus } from './status.ts';
import type { EvaluationContext, EvaluationResult } from './types.ts';

// The end of an active evaluation whose decision is saved: say whether another writer moved the scale, write
// the scale (taking its event back if the write fails), then the Events, the status and the answer.

export async function applyDecision(
  ctx: EvaluationContext,
  d: Decided & { gathered: TargetState['gathered'] },
): Promise<EvaluationResult> {
  const { deps, w, karmada, fhpa, namespace, name, now, fail } = ctx;
  const { decision, scale, stored, saved, fallback, gathered } = d;
  const target = fhpa.spec.scaleTargetRef;
  const previous = fhpa.status;
  const fellBack = fallback ? { fallback: true } : {};

  // Someone else wrote the scale since fhpa's last decision (scale-owner.ts): said once, in the answer, an
  // Event and the AbleToScale condition.
  const moved = externalScaleChange(stored.history.lastScale, scale.replicas);
  if (moved) {
    deps.log.warn('scale changed by another writer', { namespace, name, from: moved.from, to: moved.to });
    await karmada.recordEvent(
      objectRef(fhpa),
      'Warning',
      SCALE_CHANGED_EVENT,
      scaleChangeMessage(moved),
      now,
    );
  }
  const movedResult = moved ? { scaleChangedByAnotherWriter: moved } : {};

  let rescaled = false;
  if (decision.rescale) {
    try {
      await patchUnlessMoved(w, namespace, target, decision.desiredReplicas, scale);
      rescaled = true;
    } catch (err) {
      const takenBack = await takeBackScaleEvent(
        deps,
        namespace,
        name,
        saved,
        stored,
        recordedEvent(decision, scale.replicas, now),
      );
      if (!takenBack) {
        // Deciding again on a history that still counts the change that did not happen would be held back by
        // it; better to say so and let the next trigger decide.
        return fail(
          `the scale write failed (${errText(err)}) and its scale event could not be taken back; try again`,
          true,
          'FailedUpdateScale',
        );
      }
      if (isConflict(err)) {
        // The scale moved after we read it: someone else acted. Decide again from fresh state, a bounded number
        // of times, instead of writing a decision made on stale data.
        // Retryable when it gives up: nothing was applied, and a 409 proves only that the object changed
        // (Karmada's own status writes bump its resourceVersion), not that someone else scaled it.
        return ctx.decideAgain(errText(err));
      }
      const message = `New size: ${decision.desiredReplicas}; reason: ${decision.reason}; error: ${errText(err)}`;
      await karmada.recordEvent(objectRef(fhpa), 'Warning', 'FailedRescale', message, now);
      const status = buildStatus({
        previous,
        now,
        generation: fhpa.metadata.generation,
        currentReplicas: scale.replicas,
        desiredReplicas: scale.replicas,
        currentMetrics: decision.currentMetrics,
        conditions: mergeConditions(decision.conditions, {
          type: 'AbleToScale',
          status: 'False',
          reason: 'FailedUpdateScale',
          message: `the HPA controller was unable to update the target scale: ${errText(err)}`,
        }),
      });
      await writeStatus(w, fhpa, status);
      return fail(message, !isPermanent(err), 'FailedUpdateScale');
    }
    // Going to zero and waking have their own reasons, so `kubectl get events` says when and why.
    await karmada.recordEvent(
      objectRef(fhpa),
      'Normal',
      decision.zero?.event ?? 'SuccessfulRescale',
      decision.zero?.message ?? `New size: ${decision.desiredReplicas}; reason: ${decision.reason}`,
      now,
    );
    if (fallback)
      await karmada.recordEvent(objectRef(fhpa), 'Warning', 'FallbackReplicas', decision.reason, now);
  }
  if (decision.error) {
    await karmada.recordEvent(
      objectRef(fhpa),
      'Warning',
      'FailedComputeMetricsReplicas',
      decision.error,
      now,
    );
  }

  const status = buildStatus({
    previous,
    now,
    generation: fhpa.metadata.generation,
    currentReplicas: scale.replicas,
    desiredReplicas: rescaled ? decision.desiredReplicas : scale.replicas,
    currentMetrics: decision.currentMetrics,
    conditions: noteScaleChange(
      rescaled
        ? mergeConditions(decision.conditions, {
            type: 'AbleToScale',
            status: 'True',
            reason: 'SucceededRescale',
            message: `the HPA controller was able to update the target scale to ${decision.desiredReplicas}`,
          })
        : decision.conditions,
      moved,
    ),
    rescaled,
  });
  await writeStatus(w, fhpa, status);

  return {
    namespace,
    name,
    outcome: rescaled ? 'scaled' : 'unchanged',
    // A metric the metrics API failed to serve never scales down, but it may have wanted a scale-up: a trigger
    // that can retry (Alertmanager on 5xx) should, rather than wait for the next sweep.
    retryable: !rescaled && gathered.errors.some((e) => e.transient),
    currentReplicas: scale.replicas,
    desiredReplicas: rescaled ? decision.desiredReplicas : scale.replicas,
    reason: decision.reason,
    ...(decision.error ? { message: decision.error } : {}),
    ...(!rescaled && (gathered.errors.length > 0 || decision.error) ? { incomplete: true } : {}),
    ...fellBack,
    ...movedResult,
  };
}
