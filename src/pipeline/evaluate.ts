import { annotationPath, parseAnnotations } from '../api/annotations.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import { parseMetricAnnotations, scaleToZeroOf } from '../api/metric-annotations.ts';
import type { EngineInput } from '../engine/types.ts';
import type { TargetReads } from '../karmada/adapter.ts';
import { isNotFound, isPermanent } from '../karmada/errors.ts';
import type { StoredHistory } from '../store/history-store.ts';
import { applyDecision } from './apply-decision.ts';
import { decideAndSave } from './decide-and-save.ts';
import { logEvaluation } from './log-evaluation.ts';
import { readTarget } from './read-target.ts';
import { errText, historyKey, objectRef, writeStatus } from './report.ts';
import { MAX_SCALE_CONFLICTS } from './scale-write.ts';
import { buildStatus } from './status.ts';
import type { EvaluationContext, EvaluationResult, PipelineDeps } from './types.ts';
import { finishUnapplied } from './unapplied.ts';
import { guardWrites, writePolicy } from './write-policy.ts';

// One evaluation of one FederatedHPA, end to end. The order is what keeps concurrent invocations honest:
//
//   read FHPA, scale, placement, pods, metrics (read-target.ts)  →  decide  →  SAVE HISTORY (conditional on its version)
//   →  PATCH SCALE (conditional on the scale's resourceVersion)  →  status and events
//
// This file reads; decide-and-save.ts decides and saves the history; apply-decision.ts writes the scale, the
// Events and the status (finishUnapplied in unapplied.ts instead, where the decision is not applied).
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
  for (const e of read.gathered.errors) {
    log.warn('metric fetch failed', { namespace, name, metric: e.metric, error: e.message });
    await karmada.recordEvent(objectRef(fhpa), 'Warning', `FailedGet${e.type}Metric`, e.message, now);
  }

  const loaded = await historyRead;
  if ('error' in loaded) return fail(`load history: ${errText(loaded.error)}`, true);

  const ctx: EvaluationContext = { deps, w, karmada, fhpa, namespace, name, now, fail, decideAgain };
  const decided = await decideAndSave(ctx, {
    policy,
    annotations: annotations.settings,
    read,
    loaded: loaded.stored,
    ...(scaleToZero ? { scaleToZero } : {}),
    ...(opts.onEngineInput ? { onEngineInput: opts.onEngineInput } : {}),
  });
  if ('outcome' in decided) return decided;

  if (policy.mode !== 'active') {
    const result = await finishUnapplied({
      deps: w,
      karmada: deps.karmada,
      policy,
      fhpa,
      scale: decided.scale,
      decision: decided.decision,
      now,
      ...(decided.announce ? { announce: decided.announce } : {}),
      retryable: read.gathered.errors.some((e) => e.transient),
    });
    return { ...result, ...(decided.fallback ? { fallback: true } : {}) };
  }
  return applyDecision(ctx, { ...decided, gathered: read.gathered });
}

// Karmada's mutating webhook default (pkg/util/lifted/federatedhpa.go#SetDefaultsFederatedHPA): 80 % CPU.
const defaultMetrics = [
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
];
