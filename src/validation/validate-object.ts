import { AUTOSCALING_API_VERSION } from '../api/federatedhpa.ts';
import { validateCronFederatedHPA } from './cronfederatedhpa.ts';
import { type ValidationResult, validateFederatedHPA } from './federatedhpa.ts';

// The one entry point the admission webhook and `fhpa validate` share.

export const VALIDATED_KINDS = ['FederatedHPA', 'CronFederatedHPA'] as const;
export type ValidatedKind = (typeof VALIDATED_KINDS)[number];

export interface ValidateObjectOptions {
  /** Skip Karmada's mutating-webhook defaults (FederatedHPA only). */
  raw?: boolean;
  /** Now, in ms: only for warnings about schedules that never fire. */
  now: number;
}

/** The kind fhpa validates, from an object's apiVersion and kind; undefined for any other object. */
export function validatedKindOf(obj: unknown): ValidatedKind | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || apiVersion.split('/')[0] !== AUTOSCALING_API_VERSION.split('/')[0])
    return undefined;
  return VALIDATED_KINDS.find((k) => k === kind);
}

export function validateObject(
  kind: ValidatedKind,
  obj: unknown,
  opts: ValidateObjectOptions,
): ValidationResult {
  return kind === 'FederatedHPA'
    ? validateFederatedHPA(obj, opts.raw ? { raw: true } : {})
    : validateCronFederatedHPA(obj, opts.now);
}
