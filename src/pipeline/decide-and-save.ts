import type { FhpaAnnotations } from '../api/annotations.ts';
import type { History, ShadowEventMark } from '../engine/history-types.ts';
import type { Decision, EngineInput } from '../engine/types.ts';
import { settleUnlandedScale } from '../engine/unlanded-scale.ts';
import type { TargetScale } from '../karmada/adapter.ts';
import { isPermanent } from '../karmada/errors.ts';
import { HistoryConflictError, type StoredHistory } from '../store/history-store.ts';
import { decideWithAnnotations } from './decision.ts';
import type { TargetState } from './read-target.ts';
import { errText, historyKey } from './report.ts';
import { scaleWriteInFlightMs } from './scale-write.ts';
import type { EvaluationContext, EvaluationResult } from './types.ts';
import { shadowAnnouncement } from './unapplied.ts';
import type { WritePolicy } from './write-policy.ts';

// Decide, and claim the decision in the history under the store's version guard (see evaluate.ts for why the
// history is saved before the scale is written). A lost version race decides again from the winner's history,
// which came back with the conflict, as long as the winner did not scale meanwhile.

const MAX_CONFLICT_RETRIES = 5;

/** A decision whose history is saved (or, where the policy saves none, would have been). */
export interface Decided {
  decision: Decision;
  /** The history as saved. */
  saved: StoredHistory;
  /** The history the decision was made from (what a failed PATCH's take-back restores). */
  stored: StoredHistory;
  /** The scale the decision was made against. */
  scale: TargetScale;
  /** The fallback annotation decided. */
  fallback: boolean;
  /** The shadow Event this decision announces (shadow mode). */
  announce?: ShadowEventMark;
}

export interface DecideInput {
  policy: WritePolicy;
  annotations: FhpaAnnotations;
  read: Omit<TargetState, 'clusters'>;
  loaded: StoredHistory;
  scaleToZero?: EngineInput['scaleToZero'];
  /** Told the engine's input of the first decision (`fhpa snapshot`). */
  onEngineInput?: (input: EngineInput) => void;
}

/** The saved decision, or the evaluation's answer when it ends here (a failure, or deciding again). */
export async function decideAndSave(
  ctx: EvaluationContext,
  d: DecideInput,
): Promise<Decided | EvaluationResult> {
  const { deps, karmada, fhpa, namespace, name, now, fail } = ctx;
  const { policy, read } = d;
  const previous = fhpa.status;
  // A scale write an earlier evaluation recorded but did not live to send is taken back before deciding.
  const inFlightMs = deps.scaleWriteInFlightMs ?? scaleWriteInFlightMs();
  const settle = (s: StoredHistory, against: TargetScale): StoredHistory => {
    const settled = settleUnlandedScale(s.history, against, now, inFlightMs);
    const u = settled.unlanded;
    if (u)
      deps.log.warn('a scale write recorded earlier did not land; its scale event is taken back', {
        namespace,
        name,
        recordedAt: new Date(u.timestamp).toISOString(),
        from: u.from,
        to: u.to,
      });
    return { ...s, history: settled.history };
  };
  let scale = read.scale;
  let stored = settle(d.loaded, scale);

  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const input: EngineInput = {
      now,
      spec: fhpa.spec,
      currentReplicas: scale.replicas,
      statusReplicas: read.placement.memberStatusReplicas,
      calibration: read.placement.calibration,
      pods: read.pods,
      metrics: read.gathered.metrics,
      history: stored.history,
      ...(deps.engineOptions ? { options: deps.engineOptions } : {}),
      ...(previous?.conditions ? { conditions: previous.conditions } : {}),
      ...(d.scaleToZero ? { scaleToZero: d.scaleToZero } : {}),
    };
    if (attempt === 0) d.onEngineInput?.(input);
    const fell = decideWithAnnotations(input, d.annotations);
    const decision = fell.decision;
    const decided = { decision, stored, scale, fallback: fell.engaged };
    if (policy.history === 'none') return { ...decided, saved: stored };
    const announce =
      policy.mode === 'shadow' ? shadowAnnouncement(stored.history.shadowEvent, decision, now) : undefined;
    const history = historyToSave(
      policy,
      decision,
      stored.history,
      fell.metricFailures,
      announce,
      decision.rescale
        ? {
            timestamp: now,
            replicas: decision.desiredReplicas,
            // What the PATCH after the save is guarded by, so a crash before it lands can be told
            // (unlanded-scale.ts).
            writtenAgainst: {
              resourceVersion: scale.resourceVersion,
              replicas: scale.replicas,
              savedAt: deps.clock(),
            },
          }
        : { timestamp: now, replicas: scale.replicas },
    );
    try {
      const saved = await deps.store.save(historyKey(deps, namespace, name), history, stored.version);
      deps.observer?.storeWrite?.();
      return { ...decided, saved, ...(announce ? { announce } : {}) };
    } catch (err) {
      if (!(err instanceof HistoryConflictError)) return fail(`save history: ${errText(err)}`, true);
      deps.observer?.storeConflict?.();
      // Another invocation wrote first. Its item came back with the error: decide again from it, against the
      // scale as it is now, with the same pods and metrics while the scale has not moved.
      stored = err.current;
      const decidedOn = scale.replicas;
      try {
        scale = await karmada.getScale(namespace, fhpa.spec.scaleTargetRef);
      } catch (e) {
        return fail(`re-read scale after history conflict: ${errText(e)}`, !isPermanent(e));
      }
      if (scale.replicas !== decidedOn) {
        // The winner scaled. The member replicas, pods and metrics read before (and the calibration from them)
        // may be from either side of its write, so deciding from them against the new count acts on a mix of
        // two moments: with the member scales read after the write and the template before it, a duplicated
        // queue message scaled 5 back down to 2 right after the winner's 1 → 5. Decide again from fresh reads,
        // as after a 409 on the PATCH, a bounded number of times.
        return ctx.decideAgain('another evaluation scaled the target while this one decided');
      }
      // The winner's history may name a write of its own still in flight: settled like the loaded one.
      stored = settle(stored, scale);
    }
  }
  return fail('history kept changing under concurrent evaluations', true);
}

/** The history this policy saves: fhpa's own counters always, the scale event only where the scale is ours. */
function historyToSave(
  policy: WritePolicy,
  decision: Decision,
  before: History,
  metricFailures: number,
  announce: ShadowEventMark | undefined,
  lastScale: NonNullable<History['lastScale']>,
): History {
  const events =
    policy.history === 'decision'
      ? {}
      : { scaleUpEvents: before.scaleUpEvents, scaleDownEvents: before.scaleDownEvents };
  const shadowEvent = announce ?? before.shadowEvent;
  return {
    ...decision.history,
    ...events,
    ...(metricFailures > 0 ? { metricFailures } : {}),
    ...(shadowEvent ? { shadowEvent } : {}),
    // Only where the scale is fhpa's to write (scale-owner.ts).
    ...(policy.history === 'decision'
      ? { lastScale }
      : before.lastScale
        ? { lastScale: before.lastScale }
        : {}),
  };
}
