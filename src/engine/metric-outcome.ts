// What computing one metric yields, and how a failure is reported: `inner` goes into the ScalingActive
// condition ("the HPA was unable to compute the replica count: …"), the wrapped error is what the reconcile
// returns, as in Karmada's computeReplicasForMetric / getUnableComputeReplicaCountCondition.

import type { MetricStatus } from '../api/autoscaling-v2.ts';
import type { Tolerance } from './defaults.ts';
import type { PodIndex } from './pod-index.ts';
import type { ReadinessTiming } from './pods.ts';
import type { MetricSamples, PodInfo } from './types.ts';

export interface MetricContext {
  /** Template replicas (Karmada's specReplicas). */
  currentReplicas: number;
  statusReplicas: number;
  calibration: number;
  pods: PodInfo[];
  /** `pods` keyed once for all per-pod metrics of a decision; built from `pods` when absent. */
  podIndex?: PodIndex;
  samples: MetricSamples;
  tolerance: Tolerance;
  timing: ReadinessTiming;
}

export type MetricOutcome =
  | { ok: true; replicas: number; metricName: string; status: MetricStatus }
  | { ok: false; error: string; reason: string; conditionMessage: string };

export type MetricValueStatus = NonNullable<MetricStatus['resource']>['current'];

/** A failure: `inner` goes into the ScalingActive condition, `outer` is the error the reconcile returns. */
export function fail(reason: string, inner: string, wrap: (e: string) => string = (e) => e): MetricOutcome {
  return {
    ok: false,
    reason,
    error: wrap(inner),
    conditionMessage: `the HPA was unable to compute the replica count: ${inner}`,
  };
}

/** Go's `%+v` of a *metav1.LabelSelector is unwieldy; fhpa writes `<nil>` or the selector's JSON. */
export function selectorText(selector: unknown): string {
  return selector === undefined ? '<nil>' : JSON.stringify(selector);
}
