import type { MetricSpec, ScalingRules } from '../api/autoscaling-v2.ts';
import type { CronFederatedHPA } from '../api/cronfederatedhpa.ts';
import { AUTOSCALING_API_VERSION, type FederatedHPA } from '../api/federatedhpa.ts';
import { parseSchedule } from '../cron/schedule.ts';

// Beyond Karmada: specs its webhooks admit that probably do not do what their author meant. Returned as
// AdmissionReview `warnings` (kubectl prints them) and by `fhpa validate`; never a refusal. Each names
// its field. What depends on the clusters (maxReplicas below the number of clusters the workload is
// spread over) is not knowable offline and is not checked here.

/** Karmada's --horizontal-pod-autoscaler-sync-period and fhpa's default FHPA_SWEEP_INTERVAL. */
export const DEFAULT_EVALUATION_PERIOD_SECONDS = 15;

export interface WarningOptions {
  evaluationPeriodSeconds?: number;
}

// Which target field the controller reads for each source (replica_calculator.go): the target type is
// never consulted, so a type that disagrees with the field set is misleading.
function targetWarnings(m: MetricSpec, path: string): string[] {
  const out: string[] = [];
  const check = (source: string, target: { type: string } | undefined, readAs: string, fits: string[]) => {
    if (target === undefined || fits.includes(target.type)) return;
    out.push(
      `${path}.${source}.target.type is "${target.type}", but a ${m.type} metric is compared by ${readAs}: write type ${fits[0]} so the spec says what the controller does`,
    );
  };
  check('pods', m.pods?.target, 'averageValue', ['AverageValue']);
  if (m.resource)
    check('resource', m.resource.target, fieldOf(m.resource.target), [typeOf(m.resource.target)]);
  if (m.containerResource) {
    check('containerResource', m.containerResource.target, fieldOf(m.containerResource.target), [
      typeOf(m.containerResource.target),
    ]);
  }
  if (m.object) check('object', m.object.target, fieldOf(m.object.target), [typeOf(m.object.target)]);
  if (m.external)
    check('external', m.external.target, fieldOf(m.external.target), [typeOf(m.external.target)]);
  return out;
}

type Target = { averageUtilization?: number; averageValue?: unknown; value?: unknown };
// Resource/ContainerResource read averageUtilization first; Object/External read value first.
const fieldOf = (t: Target): string =>
  t.averageUtilization !== undefined
    ? 'averageUtilization'
    : t.value !== undefined
      ? 'value'
      : 'averageValue';
const typeOf = (t: Target): string =>
  t.averageUtilization !== undefined ? 'Utilization' : t.value !== undefined ? 'Value' : 'AverageValue';

function neverActingPolicies(rules: ScalingRules | undefined, path: string): string[] {
  if (rules?.policies === undefined) return [];
  if (rules.selectPolicy === 'Disabled') {
    return [`${path}.policies never apply: ${path}.selectPolicy is Disabled, so this direction never scales`];
  }
  // Two policies of one type and period limit the same change; Max keeps the larger, Min the smaller.
  const out: string[] = [];
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  for (const [i, p] of rules.policies.entries()) {
    const rival = rules.policies.findIndex(
      (q, j) =>
        j !== i &&
        q.type === p.type &&
        q.periodSeconds === p.periodSeconds &&
        pick(p.value, q.value) === q.value &&
        (q.value !== p.value || j < i),
    );
    if (rival >= 0) {
      out.push(
        `${path}.policies[${i}] can never act: ${path}.policies[${rival}] has the same type and period and selectPolicy ${rules.selectPolicy ?? 'Max'} always prefers it`,
      );
    }
  }
  return out;
}

/** Warnings for a FederatedHPA that Karmada's webhook admits. */
export function federatedHPAWarnings(fhpa: FederatedHPA, opts: WarningOptions = {}): string[] {
  const period = opts.evaluationPeriodSeconds ?? DEFAULT_EVALUATION_PERIOD_SECONDS;
  const { spec } = fhpa;
  const out: string[] = [];
  if (spec.minReplicas !== undefined && spec.minReplicas === spec.maxReplicas) {
    out.push(
      `spec.minReplicas equals spec.maxReplicas (${spec.maxReplicas}): the FederatedHPA can never scale`,
    );
  }
  for (const [i, m] of (spec.metrics ?? []).entries()) out.push(...targetWarnings(m, `spec.metrics[${i}]`));
  const down = spec.behavior?.scaleDown?.stabilizationWindowSeconds;
  if (down !== undefined && down > 0 && down < period) {
    out.push(
      `spec.behavior.scaleDown.stabilizationWindowSeconds (${down}s) is shorter than the evaluation period (${period}s): the window rarely holds more than one recommendation, so it does not smooth scale-downs`,
    );
  }
  out.push(...neverActingPolicies(spec.behavior?.scaleUp, 'spec.behavior.scaleUp'));
  out.push(...neverActingPolicies(spec.behavior?.scaleDown, 'spec.behavior.scaleDown'));
  return out;
}

/** Warnings for a CronFederatedHPA that Karmada's webhook admits. */
export function cronFederatedHPAWarnings(cron: CronFederatedHPA, now: number): string[] {
  const out: string[] = [];
  const scaleFHPA = cron.spec.scaleTargetRef.apiVersion === AUTOSCALING_API_VERSION;
  for (const [i, rule] of cron.spec.rules.entries()) {
    const p = `spec.rules[${i}]`;
    if (rule.timeZone === undefined) {
      out.push(
        `${p}.timeZone is not set: Karmada uses the controller's local time zone, fhpa uses UTC; set it to be sure`,
      );
    }
    const parsed = parseSchedule(rule.schedule, rule.timeZone);
    if (parsed.ok && parsed.next(now) === undefined) out.push(`${p}.schedule "${rule.schedule}" never fires`);
    if (scaleFHPA && rule.targetReplicas !== undefined) {
      out.push(
        `${p}.targetReplicas is ignored: the target is a FederatedHPA, whose targetMinReplicas/targetMaxReplicas are set`,
      );
    }
    if (!scaleFHPA && (rule.targetMinReplicas !== undefined || rule.targetMaxReplicas !== undefined)) {
      out.push(
        `${p}.targetMinReplicas/targetMaxReplicas are ignored: the target is a ${cron.spec.scaleTargetRef.kind}, whose replicas are set to targetReplicas`,
      );
    }
  }
  return out;
}
