import { type FederatedHPA, federatedHPASchema } from '../api/federatedhpa.ts';
import { setDefaultsFederatedHPA } from './defaults.ts';
import { karmadaFederatedHPAErrors } from './federatedhpa.ts';
import type { FieldError } from './field-error.ts';
import { parseStructure } from './structure.ts';

// Karmada's own FederatedHPA admission webhooks exactly as Karmada ships them, for the simulator: the mutating
// one (pkg/webhook/federatedhpa/mutating.go → lifted.SetDefaultsFederatedHPA, then PatchResponseFromRaw) and
// the validating one (validating.go → lifted.ValidateFederatedHPA), without fhpa's departures. Two of fhpa's
// features cannot pass them: the mutating webhook rebuilds each behavior side from selectPolicy,
// stabilizationWindowSeconds and policies only (copyHPAScalingRules), so `tolerance` is gone before anything
// reads it, and the validating one refuses `External` metrics (not in validMetricSourceTypes). Same rules as
// fhpa's webhook otherwise: one implementation (federatedhpa.ts, metrics.ts, defaults.ts) with a `stock` flag.

/** The mutating webhook's answer: the object as Karmada stores it, or the structural errors that stop it. */
export function karmadaMutate(obj: unknown): { object: FederatedHPA } | { errors: FieldError[] } {
  const parsed = parseStructure(federatedHPASchema, obj);
  if (!parsed.ok) return { errors: parsed.errors };
  return { object: setDefaultsFederatedHPA(parsed.value, true) };
}

/** The validating webhook's field errors (empty: allowed). */
export const karmadaValidate = (fhpa: FederatedHPA): FieldError[] => karmadaFederatedHPAErrors(fhpa, true);
