import type { CrossVersionObjectReference } from '../api/autoscaling-v2.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { KarmadaAdapter } from '../karmada/adapter.ts';
import { isNotFound, KarmadaStateError } from '../karmada/errors.ts';
import { type FieldError, forbidden } from './field-error.ts';

// One autoscaler per target (KEDA's admission webhook refuses a second ScaledObject on a workload; two HPAs on
// one target fight, and Kubernetes' HPA controller only reports AmbiguousSelector after the fact). Checks that
// need Karmada's state, so they run beside the spec rules, bounded in time: a webhook that fails closed on its
// own dependency would block every `kubectl apply`, so when Karmada cannot be read in time the object is
// admitted on its spec alone, with a warning that the check was skipped.

/** The API group of an apiVersion ("apps/v1" → "apps", "v1" → ""): versions of one group name one object. */
const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

export function sameTarget(a: CrossVersionObjectReference, b: CrossVersionObjectReference): boolean {
  return a.kind === b.kind && a.name === b.name && group(a.apiVersion ?? '') === group(b.apiVersion ?? '');
}

/** The other FederatedHPAs of the namespace that already target what `fhpa` targets, as field errors. */
export function targetConflicts(fhpa: FederatedHPA, others: readonly FederatedHPA[]): FieldError[] {
  const ref = fhpa.spec.scaleTargetRef;
  return others
    .filter((o) => o.metadata.name !== fhpa.metadata.name && sameTarget(o.spec.scaleTargetRef, ref))
    .map((o) =>
      forbidden(
        'spec.scaleTargetRef',
        `${ref.kind}/${ref.name} is already the target of FederatedHPA ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}: one autoscaler per target`,
      ),
    );
}

export interface TargetCheck {
  errors: FieldError[];
  warnings: string[];
}

export const DEFAULT_TARGET_CHECK_TIMEOUT_MS = 2_000;

/** Reads Karmada for the checks above, within `timeoutMs`; never throws. */
export async function checkTarget(
  karmada: KarmadaAdapter,
  fhpa: FederatedHPA,
  timeoutMs = DEFAULT_TARGET_CHECK_TIMEOUT_MS,
): Promise<TargetCheck> {
  const namespace = fhpa.metadata.namespace ?? 'default';
  const ref = fhpa.spec.scaleTargetRef;
  const what = `${ref.kind}/${ref.name}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const work = (async (): Promise<TargetCheck> => {
    const others = await karmada.listFederatedHPAs({ namespace });
    const errors = targetConflicts(fhpa, others);
    const warnings: string[] = [];
    try {
      await karmada.getScale(namespace, ref);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      warnings.push(`spec.scaleTargetRef: ${what} does not exist in namespace ${namespace} (yet)`);
      return { errors, warnings };
    }
    try {
      await karmada.getPlacement(namespace, ref);
    } catch (err) {
      // Karmada labels a template with its policy's permanent id once a PropagationPolicy selects it.
      if (err instanceof KarmadaStateError && err.reason === 'FailedGetBinding')
        warnings.push(`spec.scaleTargetRef: no PropagationPolicy propagates ${what} (${err.message})`);
      else if (!(err instanceof KarmadaStateError)) throw err;
    }
    return { errors, warnings };
  })();
  try {
    const result = await Promise.race([work, timeout]);
    if (result === 'timeout') {
      work.catch(() => {});
      return { errors: [], warnings: [skipped(`Karmada did not answer within ${timeoutMs} ms`)] };
    }
    return result;
  } catch (err) {
    return { errors: [], warnings: [skipped(err instanceof Error ? err.message : String(err))] };
  } finally {
    clearTimeout(timer);
  }
}

const skipped = (why: string) =>
  `the one-autoscaler-per-target check was skipped (${why}); the spec was validated`;
