// The engine's plain-data contract: what one decision needs and what it answers. Times are epoch
// milliseconds; the engine never reads a clock or does I/O (Kubernetes' replica calculator fetches inside
// the computation; fhpa fetches first, then calls `decide`).

import type { Condition, MetricStatus } from '../api/autoscaling-v2.ts';
import type { FederatedHPASpec } from '../api/federatedhpa.ts';
import type { History } from './history-types.ts';
import type { ScaleToZeroSettings } from './scale-to-zero.ts';

export interface ContainerInfo {
  name: string;
  /** Resource requests as quantity strings, e.g. `{ cpu: "500m", memory: "128Mi" }`. */
  requests: Record<string, string>;
}

export interface InitContainerInfo extends ContainerInfo {
  /** `Always` marks a sidecar (restartable init container), whose requests count like a container's. */
  restartPolicy?: string;
}

/** One pod of the target, from one member cluster. Pods are identified by cluster AND name (karmada#4257). */
export interface PodInfo {
  name: string;
  cluster: string;
  /** Pending | Running | Succeeded | Failed | Unknown */
  phase: string;
  /** Status of the pod's Ready condition; `null` when the pod has no Ready condition. */
  ready: boolean | null;
  /** lastTransitionTime of the Ready condition; absent = Go's zero time (long ago). */
  readyTransitionTime?: number;
  /** status.startTime; absent = the pod has not started (no startTime). */
  startTime?: number;
  deletionTimestamp?: number;
  containers: ContainerInfo[];
  initContainers?: InitContainerInfo[];
}

/**
 * The same pod with every field present, always in this order. The per-pod loops read these fields for every
 * pod and every metric; V8 reads objects of one shape through a fast inline cache but objects of many shapes
 * (each combination of optional fields present or absent is one) through a slow megamorphic lookup, which cost
 * 0.7 ms of a 1,000-pod decision (npm run bench -- core). The adapter and the snapshot parser build pods with
 * this; pods of other shapes give the same decisions, only slower.
 */
export function uniformPod(p: PodInfo): PodInfo {
  return {
    name: p.name,
    cluster: p.cluster,
    phase: p.phase,
    ready: p.ready,
    readyTransitionTime: p.readyTransitionTime,
    startTime: p.startTime,
    deletionTimestamp: p.deletionTimestamp,
    containers: p.containers,
    initContainers: p.initContainers,
  };
}

export interface ResourceSample {
  timestamp: number;
  /** The metrics-server window, ms. */
  window: number;
  /** Usage per container, quantity strings. */
  containers: Record<string, string>;
}

export interface ValueSample {
  timestamp: number;
  value: string;
}

/**
 * Metric samples by metric name (the resource name for Resource and ContainerResource).
 *
 * Per-pod samples (`resource`, `pods`) are keyed by `"cluster/name"` or by the bare pod `"name"`:
 * - a `"cluster/name"` key belongs to that pod only;
 * - a bare `"name"` key belongs to the one pod of that name when exactly one cluster has it; when pods of
 *   that name run in several clusters the sample is ambiguous and the metric fails with an error that names
 *   the pod (fhpa never merges same-named pods of two clusters, unlike Karmada: karmada#4257);
 * - when both keys exist for one pod, the `"cluster/name"` sample wins and the bare one is ignored;
 * - a key that matches no pod is kept as an extraneous sample, as upstream keeps samples of unknown pods.
 */
export interface MetricSamples {
  resource?: Record<string, Record<string, ResourceSample>>;
  pods?: Record<string, Record<string, ValueSample>>;
  object?: Record<string, ValueSample>;
  external?: Record<string, { timestamp: number; values: string[] }>;
  /** Why an Object metric has no sample (its PromQL query failed), by metric name: the condition says so. */
  errors?: Record<string, string>;
}

export interface EngineOptions {
  /** `--horizontal-pod-autoscaler-tolerance`, default 0.1. */
  tolerance?: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period`, default 5 min (Karmada's default). */
  cpuInitializationPeriodMs?: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay`, default 30 s (Karmada's default). */
  initialReadinessDelayMs?: number;
  /** `--horizontal-pod-autoscaler-downscale-stabilization`, default 5 min. */
  downscaleStabilizationMs?: number;
}

export interface EngineInput {
  now: number;
  spec: FederatedHPASpec;
  /** The resource template's scale.spec.replicas (Karmada's currentReplicas). */
  currentReplicas: number;
  /** Sum of the members' scale.status.replicas; default currentReplicas. Used by Object/External AverageValue. */
  statusReplicas?: number;
  /** Karmada: sum(member scale.spec.replicas) / template replicas (1 Divided, N Duplicated). Default 1. */
  calibration?: number;
  pods: PodInfo[];
  metrics: MetricSamples;
  history: History;
  options?: EngineOptions;
  /** The previous status.conditions, updated in place by type like upstream's setConditionInList. */
  conditions?: Condition[];
  /** Opted in to scale to zero (annotation `autoscaling.fhpa.io/scale-to-zero-after`). */
  scaleToZero?: ScaleToZeroSettings;
  /**
   * Set by the pipeline when the fallback annotation is engaged: when no metric can be computed, this count is
   * the proposal (then stabilized, rate-limited and clamped as any proposal), with this reason.
   */
  fallback?: { replicas: number; reason: string };
}

export type MetricRecommendation =
  | { type: string; name: string; replicas: number }
  | { type: string; name: string; error: string };

export interface Decision {
  /** What to scale to; equals currentReplicas when nothing is to be done. */
  desiredReplicas: number;
  currentReplicas: number;
  /** True iff the pipeline should write desiredReplicas to the scale subresource. */
  rescale: boolean;
  /** The "reason" of Karmada's SuccessfulRescale event ("New size: %d; reason: %s"); "" if none. */
  reason: string;
  /** status.currentMetrics, one entry per spec metric in order (an invalid metric leaves `{type: ""}`). */
  currentMetrics: MetricStatus[];
  /** status.conditions after this decision (AbleToScale, ScalingActive, ScalingLimited). */
  conditions: Condition[];
  metricRecommendations: MetricRecommendation[];
  /** The history to save: recommendation recorded, scale event recorded on rescale, old entries pruned. */
  history: History;
  ableToScale: boolean;
  scalingActive: boolean;
  scalingLimited: boolean;
  /** Set when a metric failed: the error upstream returns from the reconcile (the decision may still scale). */
  error?: string;
  /** Set when this decision takes the workload to zero or wakes it: the Event to record. */
  zero?: { event: 'ScaledToZero' | 'ScaledFromZero'; message: string };
}
