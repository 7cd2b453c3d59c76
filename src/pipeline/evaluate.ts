import { annotationPath, parseAnnotations } from '../api/annotations.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import { parseMetricAnnotations, scaleToZeroOf } from '../api/metric-annotations.ts';
import type { History, ShadowEventMark } from '../engine/history-types.ts';
import type { Decision, EngineInput } from '../engine/types.ts';
import { settleUnlandedScale } from '../engine/unlanded-scale.ts';
import type { TargetReads } from '../karmada/adapter.ts';
import { isConflict, isNotFound, isPermanent } from '../karmada/errors.ts';
import { HistoryConflictError, type StoredHistory } from '../store/history-store.ts';
import { decideWithAnnotations } from './decision.ts';
import { logEvaluation } from './log-evaluation.ts';
import { readTarget } from './read-target.ts';
import { errText, historyKey, mergeConditions, objectRef, writeStatus } from './report.ts';
import {
  externalScaleChange,
  noteScaleChange,
  SCALE_CHANGED_EVENT,
  scaleChangeMessage,
} from './scale-owner.ts';
import {
  MAX_SCALE_CONFLICTS,
  patchUnlessMoved,
  recordedEvent,
  scaleWriteInFlightMs,
  takeBackScaleEvent,
} from './scale-write.ts';
import { buildStatus } from './status.ts';
import type { EvaluationResult, PipelineDeps } from './types.ts';
import { finishUnapplied, shadowAnnouncement } from './unapplied.ts';
import { guardWrites, type WritePolicy, writePolicy } from './write-policy.ts';

// One evaluation of one FederatedHPA, end to end. The order is what keeps concurrent invocations honest:
//
//   read FHPA, scale, placement, pods, metrics (read-target.ts)  →  decide  →  SAVE HISTORY (conditional on its version)
//   →  PATCH SCALE (conditional on the scale's resourceVersion)  →  status and events
//
// The history is written before the scale, so the scale event that spends a policy budget is claimed under
// the store's version guard: of two invocations racing on one FederatedHPA only one can record a given
// scale-up, the other gets the winner's history back and decides again from it (behavior policies are
// never exceeded, and no recommendation is lost). The PATCH carries the resourceVersion the decision was
// made on, so a decision is applied at most once and never on top of a scale someone else changed. If the
// PATCH meets a 409 while the replicas are still the ones decided on (Karmada's own status writes bump the
// resourceVersion), the same decision is sent again with the new one (patchUnlessMoved). If it fails
// otherwise, the recorded scale event is taken back under the version guard (takeBackScaleEvent), re-reading
// on conflict. Should the store refuse even that, the evaluation fails as retryable instead of deciding
// again: a left-over event is not harmless, since Kubernetes' limits start from current - added + removed,
// so a scale-up that never happened tightens the next scale-up but loosens the next scale-down (and a phantom
// scale-down loosens the next scale-up) until the policy period expires. That is logged as a warning.
// If the process dies between the save and the PATCH (nothing is left to take the event back), the next
// evaluation does: the saved lastScale names the resourceVersion the PATCH was guarded by, and a scale that
// still carries it was never written (settleUnlandedScale, src/engine/unlanded-scale.ts).
//
// What may be written at all is decided once, right after the FederatedHPA is read (write-policy.ts): a dry
// run, shadow mode and pause run this same evaluation with every Karmada write it forbids cut off by
// guardWrites, and end in finishUnapplied instead of the PATCH.

const MAX_CONFLICT_RETRIES = 5;

