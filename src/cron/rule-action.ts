import type { CronFederatedHPA, CronFederatedHPARule } from '../api/cronfederatedhpa.ts';
import { AUTOSCALING_API_VERSION } from '../api/federatedhpa.ts';

// What one due CronFederatedHPA rule does to its scale target (karmada pkg/controllers/cronfederatedhpa/
// cronfederatedhpa_job.go#RunCronFederatedHPARule, ScaleFHPA, ScaleWorkloads). The caller reads the
// target, asks ruleAction, writes what it says, and records the outcome with recordExecution.

export type CronTarget =
  | { type: 'FederatedHPA'; namespace: string; name: string }
  | { type: 'workload'; apiVersion: string; kind: string; namespace: string; name: string }
  | { type: 'unsupported'; message: string };

/** The target's current state, as read by the caller. */
export type TargetState =
  | { type: 'FederatedHPA'; minReplicas?: number; maxReplicas: number }
  // The /scale subresource's spec.replicas; absent reads as 0 (karmada PR #7183, scale from zero).
  | { type: 'workload'; replicas?: number };

export type RuleAction =
  /** Update the FederatedHPA's spec to these bounds (full values, not a delta). */
  | { type: 'updateFederatedHPA'; minReplicas: number; maxReplicas: number }
  /** PUT /scale with spec.replicas. */
  | { type: 'scale'; replicas: number }
  /** Already as the rule wants: nothing to write; still a successful execution. */
  | { type: 'none' }
  | { type: 'fail'; message: string };

function cronKey(cron: CronFederatedHPA): string {
  // types.NamespacedName.String(): namespace + "/" + name.
  return `${cron.metadata.namespace ?? ''}/${cron.metadata.name ?? ''}`;
}

/**
 * Only scaleTargetRef.apiVersion exactly "autoscaling.karmada.io/v1alpha1" means "scale a FederatedHPA";
 * then the kind must be FederatedHPA. Anything else is a workload scaled through /scale, in the
 * CronFederatedHPA's namespace.
 */
export function cronTarget(cron: CronFederatedHPA): CronTarget {
  const ref = cron.spec.scaleTargetRef;
  const namespace = cron.metadata.namespace ?? '';
  if (ref.apiVersion === AUTOSCALING_API_VERSION) {
    if (ref.kind !== 'FederatedHPA') {
      return {
        type: 'unsupported',
        message: `CronFederatedHPA(${cronKey(cron)}) do not support scale target ${ref.apiVersion}/${ref.kind}`,
      };
    }
    return { type: 'FederatedHPA', namespace, name: ref.name };
  }
  return { type: 'workload', apiVersion: ref.apiVersion ?? '', kind: ref.kind, namespace, name: ref.name };
}

/** What `rule` should do to a target currently in `state`. */
export function ruleAction(
  cron: CronFederatedHPA,
  rule: CronFederatedHPARule,
  state: TargetState,
): RuleAction {
  const target = cronTarget(cron);
  if (target.type === 'unsupported') return { type: 'fail', message: target.message };
  if (target.type !== state.type) {
    return {
      type: 'fail',
      message: `scale target ${cron.spec.scaleTargetRef.kind} was read as a ${state.type}`,
    };
  }
  if (state.type === 'FederatedHPA') return federatedHPAAction(rule, state);
  if (rule.targetReplicas === undefined) {
    // The CronFederatedHPA webhook's message (validating.go); Karmada's job would dereference nil here.
    return {
      type: 'fail',
      message: `targetReplicas cannot be nil if you want to scale ${cron.spec.scaleTargetRef.kind}`,
    };
  }
  return (state.replicas ?? 0) === rule.targetReplicas
    ? { type: 'none' }
    : { type: 'scale', replicas: rule.targetReplicas };
}

/**
 * ScaleFHPA: set maxReplicas / minReplicas where the rule sets them and they differ. An unset FHPA
 * minReplicas reads as 1, the webhook default. The update passes the FederatedHPA webhook, so a result
 * with max < min is denied there; fhpa fails it with the same text without writing.
 */
function federatedHPAAction(
  rule: CronFederatedHPARule,
  fhpa: { minReplicas?: number; maxReplicas: number },
): RuleAction {
  const currentMin = fhpa.minReplicas ?? 1;
  const minReplicas = rule.targetMinReplicas ?? currentMin;
  const maxReplicas = rule.targetMaxReplicas ?? fhpa.maxReplicas;
  if (minReplicas === currentMin && maxReplicas === fhpa.maxReplicas) return { type: 'none' };
  if (maxReplicas < minReplicas) {
    return {
      type: 'fail',
      message: `admission webhook "federatedhpa.karmada.io" denied the request: spec.maxReplicas: Invalid value: ${maxReplicas}: must be greater than or equal to \`minReplicas\``,
    };
  }
  return { type: 'updateFederatedHPA', minReplicas, maxReplicas };
}
