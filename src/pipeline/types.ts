import type { Mode } from '../api/annotations.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { EngineOptions } from '../engine/types.ts';
import type { KarmadaAdapter } from '../karmada/adapter.ts';
import type { Logger } from '../log.ts';
import type { PromqlSource } from '../prometheus/promql-source.ts';
import type { HistoryStore } from '../store/history-store.ts';
import type { ScaleChange } from './scale-owner.ts';
import type { EvaluationMode } from './write-policy.ts';

/** Everything one evaluation touches, injected: the pipeline never reads the environment or the wall clock. */
export interface PipelineDeps {
  karmada: KarmadaAdapter;
  store: HistoryStore;
  /** Epoch milliseconds; simulated in tests and the demo. */
  clock: () => number;
  /** Which Karmada control plane this is, so several can share one history table. */
  scope: string;
  engineOptions?: EngineOptions;
  /** Where PromQL-bound metrics are read; absent when no Prometheus endpoint is configured. */
  promql?: PromqlSource;
  log: Logger;
  observer?: PipelineObserver;
  /** FHPA_MODE: `shadow` decides for every FederatedHPA without writing (a FederatedHPA's annotation overrides). */
  mode?: Mode;
  /** How long a recorded scale write may still be in flight (scale-write.ts#scaleWriteInFlightMs, the default). */
  scaleWriteInFlightMs?: number;
}

/** Hooks for Prometheus metrics and benchmarks; every method optional. */
export interface PipelineObserver {
  /** An evaluation began (before its first read). */
  evaluationStart?(ref: { namespace: string; name: string }): void;
  evaluation?(result: EvaluationResult, durationMs: number): void;
  storeRead?(count: number): void;
  storeWrite?(): void;
  /** A history save lost a version race to another invocation (it decides again from the winner's history). */
  storeConflict?(): void;
  /** One scheduled tick (CronFederatedHPA rules and the sweep) ended, `ok` false when listing failed. */
  sweep?(result: { ok: boolean; durationMs: number; endedAt: number }): void;
  /** One alert of an Alertmanager notification, with what became of it. */
  alert?(alert: { status: 'firing' | 'resolved'; outcome: string }): void;
}

/** `dry-run`, `shadow` and `paused`: decided, not applied (write-policy.ts). */
export type Outcome =
  | 'scaled'
  | 'unchanged'
  | 'failed'
  | 'not-found'
  | 'superseded'
  | 'dry-run'
  | 'shadow'
  | 'paused';

export interface EvaluationResult {
  namespace: string;
  name: string;
  outcome: Outcome;
  /** True when running the same evaluation again later can succeed (a transient API or store failure). */
  retryable: boolean;
  currentReplicas?: number;
  desiredReplicas?: number;
  reason?: string;
  message?: string;
  /** Absent in active mode. */
  mode?: EvaluationMode;
  /** Whether the decision would change the scale, where it was not applied (dry run, shadow, pause). */
  wouldScale?: boolean;
  /** Set when the fallback annotation decided (no metric could be computed N times in a row). */
  fallback?: boolean;
  /** Set when the scale is not what fhpa last left it at: another writer changed it (scale-owner.ts). */
  scaleChangedByAnotherWriter?: ScaleChange;
  /**
   * Nothing was scaled and the decision did not see the whole picture: a metric the metrics API did not serve,
   * or no metric for the targeted pods (not Ready yet). A later evaluation may see more (app/alert-follow-up.ts).
   */
  incomplete?: boolean;
}

/** One evaluation's fixed parts, handed by evaluate.ts to the steps after its reads. */
export interface EvaluationContext {
  deps: PipelineDeps;
  /** deps with the Karmada writes the write policy forbids cut off (write-policy.ts); deps itself when active. */
  w: PipelineDeps;
  /** The Karmada adapter with those writes cut off. */
  karmada: KarmadaAdapter;
  fhpa: FederatedHPA;
  namespace: string;
  name: string;
  /** The evaluation's time, epoch ms. */
  now: number;
  fail(message: string, retryable: boolean, reason?: string): EvaluationResult;
  /** Decide again from fresh reads after another writer moved the scale (a bounded number of times). */
  decideAgain(message: string): Promise<EvaluationResult> | EvaluationResult;
}