export interface EvaluateOptions {
  /** The FederatedHPA when the caller already listed it (the sweep), saving a GET. */
  fhpa?: FederatedHPA;
  /** History already read in a batch (the sweep), so an evaluation costs at most one store read. */
  history?: StoredHistory;
  /** The Ready member clusters, listed once by the sweep for all its evaluations. */
  readyClusters?: ReadonlySet<string>;
  /** Where the target's state is read: the sweep's shared lists (sweep-reads.ts); default, the adapter. */
  reads?: TargetReads;
  /** Decide and answer, write nothing (`?dryRun=All`). */
  dryRun?: boolean;
  /** Told the engine's input of the (first) decision: `fhpa snapshot` replays it with `fhpa recommend`. */
  onEngineInput?: (input: EngineInput) => void;
}

// Evaluations of one FederatedHPA already running in this process, by dependency set: a trigger that
// arrives while one is in flight shares its result instead of racing it (an alert storm on a Node server
// costs one evaluation, not one per alert). Across processes the store's version guard does the same job.
const inFlight = new WeakMap<PipelineDeps, Map<string, Promise<EvaluationResult>>>();

export function evaluate(
  deps: PipelineDeps,
  ref: { namespace: string; name: string },
  opts: EvaluateOptions = {},
): Promise<EvaluationResult> {
  let running = inFlight.get(deps);
  if (!running) {
    running = new Map();
    inFlight.set(deps, running);
  }
  // A dry run never shares a real evaluation's promise (nor the reverse): their answers differ.
  const key = `${ref.namespace}/${ref.name}${opts.dryRun ? '?dryRun' : ''}`;
  const existing = running.get(key);
  if (existing) return existing;
  const p = evaluateObserved(deps, ref, opts).finally(() => running.delete(key));
  running.set(key, p);
  return p;
}

