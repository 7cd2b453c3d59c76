// One FederatedHPA decision, as Karmada's reconcileAutoscaler makes it (pkg/controllers/federatedhpa/
// federatedhpa_controller.go) minus the I/O: the caller fetched scale, pods, metrics and history; this returns
// what to scale to, the status to write and the history to save. Pure and deterministic: time is `input.now`.

import type { Condition } from '../api/autoscaling-v2.ts';
import { normalizeWithBehaviors, recordScaleEvent } from './behavior.ts';
import { conditionIsTrue, setCondition } from './conditions.ts';
import {
  metricsOrDefault,
  type ResolvedBehavior,
  resolveBehavior,
  resolveOptions,
  resolveTolerance,
} from './defaults.ts';
import { pruneHistory } from './history.ts';
import type { History } from './history-types.ts';
import { type Normalized, normalizeLegacy } from './legacy.ts';
import { computeReplicasForMetrics } from './metrics.ts';
import { goDuration, nextIdleSince, readActivation } from './scale-to-zero.ts';
import type { Decision, EngineInput, MetricRecommendation } from './types.ts';

export function decide(input: EngineInput): Decision {
  const { now, spec, currentReplicas } = input;
  const opts = resolveOptions(input.options);
  const minReplicas = spec.minReplicas ?? 1;
  const maxReplicas = spec.maxReplicas;
  const behavior = spec.behavior ? resolveBehavior(spec.behavior, opts.downscaleStabilizationMs) : undefined;

  let conditions: Condition[] = setCondition(
    input.conditions ?? [],
    {
      type: 'AbleToScale',
      status: 'True',
      reason: 'SucceededGetScale',
      message: "the HPA controller was able to get the target's current scale",
    },
    now,
  );
  // recordInitialRecommendation: a first decision remembers the current size, which is what holds a first
  // scale-down for the stabilization window (TestScaleDownStabilizeInitialSize).
  let history: History = {
    recommendations:
      input.history.recommendations.length > 0
        ? input.history.recommendations
        : [{ timestamp: now, replicas: currentReplicas }],
    scaleUpEvents: input.history.scaleUpEvents,
    scaleDownEvents: input.history.scaleDownEvents,
    ...(input.scaleToZero && input.history.idleSince !== undefined
      ? { idleSince: input.history.idleSince }
      : {}),
  };

  let desired = 0;
  let rescale = true;
  let reason = '';
  let currentMetrics: Decision['currentMetrics'] = [];
  let metricRecommendations: MetricRecommendation[] = [];
  let error: string | undefined;
  let zero: Decision['zero'];
  const s2z = input.scaleToZero;
  const activation = s2z ? readActivation(metricsOrDefault(spec.metrics), input.metrics, s2z) : undefined;
  if (activation) {
    const { idleSince: _, ...rest } = history;
    const idleSince = nextIdleSince(activation, history.idleSince, now);
    history = idleSince === undefined ? rest : { ...rest, idleSince };
  }

  if (currentReplicas === 0 && minReplicas !== 0 && activation && activation.above.length > 0) {
    // Woken from zero: straight to max(minReplicas, 1), as Kubernetes' "below Spec.MinReplicas" step (no
    // stabilization or policy holds it), so one alert-triggered evaluation makes 0 → N; the HPA algorithm
    // takes over from the next evaluation.
    desired = Math.max(minReplicas, 1);
    reason = activation.above[0] ?? '';
    zero = {
      event: 'ScaledFromZero',
      message: `New size: ${desired}; reason: ${activation.above.join('; ')}`,
    };
    setScalingActive('True', 'ScaledFromZero', `woke from zero: ${reason}`);
  } else if (currentReplicas === 0 && minReplicas !== 0 && activation) {
    // Held at zero by fhpa: the ScaledToZero condition set on the way down stays (its lastTransitionTime says
    // when the workload went to zero).
    desired = 0;
    rescale = false;
    const unreadable =
      activation.unreadable.length > 0 ? `; cannot read ${activation.unreadable.join(', ')}` : '';
    setScalingActive(
      'False',
      'ScaledToZero',
      `scaled to zero: every activation metric is at or below its activation threshold${unreadable}`,
    );
  } else if (currentReplicas === 0 && minReplicas !== 0) {
    // A target scaled to zero by hand pauses autoscaling. (Karmada tests the members' summed spec.replicas,
    // which is zero exactly when the template's is, since the scheduler divides the template's count.)
    desired = 0;
    rescale = false;
    conditions = setCondition(
      conditions,
      {
        type: 'ScalingActive',
        status: 'False',
        reason: 'ScalingDisabled',
        message: 'scaling is disabled since the replica count of the target is zero',
      },
      now,
    );
  } else if (currentReplicas > maxReplicas) {
    reason = 'Current number of replicas above Spec.MaxReplicas';
    desired = maxReplicas;
  } else if (currentReplicas < minReplicas) {
    reason = 'Current number of replicas below Spec.MinReplicas';
    desired = minReplicas;
  } else {
    const calibration =
      input.calibration !== undefined && Number.isFinite(input.calibration) && input.calibration > 0
        ? input.calibration
        : 1;
    const m = computeReplicasForMetrics(metricsOrDefault(spec.metrics), {
      currentReplicas,
      statusReplicas: input.statusReplicas ?? currentReplicas,
      calibration,
      pods: input.pods,
      samples: input.metrics,
      tolerance: resolveTolerance(spec.behavior, opts.tolerance),
      timing: {
        now,
        cpuInitializationPeriodMs: opts.cpuInitializationPeriodMs,
        initialReadinessDelayMs: opts.initialReadinessDelayMs,
      },
    });
    conditions = setCondition(conditions, m.condition, now);
    currentMetrics = m.statuses;
    metricRecommendations = m.recommendations;
    error = m.error;
    if (m.replicas === undefined && input.fallback === undefined) {
      // Upstream returns here: nothing scaled, no recommendation recorded (only the initial one).
      return finish({ desired: currentReplicas, rescale: false });
    }

    let rescaleMetric = '';
    if (m.replicas === undefined && input.fallback !== undefined) {
      // fhpa's fallback annotation (KEDA's fallback, which feeds the HPA the fallback count as its metric):
      // the fallback count stands in for the metrics' proposal and goes through the same stabilization,
      // policies and min/max as any proposal would.
      desired = input.fallback.replicas;
      reason = input.fallback.reason;
    } else if (m.replicas !== undefined && m.replicas > desired) {
      desired = m.replicas;
      rescaleMetric = m.metricName;
    }
    if (input.fallback === undefined || m.replicas !== undefined) {
      if (desired > currentReplicas) reason = `${rescaleMetric} above target`;
      if (desired < currentReplicas) reason = 'All metrics below target';
    }

    // Idle for the whole period: 0 is the recommendation, and the way down keeps the scale-down
    // stabilization window and policies (the HPA's own lower bound, minReplicas, is lifted to 0 for it).
    const idleFor = history.idleSince === undefined ? -1 : now - history.idleSince;
    const toZero = s2z !== undefined && idleFor >= s2z.afterMs;
    const floor = toZero ? 0 : minReplicas;
    if (toZero) {
      desired = 0;
      reason = `every activation metric at or below its activation threshold for ${goDuration(s2z.afterMs)}`;
    }
    const normalized = behavior ? withBehavior(desired, behavior, floor) : legacy(desired, floor);
    desired = normalized;
    rescale = desired !== currentReplicas;
    if (toZero && desired === 0) {
      zero = { event: 'ScaledToZero', message: `New size: 0; reason: ${reason}` };
      setScalingActive('False', 'ScaledToZero', `scaled to zero: ${reason}`);
    }
  }

  if (rescale && behavior) {
    // storeScaleEvent, only when behavior is set (the legacy path never reads events).
    history =
      desired > currentReplicas
        ? {
            ...history,
            scaleUpEvents: recordScaleEvent(
              now,
              history.scaleUpEvents,
              desired - currentReplicas,
              behavior.scaleUp,
            ),
          }
        : {
            ...history,
            scaleDownEvents: recordScaleEvent(
              now,
              history.scaleDownEvents,
              currentReplicas - desired,
              behavior.scaleDown,
            ),
          };
  }
  return finish({ desired: rescale ? desired : currentReplicas, rescale });

  function setScalingActive(status: 'True' | 'False', reason: string, message: string): void {
    conditions = setCondition(conditions, { type: 'ScalingActive', status, reason, message }, now);
  }

  function legacy(prenormalized: number, floor: number): number {
    return apply(
      normalizeLegacy(
        now,
        history.recommendations,
        currentReplicas,
        prenormalized,
        floor,
        maxReplicas,
        opts.downscaleStabilizationMs,
      ),
    );
  }

  function withBehavior(prenormalized: number, resolved: ResolvedBehavior, floor: number): number {
    return apply(
      normalizeWithBehaviors(now, history, currentReplicas, prenormalized, floor, maxReplicas, resolved),
    );
  }

  function apply(n: Normalized): number {
    history = { ...history, recommendations: n.recommendations };
    conditions = setCondition(conditions, { type: 'AbleToScale', status: 'True', ...n.ableToScale }, now);
    conditions = setCondition(conditions, { type: 'ScalingLimited', ...n.limited }, now);
    return n.replicas;
  }

  function finish(r: { desired: number; rescale: boolean }): Decision {
    return {
      desiredReplicas: r.desired,
      currentReplicas,
      rescale: r.rescale,
      reason,
      currentMetrics,
      conditions,
      metricRecommendations,
      history: pruneHistory(history, now, behavior, opts.downscaleStabilizationMs),
      ableToScale: conditionIsTrue(conditions, 'AbleToScale'),
      scalingActive: conditionIsTrue(conditions, 'ScalingActive'),
      scalingLimited: conditionIsTrue(conditions, 'ScalingLimited'),
      ...(error !== undefined ? { error } : {}),
      ...(zero ? { zero } : {}),
    };
  }
}
