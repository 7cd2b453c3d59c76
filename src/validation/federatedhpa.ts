import { annotationPath, parseAnnotations } from '../api/annotations.ts';
import type { Behavior, HPAStatus, ScalingRules } from '../api/autoscaling-v2.ts';
import { type FederatedHPA, federatedHPASchema } from '../api/federatedhpa.ts';
import { setDefaultsFederatedHPA } from './defaults.ts';
import { child, type FieldError, index, invalid, jsonValue, notSupported, required } from './field-error.ts';
import { metricAnnotationErrors } from './metric-annotations.ts';
import { validateCrossVersionObjectReference, validateMetricSpec } from './metrics.ts';
import { validateObjectMeta } from './object-meta.ts';
import { isQuantityPositive, renderQuantity } from './quantity-sign.ts';
import { besideSchemaErrors, parseStructure } from './structure.ts';
import { federatedHPAWarnings } from './warnings.ts';

// FederatedHPA validation as Karmada's validating webhook does it (pkg/webhook/federatedhpa/validating.go
// → pkg/util/lifted/validatingfhpa.go#ValidateFederatedHPA, lifted from Kubernetes release-1.27
// pkg/apis/autoscaling/validation/validation.go), rules and order unchanged, after the checks the CRD's
// OpenAPI schema makes (structure.ts). Departures, each marked where it happens: External metrics
// (metrics.ts) and behavior.*.tolerance (validateScalingRules below).

export const MAX_PERIOD_SECONDS = 1800;
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

export interface ValidationResult {
  errors: FieldError[];
  warnings: string[];
}

export interface ValidateOptions {
  /**
   * Validate the object as written, without Karmada's mutating-webhook defaults. Admission (the default)
   * validates what Karmada's validating webhook sees: the defaulted object.
   */
  raw?: boolean;
}

function validateScalingRules(rules: ScalingRules | undefined, path: string): FieldError[] {
  if (rules === undefined) return [];
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  const windowPath = child(path, 'stabilizationWindowSeconds');
  if (w !== undefined && w < 0)
    errs.push(invalid(windowPath, jsonValue(w), 'must be greater than or equal to zero'));
  if (w !== undefined && w > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(
      invalid(windowPath, jsonValue(w), `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`),
    );
  }
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy)) {
    errs.push(notSupported(child(path, 'selectPolicy'), jsonValue(rules.selectPolicy), SELECT_POLICIES));
  }
  const policiesPath = child(path, 'policies');
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(required(policiesPath, 'must specify at least one Policy'));
  for (const [i, p] of policies.entries()) {
    const pp = index(policiesPath, i);
    if (p.type !== 'Pods' && p.type !== 'Percent') {
      errs.push(notSupported(child(pp, 'type'), jsonValue(p.type), POLICY_TYPES));
    }
    if (p.value <= 0) errs.push(invalid(child(pp, 'value'), p.value, 'must be greater than zero'));
    if (p.periodSeconds <= 0)
      errs.push(invalid(child(pp, 'periodSeconds'), p.periodSeconds, 'must be greater than zero'));
    if (p.periodSeconds > MAX_PERIOD_SECONDS) {
      errs.push(
        invalid(
          child(pp, 'periodSeconds'),
          p.periodSeconds,
          `must be less than or equal to ${MAX_PERIOD_SECONDS}`,
        ),
      );
    }
  }
  // Departure: Karmada ignores tolerance (its controller is Kubernetes 1.27's). fhpa applies it, so it
  // checks it as Kubernetes 1.33 does (ValidateNonnegativeQuantity).
  if (
    rules.tolerance !== undefined &&
    !isQuantityPositive(rules.tolerance) &&
    renderQuantity(rules.tolerance) !== '0'
  ) {
    errs.push(
      invalid(
        child(path, 'tolerance'),
        jsonValue(renderQuantity(rules.tolerance)),
        'must be greater than or equal to 0',
      ),
    );
  }
  return errs;
}

function validateBehavior(behavior: Behavior | undefined, path: string): FieldError[] {
  if (behavior === undefined) return [];
  return [
    ...validateScalingRules(behavior.scaleUp, child(path, 'scaleUp')),
    ...validateScalingRules(behavior.scaleDown, child(path, 'scaleDown')),
  ];
}

function validateStatus(status: HPAStatus | undefined): FieldError[] {
  const errs: FieldError[] = [];
  // Go validates the zero value of an absent status, which always passes.
  for (const key of ['currentReplicas', 'desiredReplicas'] as const) {
    const v = status?.[key];
    if (v !== undefined && v < 0)
      errs.push(invalid(`status.${key}`, v, 'must be greater than or equal to 0'));
  }
  return errs;
}

/**
 * Karmada's rules on a structurally valid object, in Karmada's order; `stock` without fhpa's departures (the
 * webhook Karmada ships, karmada-webhooks.ts).
 */
export function karmadaFederatedHPAErrors(fhpa: FederatedHPA, stock = false): FieldError[] {
  const spec = fhpa.spec;
  const errs: FieldError[] = [...validateObjectMeta(fhpa.metadata)];
  // Karmada does not support scale-to-zero (karmada-io/karmada#5036): the lower bound is 1, not 0.
  if (spec.minReplicas !== undefined && spec.minReplicas < 1) {
    errs.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  }
  if (spec.maxReplicas < 1)
    errs.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than 0'));
  if (spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) {
    errs.push(
      invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'),
    );
  }
  errs.push(...validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  for (const [i, m] of (spec.metrics ?? []).entries())
    errs.push(...validateMetricSpec(m, `spec.metrics[${i}]`, stock));
  errs.push(...validateBehavior(spec.behavior, 'spec.behavior'));
  errs.push(...validateStatus(fhpa.status));
  return errs;
}

/** fhpa's own annotations (src/api/annotations.ts), after Karmada's rules: Karmada knows nothing of them. */
function annotationErrors(fhpa: FederatedHPA): FieldError[] {
  return parseAnnotations(fhpa.metadata.annotations).errors.map((e) =>
    invalid(annotationPath(e.key), e.value, e.message),
  );
}

/**
 * Validates a FederatedHPA (any JSON value): structural errors first; if there are none, Karmada's rules
 * on the defaulted object (or on the object as written with `raw`), and warnings for a valid spec.
 */
export function validateFederatedHPA(obj: unknown, opts: ValidateOptions = {}): ValidationResult {
  const parsed = parseStructure(federatedHPASchema, obj);
  // Schema errors and rule errors in one pass: the rules also check what the schema left standing.
  const checked = parsed.ok ? parsed.value : parsed.rest;
  if (checked === undefined) return { errors: parsed.ok ? [] : parsed.errors, warnings: [] };
  const fhpa = opts.raw ? checked : setDefaultsFederatedHPA(checked);
  // fhpa's own annotations after Karmada's rules, so Karmada's vectors are unchanged: the registry's (mode,
  // pause, fallback, unknown keys) and the metric ones (PromQL, scale to zero), which check spec.metrics too.
  const rules = [
    ...karmadaFederatedHPAErrors(fhpa),
    ...annotationErrors(fhpa),
    ...metricAnnotationErrors(fhpa),
  ];
  if (!parsed.ok)
    return { errors: [...parsed.errors, ...besideSchemaErrors(rules, parsed.errors)], warnings: [] };
  return { errors: rules, warnings: rules.length === 0 ? federatedHPAWarnings(fhpa) : [] };
}