async function evaluateObserved(
  deps: PipelineDeps,
  ref: { namespace: string; name: string },
  opts: EvaluateOptions,
): Promise<EvaluationResult> {
  const started = deps.clock();
  deps.observer?.evaluationStart?.(ref);
  let result: EvaluationResult;
  try {
    result = await evaluateOnce(deps, ref, opts, 0);
  } catch (err) {
    // Anything unexpected is still an answer, never a crash of the trigger: retryable, because we cannot
    // tell it is permanent (logEvaluation below logs it with its cause).
    result = {
      ...ref,
      outcome: 'failed',
      retryable: true,
      message: `unexpected: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const durationMs = deps.clock() - started;
  logEvaluation(deps.log, result, durationMs);
  deps.observer?.evaluation?.(result, durationMs);
  return result;
}

async function evaluateOnce(
  deps: PipelineDeps,
  ref: { namespace: string; name: string },
  opts: EvaluateOptions,
  scaleConflicts: number,
): Promise<EvaluationResult> {
  const { store, log } = deps;
  const { namespace, name } = ref;
  const fail = (message: string, retryable: boolean, reason?: string): EvaluationResult => ({
    namespace,
    name,
    outcome: 'failed',
    retryable,
    message,
    ...(reason ? { reason } : {}),
  });

  // Another writer moved the scale under this decision: decide again from fresh reads, a bounded number of
  // times, then give up retryably (nothing was applied).
  const decideAgain = (message: string): Promise<EvaluationResult> | EvaluationResult =>
    scaleConflicts + 1 >= MAX_SCALE_CONFLICTS
      ? { namespace, name, outcome: 'superseded', retryable: true, message }
      : evaluateOnce(deps, ref, { history: undefined }, scaleConflicts + 1);

  let fhpa: FederatedHPA;
  try {
    fhpa = opts.fhpa ?? (await deps.karmada.getFederatedHPA(namespace, name));
  } catch (err) {
    if (isNotFound(err) && !isPermanent(err))
      return { namespace, name, outcome: 'not-found', retryable: false, message: errText(err) };
    return fail(`get FederatedHPA: ${errText(err)}`, !isPermanent(err));
  }
  const target = fhpa.spec.scaleTargetRef;
  const now = deps.clock();
  const previous = fhpa.status;

  // fhpa's annotations choose what may be written. A bad one (the webhook refuses them; an object created
  // before it was installed may still carry one) stops the evaluation before any write: guessing what a
  // mistyped pause meant could scale a workload someone meant to hold.
  const annotations = parseAnnotations(fhpa.metadata.annotations);
  const bad = annotations.errors[0];
  if (bad) return fail(`${annotationPath(bad.key)}: ${bad.message}`, false, 'InvalidAnnotation');
  const policy = writePolicy({
    ...(opts.dryRun ? { dryRun: true } : {}),
    ...(deps.mode ? { deploymentMode: deps.mode } : {}),
    annotations: annotations.settings,
  });
  const karmada = guardWrites(deps.karmada, policy);
  const w: PipelineDeps = policy.mode === 'active' ? deps : { ...deps, karmada };

  // Failures before any decision: nothing is scaled; the status condition and an event say why.
  const failBeforeDecision = async (
    reason: string,
    eventReason: string,
    message: string,
    retryable: boolean,
  ) => {
    await karmada.recordEvent(objectRef(fhpa), 'Warning', eventReason, message, now);
    const status = buildStatus({
      previous,
      now,
      generation: fhpa.metadata.generation,
      currentReplicas: previous?.currentReplicas ?? 0,
      desiredReplicas: previous?.desiredReplicas ?? 0,
      conditions: [{ type: 'AbleToScale', status: 'False', reason, message }],
    });
    await writeStatus(w, fhpa, status);
    return fail(message, retryable, reason);
  };

  const metricSpecs = fhpa.spec.metrics?.length ? fhpa.spec.metrics : defaultMetrics;
  // PromQL bindings and scale to zero. A bad value is refused by the admission webhook; one that got past it
  // (no webhook installed) is skipped here, with a warning.
  const metricAnnotations = parseMetricAnnotations(fhpa.metadata.annotations);
  for (const e of metricAnnotations.errors)
    log.warn('annotation ignored', { namespace, name, annotation: e.key, error: e.message });
  const scaleToZero = scaleToZeroOf(metricAnnotations.settings);

  // The history is read beside Karmada (it is needed only once they have answered).
  const historyRead = opts.history
    ? Promise.resolve({ stored: opts.history })
    : store.load(historyKey(deps, namespace, name)).then(
        (h) => {
          deps.observer?.storeRead?.(1);
          return { stored: h };
        },
        (error: unknown) => ({ error }),
      );
  const read = await readTarget(opts.reads ?? karmada, namespace, target, {
    ...(opts.readyClusters ? { readyClusters: opts.readyClusters } : {}),
    metrics: metricSpecs,
    promql: { source: deps.promql, settings: metricAnnotations.settings, now },
  });
  if ('failed' in read) {
    if (read.noSelector) {
      // Karmada records the event and the condition's reason, but writes no status for it.
      await karmada.recordEvent(objectRef(fhpa), 'Warning', read.event, 'selector is required', now);
      return fail(read.message, read.retryable, read.reason);
    }
    return failBeforeDecision(read.reason, read.event, read.message, read.retryable);
  }
  let { scale } = read;
  const { placement, pods, gathered } = read;
  for (const e of gathered.errors) {
    log.warn('metric fetch failed', { namespace, name, metric: e.metric, error: e.message });
    await karmada.recordEvent(objectRef(fhpa), 'Warning', `FailedGet${e.type}Metric`, e.message, now);
  }

  const loaded = await historyRead;
  if ('error' in loaded) return fail(`load history: ${errText(loaded.error)}`, true);
  // A scale write an earlier evaluation recorded but did not live to send is taken back before deciding.
  const inFlightMs = deps.scaleWriteInFlightMs ?? scaleWriteInFlightMs();
  const settle = (s: StoredHistory, against: typeof scale): StoredHistory => {
    const settled = settleUnlandedScale(s.history, against, now, inFlightMs);
    const u = settled.unlanded;
    if (u)
      log.warn('a scale write recorded earlier did not land; its scale event is taken back', {
        namespace,
        name,
        recordedAt: new Date(u.timestamp).toISOString(),
        from: u.from,
        to: u.to,
      });
    return { ...s, history: settled.history };
  };
  let stored: StoredHistory = settle(loaded.stored, scale);

  let decision: Decision | undefined;
  let saved: StoredHistory | undefined;
  let fallback = false;
  let announce: ShadowEventMark | undefined;
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const input: EngineInput = {
      now,
      spec: fhpa.spec,
      currentReplicas: scale.replicas,
      statusReplicas: placement.memberStatusReplicas,
      calibration: placement.calibration,
      pods,
      metrics: gathered.metrics,
      history: stored.history,
      ...(deps.engineOptions ? { options: deps.engineOptions } : {}),
      ...(previous?.conditions ? { conditions: previous.conditions } : {}),
      ...(scaleToZero ? { scaleToZero } : {}),
    };
    if (attempt === 0) opts.onEngineInput?.(input);
    const fell = decideWithAnnotations(input, annotations.settings);
    decision = fell.decision;
    fallback = fell.engaged;
    if (policy.history === 'none') {
      saved = stored;
      break;
    }
    announce =
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
            // What the PATCH below is guarded by, so a crash before it lands can be told (unlanded-scale.ts).
            writtenAgainst: {
              resourceVersion: scale.resourceVersion,
              replicas: scale.replicas,
              savedAt: deps.clock(),
            },
          }
        : { timestamp: now, replicas: scale.replicas },
    );
    try {
      saved = await store.save(historyKey(deps, namespace, name), history, stored.version);
      deps.observer?.storeWrite?.();
      break;
    } catch (err) {
      if (!(err instanceof HistoryConflictError)) return fail(`save history: ${errText(err)}`, true);
      deps.observer?.storeConflict?.();
      // Another invocation wrote first. Its item came back with the error: decide again from it, against the
      // scale as it is now, with the same pods and metrics while the scale has not moved.
      stored = err.current;
      const decidedOn = scale.replicas;
      try {
        scale = await karmada.getScale(namespace, target);
      } catch (e) {
        return fail(`re-read scale after history conflict: ${errText(e)}`, !isPermanent(e));
      }
      if (scale.replicas !== decidedOn) {
        // The winner scaled. The member replicas, pods and metrics read before (and the calibration from them)
        // may be from either side of its write, so deciding from them against the new count acts on a mix of
        // two moments: with the member scales read after the write and the template before it, a duplicated
        // queue message scaled 5 back down to 2 right after the winner's 1 → 5. Decide again from fresh reads,
        // as after a 409 on the PATCH, a bounded number of times.
        return decideAgain('another evaluation scaled the target while this one decided');
      }
      // The winner's history may name a write of its own still in flight: settled like the loaded one.
      stored = settle(stored, scale);
    }
  }
  if (!decision || !saved) return fail('history kept changing under concurrent evaluations', true);
  const fellBack = fallback ? { fallback: true } : {};

  if (policy.mode !== 'active') {
    const result = await finishUnapplied({
      deps: w,
      karmada: deps.karmada,
      policy,
      fhpa,
      scale,
      decision,
      now,
      ...(announce ? { announce } : {}),
      retryable: gathered.errors.some((e) => e.transient),
    });
    return { ...result, ...fellBack };
  }

  // Someone else wrote the scale since fhpa's last decision (scale-owner.ts): said once, in the answer, an
  // Event and the AbleToScale condition.
  const moved = externalScaleChange(stored.history.lastScale, scale.replicas);
  if (moved) {
    log.warn('scale changed by another writer', { namespace, name, from: moved.from, to: moved.to });
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
        return decideAgain(errText(err));
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

// Karmada's mutating webhook default (pkg/util/lifted/federatedhpa.go#SetDefaultsFederatedHPA): 80 % CPU.
const defaultMetrics = [
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
];
