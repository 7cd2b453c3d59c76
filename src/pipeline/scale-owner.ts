import type { Condition } from '../api/autoscaling-v2.ts';
import type { History } from '../engine/history-types.ts';

// Whether fhpa is the only writer of a target's scale. Each active evaluation records in the history the
// replicas it left the scale at (`lastScale`: its decision when it rescaled, else what it read); when the next
// one reads another number, someone else wrote the scale in between: Karmada's own FederatedHPA or
// CronFederatedHPA controller still running (README "Pointing fhpa at a real Karmada"), `kubectl scale`, a
// GitOps sync. fhpa still decides from the scale as it is (as Kubernetes' HPA does), and says so once: in the
// evaluation's answer, a Warning Event and the AbleToScale condition's message.

export interface ScaleChange {
  /** What fhpa left the scale at. */
  from: number;
  /** What it is now. */
  to: number;
  /** When fhpa left it there, epoch ms. */
  since: number;
}

export const SCALE_CHANGED_EVENT = 'ScaleChangedByAnotherWriter';

export function externalScaleChange(last: History['lastScale'], replicas: number): ScaleChange | undefined {
  if (!last || last.replicas === replicas) return undefined;
  return { from: last.replicas, to: replicas, since: last.timestamp };
}

export const scaleChangeMessage = (c: ScaleChange) =>
  `another writer changed the scale from ${c.from} to ${c.to} since fhpa's decision at ${new Date(c.since).toISOString()}; ` +
  "disable Karmada's FederatedHPA and CronFederatedHPA controllers (--controllers=*,-federatedHorizontalPodAutoscaler,-cronFederatedHorizontalPodAutoscaler) if they still run";

/** The conditions with the change noted in AbleToScale's message. */
export function noteScaleChange(conditions: Condition[], c: ScaleChange | undefined): Condition[] {
  if (!c) return conditions;
  return conditions.map((cond) =>
    cond.type === 'AbleToScale'
      ? { ...cond, message: `${cond.message ?? ''} (${scaleChangeMessage(c)})` }
      : cond,
  );
}
