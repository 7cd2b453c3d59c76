import {
  type CronFederatedHPA,
  type CronFederatedHPARule,
  cronFederatedHPASchema,
} from '../api/cronfederatedhpa.ts';
import { AUTOSCALING_API_VERSION } from '../api/federatedhpa.ts';
import { isValidTimeZone, parseSchedule } from '../cron/schedule.ts';
import type { ValidationResult } from './federatedhpa.ts';
import { duplicate, type FieldError, invalid, jsonValue } from './field-error.ts';
import { validateCrossVersionObjectReference } from './metrics.ts';
import { validateObjectMeta } from './object-meta.ts';
import { besideSchemaErrors, parseStructure } from './structure.ts';
import { cronFederatedHPAWarnings } from './warnings.ts';

// CronFederatedHPA validation as Karmada's webhook does it (pkg/webhook/cronfederatedhpa/validating.go),
// after the checks its CRD schema makes (autoscaling.karmada.io_cronfederatedhpas.yaml).
//
// Departure: Karmada checks schedules with gronx, whose syntax is wider than what its controller
// (robfig/cron) can run; fhpa refuses what either would refuse (src/cron/schedule.ts). The error keeps
// Karmada's text, "invalid cron format"; the reason is added as a warning so the author can fix it.

const MAX_INT32 = 2147483647;

// CRD OpenAPI bounds, as the API server reports them (apiextensions structural validation).
function crdRuleErrors(rule: CronFederatedHPARule, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rule.name.length === 0) {
    errs.push(invalid(`${p}.name`, rule.name, `${p}.name in body should be at least 1 chars long`));
  }
  if (rule.name.length > 32)
    errs.push({ field: `${p}.name`, type: 'TooLong', detail: 'may not be more than 32 bytes' });
  const bounds: [keyof CronFederatedHPARule, number][] = [
    ['successfulHistoryLimit', 1],
    ['failedHistoryLimit', 0],
  ];
  for (const [key, min] of bounds) {
    const v = rule[key];
    if (typeof v !== 'number') continue;
    const f = `${p}.${key}`;
    if (v < min) errs.push(invalid(f, v, `${f} in body should be greater than or equal to ${min}`));
    if (v > 32) errs.push(invalid(f, v, `${f} in body should be less than or equal to 32`));
  }
  return errs;
}

function replicaErrors(
  rule: CronFederatedHPARule,
  scaleFHPA: boolean,
  kind: string,
  p: string,
): FieldError[] {
  const errs: FieldError[] = [];
  // Karmada passes "" as the bad value here, so the text reads `Invalid value: "": …`.
  if (scaleFHPA) {
    const min = rule.targetMinReplicas ?? 1;
    const max = rule.targetMaxReplicas ?? MAX_INT32;
    if (rule.targetMinReplicas === undefined && rule.targetMaxReplicas === undefined) {
      errs.push(
        invalid(
          `${p}.targetMaxReplicas`,
          '',
          'targetMinReplicas and targetMaxReplicas cannot be nil at the same time if you want to scale FederatedHPA',
        ),
      );
    }
    if (min <= 0)
      errs.push(invalid(`${p}.targetMinReplicas`, '', 'targetMinReplicas should be larger than 0'));
    if (max <= 0)
      errs.push(invalid(`${p}.targetMaxReplicas`, '', 'targetMaxReplicas should be larger than 0'));
    if (min > max) {
      errs.push(
        invalid(
          `${p}.targetMinReplicas`,
          '',
          'targetMaxReplicas should be larger than or equal to targetMinReplicas',
        ),
      );
    }
    return errs;
  }
  if (rule.targetReplicas === undefined) {
    errs.push(
      invalid(`${p}.targetReplicas`, '', `targetReplicas cannot be nil if you want to scale ${kind}`),
    );
  }
  // Scaling a workload to 0 is allowed (e.g. nothing at weekends).
  if ((rule.targetReplicas ?? 0) < 0) {
    errs.push(invalid(`${p}.targetReplicas`, '', 'targetReplicas should be larger than or equal to 0'));
  }
  return errs;
}

/** Karmada's rules (and the CRD's bounds) on a structurally valid CronFederatedHPA, with schedule hints. */
export function karmadaCronFederatedHPAErrors(cron: CronFederatedHPA): {
  errors: FieldError[];
  hints: string[];
} {
  const errors = validateObjectMeta(cron.metadata);
  const hints: string[] = [];
  const ref = cron.spec.scaleTargetRef;
  let scaleFHPA = false;
  if (ref.apiVersion === AUTOSCALING_API_VERSION) {
    if (ref.kind !== 'FederatedHPA') {
      // Karmada returns at once here: no other spec error is reported.
      errors.push(
        invalid(
          'spec.scaleTargetRef.kind',
          ref.kind,
          `invalid scaleTargetRef kind: ${ref.kind}, only support FederatedHPA`,
        ),
      );
      return { errors, hints };
    }
    scaleFHPA = true;
  }
  errors.push(...validateCrossVersionObjectReference(ref, 'spec.scaleTargetRef'));
  const names = new Set<string>();
  for (const [i, rule] of cron.spec.rules.entries()) {
    const p = `spec.rules[${i}]`;
    errors.push(...crdRuleErrors(rule, p));
    if (names.has(rule.name)) errors.push(duplicate(`${p}.name`, rule.name));
    names.add(rule.name);
    const parsed = parseSchedule(rule.schedule);
    if (!parsed.ok) {
      errors.push(invalid(`${p}.schedule`, rule.schedule, 'invalid cron format'));
      hints.push(`${p}.schedule: ${parsed.message}`);
    }
    if (rule.timeZone !== undefined && !isValidTimeZone(rule.timeZone)) {
      // time.LoadLocation's error; the bad value is a *string, JSON-encoded.
      errors.push(invalid(`${p}.timeZone`, jsonValue(rule.timeZone), `unknown time zone ${rule.timeZone}`));
    }
    errors.push(...replicaErrors(rule, scaleFHPA, ref.kind, p));
  }
  return { errors, hints };
}

/**
 * Validates a CronFederatedHPA (any JSON value). `now` (ms) is only used to warn about schedules that
 * never fire; warnings for an invalid object explain its schedule errors.
 */
export function validateCronFederatedHPA(obj: unknown, now: number): ValidationResult {
  const parsed = parseStructure(cronFederatedHPASchema, obj);
  // Schema errors and rule errors in one pass, as for a FederatedHPA.
  if (!parsed.ok) {
    const rules = parsed.rest ? karmadaCronFederatedHPAErrors(parsed.rest).errors : [];
    return { errors: [...parsed.errors, ...besideSchemaErrors(rules, parsed.errors)], warnings: [] };
  }
  const { errors, hints } = karmadaCronFederatedHPAErrors(parsed.value);
  return { errors, warnings: errors.length === 0 ? cronFederatedHPAWarnings(parsed.value, now) : hints };
}
