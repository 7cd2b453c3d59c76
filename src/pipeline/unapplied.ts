import { MODE, PAUSED, PAUSED_REPLICAS } from '../api/annotations.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import { setCondition } from '../engine/conditions.ts';
import type { ShadowEventMark } from '../engine/history-types.ts';
import type { Decision } from '../engine/types.ts';
import type { KarmadaAdapter, TargetScale } from '../karmada/adapter.ts';
import { isConflict } from '../karmada/errors.ts';
import { errText, objectRef, writeStatus } from './report.ts';
import { patchUnlessMoved } from './scale-write.ts';
import { buildStatus } from './status.ts';
import type { EvaluationResult, PipelineDeps } from './types.ts';
import type { WritePolicy } from './write-policy.ts';

// The end of an evaluation whose decision is not applied (write-policy.ts): dry run, shadow, pause, and pause's
// held form. The decision was made and its history saved as the policy says; what is left is the answer, and
// for shadow its Event, for held the scale write to the held count.

/** Kubernetes keeps Events for an hour (kube-apiserver --event-ttl): an unchanged shadow decision is repeated
 * once an hour so the latest stays visible, and otherwise only when it changes. */
export const SHADOW_EVENT_INTERVAL_MS = 3_600_000;

/** The mark to save when this shadow decision should be announced; undefined when the last one still says it. */
export function shadowAnnouncement(
  last: ShadowEventMark | undefined,
  decision: Decision,
  now: number,
): ShadowEventMark | undefined {
  const unchanged =
    last !== undefined &&
    last.desiredReplicas === decision.desiredReplicas &&
    last.currentReplicas === decision.currentReplicas &&
    now - last.timestamp < SHADOW_EVENT_INTERVAL_MS;
  if (unchanged) return undefined;
  return {
    timestamp: now,
    desiredReplicas: decision.desiredReplicas,
    currentReplicas: decision.currentReplicas,
  };
}

export interface Unapplied {
  /** The adapter guarded by the policy. */
  deps: PipelineDeps;
  /** The unguarded adapter: the ShadowRecommendation Event is the one write shadow mode makes. */
  karmada: KarmadaAdapter;
  policy: WritePolicy;
  fhpa: FederatedHPA;
  scale: TargetScale;
  decision: Decision;
  now: number;
  /** Shadow: the Event to announce (already marked in the saved history). */
  announce?: ShadowEventMark;
  retryable: boolean;
}

export async function finishUnapplied(u: Unapplied): Promise<EvaluationResult> {
  const { decision, fhpa, policy } = u;
  const base = {
    namespace: fhpa.metadata.namespace ?? 'default',
    name: fhpa.metadata.name ?? '',
    mode: policy.mode,
    retryable: u.retryable,
    currentReplicas: u.scale.replicas,
    desiredReplicas: decision.desiredReplicas,
    wouldScale: decision.rescale,
    reason: decision.reason,
    ...(decision.error ? { message: decision.error } : {}),
  };
  switch (policy.mode) {
    case 'dry-run':
      return { ...base, outcome: 'dry-run' };
    case 'shadow':
      if (u.announce)
        await u.karmada.recordEvent(
          objectRef(fhpa),
          'Normal',
          'ShadowRecommendation',
          shadowMessage(decision),
          u.now,
        );
      return { ...base, outcome: 'shadow' };
    case 'paused':
      return { ...base, outcome: 'paused', message: `${PAUSED}: nothing written` };
    case 'held':
      return hold(u, base);
    default:
      throw new Error(`finishUnapplied called in ${policy.mode} mode`);
  }
}

function shadowMessage(d: Decision): string {
  const why = d.reason ? `; reason: ${d.reason}` : '';
  const err = d.error ? `; error: ${d.error}` : '';
  return d.desiredReplicas === d.currentReplicas
    ? `fhpa (${MODE}=shadow) agrees with the current ${d.currentReplicas} replicas${err}`
    : `fhpa (${MODE}=shadow) would scale ${d.currentReplicas} -> ${d.desiredReplicas}${why}${err}`;
}

/** paused-replicas: the workload is held at N whatever the metrics say; status shows the hold. */
async function hold(u: Unapplied, base: Omit<EvaluationResult, 'outcome'>): Promise<EvaluationResult> {
  const { deps, fhpa, scale, now } = u;
  const held = u.policy.heldReplicas ?? scale.replicas;
  const namespace = base.namespace;
  const reason = `held by ${PAUSED_REPLICAS}`;
  let rescaled = false;
  if (scale.replicas !== held) {
    try {
      await patchUnlessMoved(deps, namespace, fhpa.spec.scaleTargetRef, held, scale);
      rescaled = true;
    } catch (err) {
      if (isConflict(err)) return { ...base, outcome: 'superseded', retryable: true, message: errText(err) };
      const message = `New size: ${held}; reason: ${reason}; error: ${errText(err)}`;
      await deps.karmada.recordEvent(objectRef(fhpa), 'Warning', 'FailedRescale', message, now);
      return { ...base, outcome: 'failed', retryable: true, message, reason: 'FailedUpdateScale' };
    }
    await deps.karmada.recordEvent(
      objectRef(fhpa),
      'Normal',
      'SuccessfulRescale',
      `New size: ${held}; reason: ${reason}`,
      now,
    );
  }
  const status = buildStatus({
    previous: fhpa.status,
    now,
    generation: fhpa.metadata.generation,
    currentReplicas: scale.replicas,
    desiredReplicas: held,
    currentMetrics: u.decision.currentMetrics,
    conditions: setCondition(
      u.decision.conditions,
      {
        type: 'ScalingActive',
        status: 'False',
        reason: 'ScalingPaused',
        message: `${PAUSED_REPLICAS} holds the target at ${held} replicas`,
      },
      now,
    ),
    rescaled,
  });
  await writeStatus(deps, fhpa, status);
  return {
    ...base,
    outcome: 'paused',
    desiredReplicas: held,
    wouldScale: u.decision.rescale,
    message: `${PAUSED_REPLICAS}: held at ${held}${rescaled ? ` (scaled from ${scale.replicas})` : ''}`,
  };
}
