import type { History } from '../engine/history-types.ts';
import type { EngineInput } from '../engine/types.ts';
import type { FederatedHPA } from './federatedhpa.ts';

// The inverse of snapshotToEngineInput (snapshot.ts): the JSON `fhpa recommend` reads, from the engine input
// an evaluation was about to decide on. Times become RFC 3339 with milliseconds (so they come back exact), the
// sample window and controller durations become Go durations in milliseconds.

const time = (ms: number) => new Date(ms).toISOString();
const duration = (ms: number) => `${ms}ms`;
const optionalTime = (ms: number | undefined) => (ms === undefined ? undefined : time(ms));

/**
 * A stored history as a snapshot's `history` (what `fhpa recommend` reads back): RFC 3339 times, not the
 * epoch milliseconds the store keeps. `recommend`'s decision, `snapshot` and `store get` all print it so.
 */
export function historyJson(h: History, at: (ms: number) => string = time) {
  return {
    recommendations: h.recommendations.map((r) => ({ timestamp: at(r.timestamp), replicas: r.replicas })),
    scaleUpEvents: h.scaleUpEvents.map((e) => ({
      timestamp: at(e.timestamp),
      replicaChange: e.replicaChange,
    })),
    scaleDownEvents: h.scaleDownEvents.map((e) => ({
      timestamp: at(e.timestamp),
      replicaChange: e.replicaChange,
    })),
    ...(h.metricFailures ? { metricFailures: h.metricFailures } : {}),
    ...(h.idleSince !== undefined ? { idleSince: at(h.idleSince) } : {}),
  };
}

export function snapshotOf(input: EngineInput, federatedHPA: FederatedHPA) {
  const o = input.options ?? {};
  const h = input.history;
  const mapValues = <A, B>(r: Record<string, A> | undefined, f: (a: A) => B) =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, f(v)]));
  return {
    now: time(input.now),
    federatedHPA,
    currentReplicas: input.currentReplicas,
    ...(input.statusReplicas !== undefined ? { statusReplicas: input.statusReplicas } : {}),
    ...(input.calibration !== undefined ? { calibration: input.calibration } : {}),
    pods: input.pods.map((p) => ({
      name: p.name,
      cluster: p.cluster,
      phase: p.phase,
      ready: p.ready,
      readyTransitionTime: optionalTime(p.readyTransitionTime),
      startTime: optionalTime(p.startTime),
      deletionTimestamp: optionalTime(p.deletionTimestamp),
      containers: p.containers,
      ...(p.initContainers ? { initContainers: p.initContainers } : {}),
    })),
    metrics: {
      resource: mapValues(input.metrics.resource, (byPod) =>
        mapValues(byPod, (s) => ({
          timestamp: time(s.timestamp),
          window: duration(s.window),
          containers: s.containers,
        })),
      ),
      pods: mapValues(input.metrics.pods, (byPod) =>
        mapValues(byPod, (s) => ({ timestamp: time(s.timestamp), value: s.value })),
      ),
      object: mapValues(input.metrics.object, (s) => ({ timestamp: time(s.timestamp), value: s.value })),
      external: mapValues(input.metrics.external, (s) => ({
        timestamp: time(s.timestamp),
        values: s.values,
      })),
      // A failed PromQL query, so the replay fails the metric with the same message.
      ...(input.metrics.errors && Object.keys(input.metrics.errors).length > 0
        ? { errors: input.metrics.errors }
        : {}),
    },
    history: historyJson(h),
    options: {
      ...(o.tolerance !== undefined ? { tolerance: o.tolerance } : {}),
      ...(o.cpuInitializationPeriodMs !== undefined
        ? { cpuInitializationPeriod: duration(o.cpuInitializationPeriodMs) }
        : {}),
      ...(o.initialReadinessDelayMs !== undefined
        ? { initialReadinessDelay: duration(o.initialReadinessDelayMs) }
        : {}),
      ...(o.downscaleStabilizationMs !== undefined
        ? { downscaleStabilization: duration(o.downscaleStabilizationMs) }
        : {}),
    },
  };
}
