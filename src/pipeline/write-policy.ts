import type { FhpaAnnotations, Mode } from '../api/annotations.ts';
import type { KarmadaAdapter } from '../karmada/adapter.ts';

// What one evaluation may write. Dry run, shadow and pause are the same thing seen from three sides: evaluate
// as usual (same reads, same history, same decision) and leave Karmada alone. They differ only in what they
// keep and what they say, so they are one policy, chosen once per evaluation from the request, the
// deployment's FHPA_MODE and the FederatedHPA's annotations, and enforced in one place (guardWrites) that every
// write of the evaluation goes through.
//
//   mode      scale  status  events               history
//   active    yes    yes     yes                  the decision's
//   held      to N   yes     yes                  recommendations only (paused-replicas: held at N)
//   paused    no     no      no                   recommendations only
//   shadow    no     no      ShadowRecommendation recommendations only
//   dry-run   no     no      no                   none
//
// "Recommendations only": the decision's recommendations are saved (so a FederatedHPA that leaves pause or
// shadow has a stabilization window that covers the time before, and does not jump), but not the scale event
// the decision would have recorded, since nothing was scaled: a phantom event would hold back the next real
// scale-up by a change that never happened.

export type EvaluationMode = 'active' | 'held' | 'paused' | 'shadow' | 'dry-run';

export interface WritePolicy {
  mode: EvaluationMode;
  scale: boolean;
  status: boolean;
  events: boolean;
  history: 'decision' | 'recommendations' | 'none';
  /** held: the count the workload is held at. */
  heldReplicas?: number;
}

export interface PolicyInput {
  /** The request asked for a dry run (`?dryRun=All`). */
  dryRun?: boolean;
  /** FHPA_MODE. */
  deploymentMode?: Mode;
  annotations: FhpaAnnotations;
}

/**
 * Precedence, most cautious first: a dry run writes nothing whatever the object says; shadow never touches the
 * scale, so it wins over paused-replicas (an operator comparing controllers must not have fhpa move the
 * workload); then pause, then its held form.
 */
export function writePolicy(input: PolicyInput): WritePolicy {
  const { annotations } = input;
  if (input.dryRun) return { mode: 'dry-run', scale: false, status: false, events: false, history: 'none' };
  if ((annotations.mode ?? input.deploymentMode ?? 'active') === 'shadow') {
    return { mode: 'shadow', scale: false, status: false, events: false, history: 'recommendations' };
  }
  if (annotations.paused) {
    return { mode: 'paused', scale: false, status: false, events: false, history: 'recommendations' };
  }
  if (annotations.pausedReplicas !== undefined) {
    return {
      mode: 'held',
      scale: true,
      status: true,
      events: true,
      history: 'recommendations',
      heldReplicas: annotations.pausedReplicas,
    };
  }
  return { mode: 'active', scale: true, status: true, events: true, history: 'decision' };
}

/** A write the policy forbids reached the adapter: a bug in the pipeline, made loud instead of applied. */
export class WriteRefusedError extends Error {
  constructor(mode: EvaluationMode, what: string) {
    super(`${what} refused: this evaluation is in ${mode} mode`);
    this.name = 'WriteRefusedError';
  }
}

/**
 * The adapter as this evaluation may use it. Forbidden status and event writes are skipped silently (every
 * failure path of the pipeline writes them, and in shadow, pause and dry run they are simply not ours to
 * write); a forbidden scale or spec write throws, because the pipeline must decide not to make it.
 */
export function guardWrites(karmada: KarmadaAdapter, policy: WritePolicy): KarmadaAdapter {
  if (policy.mode === 'active') return karmada;
  const refuse = (what: string) => () => Promise.reject(new WriteRefusedError(policy.mode, what));
  const overrides: Partial<KarmadaAdapter> = {
    ...(policy.scale ? {} : { patchScale: refuse('scale write') }),
    ...(policy.status ? {} : { updateFederatedHPAStatus: () => Promise.resolve() }),
    ...(policy.events ? {} : { recordEvent: () => Promise.resolve() }),
    updateFederatedHPASpec: refuse('FederatedHPA spec write'),
    updateCronFederatedHPAStatus: refuse('CronFederatedHPA status write'),
  };
  return new Proxy(karmada, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop as keyof KarmadaAdapter];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
