// The stabilization history of one FederatedHPA: what Kubernetes' HPA controller keeps in memory
// (`recommendations` and `scaleUpEvents`/`scaleDownEvents` in horizontal.go) and fhpa keeps in a store,
// because its functions are stateless. Times are epoch milliseconds: the engine never reads a clock.
export interface TimestampedRecommendation {
  timestamp: number;
  replicas: number;
}

export interface ScaleEvent {
  timestamp: number;
  /** Absolute number of replicas added (scale-up list) or removed (scale-down list). */
  replicaChange: number;
}

export interface History {
  recommendations: TimestampedRecommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
  /**
   * Scale to zero (src/engine/scale-to-zero.ts): since when every activation metric has been at or below its
   * threshold. Absent while any is above it, and for FederatedHPAs that did not opt in.
   */
  idleSince?: number;
  /** Also fhpa's own (no upstream counterpart), kept by the pipeline, never read by the engine: */
  /** evaluations in a row in which no metric could be computed (the fallback annotation); absent = 0. */
  metricFailures?: number;
  /** The last ShadowRecommendation Event, so an unchanged shadow decision does not repeat it every sweep. */
  shadowEvent?: ShadowEventMark;
  /**
   * The scale an active evaluation left the target at (its decision if it rescaled, else what it read), so the
   * next one can tell that another writer changed the scale in between (src/pipeline/scale-owner.ts).
   */
  lastScale?: LastScale;
}

export interface LastScale {
  timestamp: number;
  replicas: number;
  /**
   * Set when the evaluation rescaled: the scale it wrote against, read before the PATCH (whose precondition is
   * this resourceVersion). The history is saved before the PATCH, so this is what lets the next evaluation tell
   * a write that never landed from one that did (src/engine/unlanded-scale.ts).
   */
  writtenAgainst?: {
    resourceVersion: string;
    replicas: number;
    /** When the history was saved, epoch ms: the PATCH went out after it. */
    savedAt: number;
  };
}

export interface ShadowEventMark {
  timestamp: number;
  desiredReplicas: number;
  currentReplicas: number;
}

export const emptyHistory = (): History => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });
