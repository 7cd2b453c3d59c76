import type { CrossVersionObjectReference, HPAStatus, LabelSelector } from '../api/autoscaling-v2.ts';
import type { CronFederatedHPA } from '../api/cronfederatedhpa.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { CronFederatedHPAStatus } from '../cron/history.ts';
import type { PodInfo } from '../engine/types.ts';
import type { Connection } from './connection.ts';
import type { AdapterContext } from './context.ts';
import { Discovery } from './discovery.ts';
import { createEventRecorder, type EventObject, type RecordOptions } from './events.ts';
import * as fhpas from './federatedhpas.ts';
import { createFleetLists, type FleetLists } from './fleet-lists.ts';
import {
  type CustomMetricsVersions,
  getObjectMetric,
  getPodsMetric,
  type PodMetricSample,
} from './metrics-custom.ts';
import { getExternalMetric } from './metrics-external.ts';
import { getResourceMetrics, type PodResourceSample, type ResourceMetricsRoute } from './metrics-resource.ts';
import {
  type BoundClusters,
  getMemberScales,
  getPlacement,
  getTargetClusters,
  type MemberPlacement,
  type Placement,
  readyClusters,
} from './placement.ts';
import { listPods } from './pods.ts';
import { RestClient, type RestObserver } from './rest-client.ts';
import type { BackoffPolicy } from './retry.ts';
import { getScale, patchScale, type TargetScale } from './scale.ts';
import { bindTransport, fetchTransport, type Transport } from './transport.ts';
import { updateCronFederatedHPAStatus, updateFederatedHPASpec, updateFederatedHPAStatus } from './writes.ts';

// Everything the evaluation pipeline reads from and writes to the Karmada API server, behind one interface
// (the pipeline and its tests depend on this, never on HTTP). Each concern lives in its own file; this one
// only wires them to one RestClient, one discovery cache and the per-adapter memory of metrics routes.

export type {
  BoundClusters,
  EventObject,
  MemberPlacement,
  Placement,
  PodMetricSample,
  PodResourceSample,
  TargetScale,
};

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  pageSize?: number;
}

export interface KarmadaAdapter {
  getFederatedHPA(namespace: string, name: string): Promise<FederatedHPA>;
  /** All pages (follows `continue`); items that do not validate are skipped and reported via onWarning. */
  listFederatedHPAs(opts?: ListOptions): Promise<FederatedHPA[]>;
  getCronFederatedHPA(namespace: string, name: string): Promise<CronFederatedHPA>;
  listCronFederatedHPAs(opts?: ListOptions): Promise<CronFederatedHPA[]>;
  /** The target template's scale subresource, the resource resolved through discovery. */
  getScale(namespace: string, ref: CrossVersionObjectReference): Promise<TargetScale>;
  /**
   * Binding → Ready clusters → member scales; calibration as Karmada computes it. `readyClusters`: the
   * Ready set already listed by the caller (a sweep lists clusters once, as Karmada reads them from its cache).
   */
  getPlacement(
    namespace: string,
    ref: CrossVersionObjectReference,
    opts?: { readyClusters?: ReadonlySet<string> },
  ): Promise<Placement>;
  /**
   * The target's ResourceBinding (by its derived name) and its Ready clusters: one round trip beside the
   * target's scale (placement.ts#getTargetClusters).
   */
  getTargetClusters(
    namespace: string,
    ref: CrossVersionObjectReference,
    opts?: { readyClusters?: ReadonlySet<string> },
  ): Promise<BoundClusters>;
  /** Each member's scale through the cluster proxy; a member without the workload (404) is skipped. */
  getMemberScales(
    namespace: string,
    ref: CrossVersionObjectReference,
    clusters: readonly string[],
  ): Promise<MemberPlacement[]>;
  /** Namespace-wide lists that a sweep shares between its evaluations (fleet-lists.ts). */
  fleet: FleetLists;
  /** Names of the member clusters whose Ready condition is True. */
  readyClusters(): Promise<Set<string>>;
  /** One cheap request (list one FederatedHPA, no retry): throws KarmadaApiError when Karmada cannot serve us. */
  probe(): Promise<void>;
  /** The pods behind `selector` in each of `clusters`, through the cluster proxy. */
  listPods(namespace: string, selector: string, clusters: string[]): Promise<PodInfo[]>;
  getResourceMetrics(namespace: string, selector: string, clusters: string[]): Promise<PodResourceSample[]>;
  getPodsMetric(
    namespace: string,
    metric: string,
    selector: string,
    metricSelector: LabelSelector | undefined,
    clusters: string[],
  ): Promise<PodMetricSample[]>;
  getObjectMetric(
    namespace: string,
    describedObject: CrossVersionObjectReference,
    metric: string,
    metricSelector?: LabelSelector,
  ): Promise<{ timestamp: number; value: string }>;
  getExternalMetric(
    namespace: string,
    metric: string,
    metricSelector?: LabelSelector,
  ): Promise<{ timestamp: number; values: string[] }>;
  /** Merge patch {metadata.resourceVersion, spec.replicas} on /scale; a 409 is thrown as ConflictError. */
  patchScale(
    namespace: string,
    ref: CrossVersionObjectReference,
    replicas: number,
    resourceVersion: string,
  ): Promise<TargetScale>;
  /** Status subresource; a 409 re-reads and re-applies (bounded). The answer is not read. */
  updateFederatedHPAStatus(fhpa: FederatedHPA, status: HPAStatus): Promise<void>;
  /** Status subresource; `guarded`: a 409 is thrown as ConflictError (the claim was lost) instead of re-read. */
  updateCronFederatedHPAStatus(
    cron: CronFederatedHPA,
    status: CronFederatedHPAStatus,
    opts?: { guarded?: boolean },
  ): Promise<CronFederatedHPA>;
  /** Sets min/max where given and different; a 409 re-reads and re-applies (bounded). */
  updateFederatedHPASpec(
    fhpa: FederatedHPA,
    patch: { minReplicas?: number; maxReplicas?: number },
  ): Promise<FederatedHPA>;
  /** Best effort: never throws; a failure goes to onWarning. */
  recordEvent(
    obj: EventObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    now: number,
    opts?: RecordOptions,
  ): Promise<void>;
}

/** What one evaluation reads about its target: the adapter itself, or a sweep's shared view of it. */
export type TargetReads = Pick<
  KarmadaAdapter,
  | 'getScale'
  | 'getTargetClusters'
  | 'getMemberScales'
  | 'listPods'
  | 'getResourceMetrics'
  | 'getPodsMetric'
  | 'getObjectMetric'
  | 'getExternalMetric'
>;

export interface KarmadaAdapterOptions {
  connection: Connection;
  /** Default: fetch (public CAs only). Node: nodeTransport() from node-transport.ts. */
  transport?: Transport;
  /** Per request attempt, ms. Default 10 000. */
  timeoutMs?: number;
  /** Requests sent at most per call, the first included. Default 5. */
  retries?: number;
  /** Backoff tuning (base, cap, total deadline). */
  backoff?: Partial<Omit<BackoffPolicy, 'maxAttempts'>>;
  /** Parallel requests across member clusters. Default 8. */
  concurrency?: number;
  /** Discovery cache lifetime, ms. Default 5 min. */
  discoveryTtlMs?: number;
  maxBodyBytes?: number;
  onWarning?: (message: string) => void;
  observer?: RestObserver;
  /** For tests: fake time and dice. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export function createKarmadaAdapter(opts: KarmadaAdapterOptions): KarmadaAdapter {
  const warn = opts.onWarning ?? (() => {});
  const now = opts.now ?? Date.now;
  const bound = bindTransport(opts.transport ?? fetchTransport(), opts.connection);
  if (bound.warning) warn(bound.warning);
  const client = new RestClient({
    connection: opts.connection,
    transport: bound.transport,
    now,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    backoff: { ...opts.backoff, ...(opts.retries !== undefined ? { maxAttempts: opts.retries } : {}) },
    ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    ...(opts.observer ? { observer: opts.observer } : {}),
  });
  const ctx: AdapterContext = {
    client,
    discovery: new Discovery(client, now, opts.discoveryTtlMs),
    warn,
    now,
    concurrency: opts.concurrency ?? 8,
  };
  const resourceRoute: ResourceMetricsRoute = {};
  const customVersions: CustomMetricsVersions = new Map();
  const events = createEventRecorder(ctx);

  return {
    getFederatedHPA: (namespace, name) => fhpas.getFederatedHPA(ctx, namespace, name),
    listFederatedHPAs: (o) => fhpas.listFederatedHPAs(ctx, o),
    getCronFederatedHPA: (namespace, name) => fhpas.getCronFederatedHPA(ctx, namespace, name),
    listCronFederatedHPAs: (o) => fhpas.listCronFederatedHPAs(ctx, o),
    getScale: (namespace, ref) => getScale(ctx, namespace, ref),
    getPlacement: (namespace, ref, opts) => getPlacement(ctx, namespace, ref, opts),
    getTargetClusters: (namespace, ref, o) => getTargetClusters(ctx, namespace, ref, o),
    getMemberScales: (namespace, ref, clusters) => getMemberScales(ctx, namespace, ref, clusters),
    fleet: createFleetLists(ctx, customVersions),
    readyClusters: () => readyClusters(ctx),
    probe: () => fhpas.probeFederatedHPAs(ctx),
    listPods: (namespace, selector, clusters) => listPods(ctx, namespace, selector, clusters),
    getResourceMetrics: (namespace, selector, clusters) =>
      getResourceMetrics(ctx, resourceRoute, namespace, selector, clusters),
    getPodsMetric: (namespace, metric, selector, metricSelector, clusters) =>
      getPodsMetric(ctx, customVersions, namespace, metric, selector, metricSelector, clusters),
    getObjectMetric: (namespace, describedObject, metric, metricSelector) =>
      getObjectMetric(ctx, customVersions, namespace, describedObject, metric, metricSelector),
    getExternalMetric: (namespace, metric, metricSelector) =>
      getExternalMetric(ctx, namespace, metric, metricSelector),
    patchScale: (namespace, ref, replicas, resourceVersion) =>
      patchScale(ctx, namespace, ref, replicas, resourceVersion),
    updateFederatedHPAStatus: (fhpa, status) => updateFederatedHPAStatus(ctx, fhpa, status),
    updateCronFederatedHPAStatus: (cron, status, o) => updateCronFederatedHPAStatus(ctx, cron, status, o),
    updateFederatedHPASpec: (fhpa, patch) => updateFederatedHPASpec(ctx, fhpa, patch),
    recordEvent: (obj, type, reason, message, at, opts) =>
      events.record(obj, type, reason, message, at, opts),
  };
}
