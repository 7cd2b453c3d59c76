import { AUTOSCALING_API_VERSION } from '../api/federatedhpa.ts';
import { type Snapshot, specOf } from '../api/snapshot.ts';
import { validateFederatedHPA } from './federatedhpa.ts';
import { type FieldError, renderError } from './field-error.ts';

// The autoscaler a `fhpa recommend` snapshot carries, checked with the rules `fhpa validate` and the admission
// webhook apply, so an offline decision is never made for a spec Karmada would refuse (maxReplicas: -1 would
// otherwise be "decided" as desiredReplicas -1). A plain autoscaling/v2 HPA has the FederatedHPA's spec field
// for field; an autoscaling/v1 HPA is checked as the v2 spec it converts to, its CPU target named as written.

const V1_CPU_PATH = 'spec.metrics[0].resource.target.averageUtilization';

/** Rule errors of the snapshot's federatedHPA, as `federatedHPA.spec.…: message` lines (prefix for a batch). */
export function snapshotTargetErrors(target: Snapshot['federatedHPA'], prefix = ''): string[] {
  const asFederatedHPA = {
    apiVersion: AUTOSCALING_API_VERSION,
    kind: 'FederatedHPA',
    metadata: target.metadata,
    spec: specOf(target),
  };
  const v1 = target.apiVersion === 'autoscaling/v1';
  return validateFederatedHPA(asFederatedHPA).errors.map((e: FieldError) => {
    const field = v1 && e.field === V1_CPU_PATH ? 'spec.targetCPUUtilizationPercentage' : e.field;
    return `${prefix}federatedHPA.${renderError({ ...e, field })}`;
  });
}
