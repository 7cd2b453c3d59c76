import { type DivisionAlgorithm, divisionAlgorithmFor } from '../placement/take-by-weight.ts';
import { type AdmissionConfig, type FederatedHPAWebhooks, karmadaAdmission } from './admission.ts';
import { ADMIN, Authenticator, type AuthorizationMode } from './authorization.ts';
import { type Resources, resourceSummary, summaryOf } from './capacity.ts';
import { createClock, DEFAULT_START_MS, type SimClock } from './clock.ts';
import { ClusterHealth } from './cluster-health.ts';
import { clusterObject, isReadyCluster, withReadiness, withTaints } from './clusters.ts';
import { FaultInjector, type FaultRule } from './faults.ts';
import { DEFAULT_LOAD, type Load } from './load-model.ts';
import { MemberCluster, type PodNaming, podKey, renderPod, type WorkloadKind } from './members.ts';
import { type KObject, ObjectStore } from './object-store.ts';
import { createPrng, objectUid, safeSuffix, uuidFrom } from './prng.ts';
import {
  bindingName,
  PERMANENT_ID_LABEL,
  type PropagationContext,
  reconcileNamespace,
  reconcileWorkload,
  removeWorkload,
} from './propagation.ts';
import { serviceAccountGroups, serviceAccountUser } from './rbac.ts';
import {
  CLUSTERS,
  NAMESPACES,
  PROPAGATION_POLICIES,
  RESOURCE_BINDINGS,
  type ResourceType,
  WORKLOAD_TYPES,
} from './resources.ts';
import { matchesLabels, parseLabelSelector } from './selectors.ts';
import { renderBinding, syncTemplateStatus } from './workload-status.ts';

// Everything the simulated control plane knows, behind methods the routes, the setup helpers and the
// tests share: the object store, the member clusters and their pods, the load model's inputs, faults,
// and the observers (request log, scale-write counters and listeners).

export interface SimulatorOptions {
  /** Member clusters joined at start, each Ready (default member1, member2, member3). */
  clusters?: string[];
  /** Bearer token clients must send; default a random one. */
  token?: string;
  /** Accept requests without a token (as the admin). */
  open?: boolean;
  /**
   * 'AlwaysAllow' (default): any authenticated request may do anything. 'RBAC': the stored ClusterRoles and
   * ClusterRoleBindings decide, and the cluster proxy impersonates as Karmada's does (authorization.ts).
   */
  authorization?: AuthorizationMode;
  /** FederatedHPA admission webhooks installed (admission.ts): 'karmada' (default, stock) or 'fhpa'. */
  federatedHPAWebhooks?: FederatedHPAWebhooks;
  /** fhpa's validating webhook (`.../validate-federatedhpa`), called after Karmada's. */
  fhpaWebhookUrl?: string;
  /** The Karmada release whose replica division the scheduler follows (default the newest: Webster). */
  karmadaVersion?: string;
  /** Simulated seconds from pod creation to Running+Ready (default 5). */
  podStartupDelaySeconds?: number;
  /** The window metrics report (default 30 s, metrics-server's). */
  metricsWindowSeconds?: number;
  clock?: 'simulated' | 'realtime';
  /** Start of simulated time, ms since the epoch (default 2026-01-01T00:00:00Z). */
  startTime?: number;
  /** Seed for UIDs, pod names and fault dice (default DEFAULT_SEED). */
  seed?: number;
  faults?: FaultRule[];
  /** How many requests the log keeps (default 10 000; oldest dropped first). */
  requestLogLimit?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  /** Simulated time the request arrived, ms. */
  at: number;
  /** Wall-clock duration, ms. */
  durationMs: number;
}

export interface ScaleWrite {
  method: 'PUT' | 'PATCH';
  kind: WorkloadKind;
  namespace: string;
  name: string;
  replicas: number;
  /** Simulated time of the write, ms. */
  at: number;
  /** Wall-clock time (Date.now()) the write was applied: what latency benchmarks compare against. */
  receivedAt: number;
}

export interface ExternalMetricValue {
  metricName: string;
  metricLabels: Record<string, string>;
  valueMilli: number;
}

export interface Counters {
  requests: number;
  /** Writes received on a template's /scale (before faults are injected), and those applied. */
  scaleWrites: { put: number; patch: number; applied: number };
}

const DEFAULT_CLUSTERS = ['member1', 'member2', 'member3'];

/**
 * The default seed. Which cluster gets the walkthrough's single replica at weights 1:1 is a tie that
 * Karmada breaks by the parity of the template UID's FNV hash; with this seed sample-app's UID sends it to
 * member1, as in the Karmada walkthrough's `karmadactl get pods` output. Other seeds may choose member2.
 */
export const DEFAULT_SEED = 4;

export class SimState implements PropagationContext {
  readonly clock: SimClock;
  readonly store: ObjectStore;
  readonly faults: FaultInjector;
  readonly token: string;
  readonly open: boolean;
  readonly authorization: AuthorizationMode;
  readonly authenticator = new Authenticator();
  readonly health = new ClusterHealth({
    now: () => this.now(),
    isReadyCondition: (name) => isReadyCluster(this.store.peek(CLUSTERS, undefined, name)),
    setClusterReady: (name, ready) => this.setClusterReady(name, ready),
  });
  readonly admission: AdmissionConfig;
  readonly division: { algorithm: DivisionAlgorithm; random: () => number };
  readonly startupDelayMs: number;
  readonly metricsWindowSeconds: number;
  readonly naming: PodNaming;
  readonly requestLog: RequestLogEntry[] = [];
  readonly counters: Counters = { requests: 0, scaleWrites: { put: 0, patch: 0, applied: 0 } };
  private readonly memberMap = new Map<string, MemberCluster>();
  private readonly loads = new Map<string, Load>();
  private readonly external = new Map<string, ExternalMetricValue[]>();
  private readonly scaleListeners = new Set<(w: ScaleWrite) => void>();
  private readonly responseTaps = new Set<(body: string) => void>();
  private readonly logLimit: number;
  private readonly created = new Map<string, number>();
  private readonly memberRbacObjects = new Map<string, KObject[]>();

  constructor(opts: SimulatorOptions = {}) {
    const seed = opts.seed ?? DEFAULT_SEED;
    const ids = createPrng(seed);
    this.clock = createClock(opts.clock ?? 'simulated', opts.startTime ?? DEFAULT_START_MS);
    this.store = new ObjectStore({
      now: () => this.clock.now(),
      uid: (key) => {
        const n = (this.created.get(key) ?? 0) + 1;
        this.created.set(key, n);
        return objectUid(seed, key, n);
      },
      suffix: () => safeSuffix(ids, 5),
    });
    this.naming = {
      suffix: () => safeSuffix(ids, 5),
      uid: () => uuidFrom(ids),
      taken: (name) => this.members().some((m) => m.pods.hasName(name)),
    };
    this.faults = new FaultInjector(seed, this.clock);
    if (opts.faults) this.faults.setRules(opts.faults);
    this.token = opts.token ?? crypto.randomUUID();
    this.open = opts.open ?? false;
    this.authorization = opts.authorization ?? 'AlwaysAllow';
    const algorithm = divisionAlgorithmFor(opts.karmadaVersion ?? 'v1.16');
    if (typeof algorithm !== 'string') throw new Error(`karmadaVersion: ${algorithm.error}`);
    const dice = createPrng(seed ^ 0x5eed);
    this.division = { algorithm, random: () => dice.next() };
    this.admission = {
      federatedHPAWebhooks: opts.federatedHPAWebhooks ?? 'karmada',
      ...(opts.fhpaWebhookUrl ? { fhpaWebhookUrl: opts.fhpaWebhookUrl } : {}),
    };
    this.authenticator.add(this.token, ADMIN);
    this.startupDelayMs = (opts.podStartupDelaySeconds ?? 5) * 1000;
    this.metricsWindowSeconds = opts.metricsWindowSeconds ?? 30;
    this.logLimit = opts.requestLogLimit ?? 10_000;
    for (const ns of ['default', 'kube-system', 'karmada-system'])
      this.store.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const name of opts.clusters ?? DEFAULT_CLUSTERS) this.addCluster(name);
  }

  now(): number {
    return this.clock.now();
  }

  member(name: string): MemberCluster {
    let m = this.memberMap.get(name);
    if (!m) {
      m = new MemberCluster(name);
      this.memberMap.set(name, m);
    }
    return m;
  }

  members(): MemberCluster[] {
    return [...this.memberMap.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Joins a member cluster: a Cluster object with condition Ready=True. */
  addCluster(name: string): KObject {
    this.member(name);
    return this.store.create(CLUSTERS, clusterObject(name, this.now()), { keepStatus: true });
  }

  /**
   * Flips a cluster's Ready condition; the metrics adapter and the cluster proxy stop serving it, and Karmada's
   * cluster controller taints it (clusters.ts), so the scheduler places no new replicas there.
   */
  setClusterReady(name: string, ready: boolean): KObject {
    const cluster = this.store.mustGet(CLUSTERS, undefined, name);
    if (isReadyCluster(cluster) === ready) return cluster;
    const updated = this.store.update(CLUSTERS, withReadiness(cluster, ready, this.now()), {
      subresource: 'status',
    });
    return this.store.update(CLUSTERS, withTaints(updated, ready));
  }

  /** What a member's nodes offer (Cluster status.resourceSummary.allocatable), e.g. { cpu: '4', pods: '20' }. */
  setClusterAllocatable(name: string, allocatable: Resources): KObject {
    const cluster = this.store.mustGet(CLUSTERS, undefined, name);
    const status = (cluster.status ?? {}) as Record<string, unknown>;
    return this.store.update(
      CLUSTERS,
      { ...cluster, status: { ...status, resourceSummary: { allocatable: { ...allocatable } } } },
      { subresource: 'status' },
    );
  }

  /** A Cluster's resourceSummary as Karmada's status controller reports it now (capacity.ts). */
  resourceSummary(name: string) {
    const allocatable = summaryOf(this.store.peek(CLUSTERS, undefined, name))?.allocatable;
    return allocatable && resourceSummary(this.member(name), allocatable);
  }

  isClusterReady(name: string): boolean {
    this.health.catchUp(name);
    return isReadyCluster(this.store.peek(CLUSTERS, undefined, name));
  }

  /**
   * A member's API server stops (or starts again) answering; its Cluster stays Ready until Karmada's failure
   * threshold has passed (cluster-health.ts).
   */
  setMemberDown(name: string, down: boolean): void {
    this.store.mustGet(CLUSTERS, undefined, name);
    this.health.setDown(name, down);
  }

  /** Whether the member answers: Ready and not down (a down member can still be Ready, for a while). */
  isClusterServing(name: string): boolean {
    return this.isClusterReady(name) && !this.health.isDown(name);
  }

  /** A mutating step on create: policies get their permanent ID (Karmada's policy webhook). */
  prepareCreate(t: ResourceType, obj: KObject): void {
    if (t === PROPAGATION_POLICIES && !obj.metadata.labels?.[PERMANENT_ID_LABEL]) {
      obj.metadata.labels = { ...obj.metadata.labels, [PERMANENT_ID_LABEL]: this.naming.uid() };
    }
  }

  /** What Karmada's controllers do after an object was written through the API. */
  afterWrite(t: ResourceType, namespace: string | undefined, name: string): void {
    this.health.catchUpAll();
    if (WORKLOAD_TYPES.includes(t)) reconcileWorkload(this, t, namespace ?? '', name);
    else if (t === PROPAGATION_POLICIES) reconcileNamespace(this, namespace ?? '');
    else if (t === CLUSTERS) this.member(name);
  }

  /** Karmada's status controller catching up on one template before a client reads or writes it. */
  catchUp(t: ResourceType, namespace: string | undefined, name: string): void {
    if (!WORKLOAD_TYPES.includes(t)) return;
    const template = this.store.peek(t, namespace, name);
    if (template) syncTemplateStatus(this, t, template as KObject);
  }

  afterDelete(t: ResourceType, namespace: string | undefined, name: string): void {
    if (WORKLOAD_TYPES.includes(t)) removeWorkload(this, t.kind as WorkloadKind, namespace ?? '', name);
  }

  /**
   * An object as clients see it: templates and bindings carry status aggregated from the members. Reading a
   * template first lets Karmada's status controller catch up (a status write when the members' counts moved);
   * `catchUp: false` answers a write with the object as written, as the API server does, the status write
   * following later (so a client reusing that resourceVersion meets the 409 it would meet on Karmada).
   */
  render(t: ResourceType, obj: KObject, opts: { catchUp?: boolean } = {}): KObject {
    if (WORKLOAD_TYPES.includes(t)) return opts.catchUp === false ? obj : syncTemplateStatus(this, t, obj);
    if (t === RESOURCE_BINDINGS) return renderBinding(this, obj);
    if (t === CLUSTERS) {
      this.health.catchUp(obj.metadata.name);
      obj = this.store.get(CLUSTERS, undefined, obj.metadata.name) ?? obj;
      const summary = this.resourceSummary(obj.metadata.name);
      if (summary) return { ...obj, status: { ...(obj.status as object), resourceSummary: summary } };
    }
    return obj;
  }

  /** Creates `obj`, or replaces the stored one (status kept), then runs the controllers: `kubectl apply`. */
  apply(t: ResourceType, obj: KObject): KObject {
    const ns = t.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
    const input = {
      ...structuredClone(obj),
      metadata: { ...obj.metadata, ...(ns ? { namespace: ns } : {}) },
    };
    const existing = this.store.get(t, ns, obj.metadata.name);
    const admitted = karmadaAdmission(this.admission, t, input);
    let stored: KObject;
    if (existing) {
      admitted.metadata.resourceVersion = existing.metadata.resourceVersion;
      stored = this.store.update(t, admitted);
    } else {
      this.prepareCreate(t, admitted);
      stored = this.store.create(t, admitted);
    }
    this.afterWrite(t, ns, stored.metadata.name);
    return this.render(t, this.store.mustGet(t, ns, stored.metadata.name));
  }

  /** A bearer token for a service account (`kubectl create token`): its user and groups, as the API server's. */
  serviceAccountToken(namespace: string, name: string): string {
    const token = `sa-${namespace}-${name}-${crypto.randomUUID()}`;
    this.authenticator.add(token, {
      name: serviceAccountUser(namespace, name),
      groups: serviceAccountGroups(namespace),
    });
    return token;
  }

  /** Applies ClusterRoles and ClusterRoleBindings in member clusters (all of them unless named). */
  applyMemberRbac(objects: readonly KObject[], clusters = this.members().map((m) => m.name)): void {
    for (const cluster of clusters) {
      const kept = this.memberRbac(cluster).filter(
        (o) => !objects.some((n) => n.kind === o.kind && n.metadata.name === o.metadata.name),
      );
      this.memberRbacObjects.set(cluster, [...kept, ...objects.map((o) => structuredClone(o))]);
    }
  }

  memberRbac(cluster: string): readonly KObject[] {
    return this.memberRbacObjects.get(cluster) ?? [];
  }

  setLoad(namespace: string, workload: string, load: Partial<Load> & { rps: number }): void {
    this.loads.set(`${namespace}/${workload}`, {
      ...DEFAULT_LOAD,
      ...this.loads.get(`${namespace}/${workload}`),
      ...load,
    });
  }

  loadOf(namespace: string, workload: string): Load {
    return this.loads.get(`${namespace}/${workload}`) ?? DEFAULT_LOAD;
  }

  /** Sets one series of an external metric (same labels → replaced); `value` in units, e.g. 30 or 2.5. */
  setExternalMetric(
    namespace: string,
    metricName: string,
    value: number,
    metricLabels: Record<string, string> = {},
  ) {
    const key = `${namespace}/${metricName}`;
    const same = (v: ExternalMetricValue) => JSON.stringify(v.metricLabels) === JSON.stringify(metricLabels);
    const series = (this.external.get(key) ?? []).filter((v) => !same(v));
    series.push({ metricName, metricLabels: { ...metricLabels }, valueMilli: Math.round(value * 1000) });
    this.external.set(key, series);
  }

  externalMetric(namespace: string, metricName: string): ExternalMetricValue[] | undefined {
    return this.external.get(`${namespace}/${metricName}`)?.map((v) => structuredClone(v));
  }

  onScaleWrite(listener: (w: ScaleWrite) => void): () => void {
    this.scaleListeners.add(listener);
    return () => this.scaleListeners.delete(listener);
  }

  recordScaleWrite(w: Omit<ScaleWrite, 'at' | 'receivedAt'>): void {
    this.counters.scaleWrites.applied += 1;
    const event: ScaleWrite = { ...w, at: this.now(), receivedAt: Date.now() };
    for (const listener of this.scaleListeners) listener(event);
  }

  /**
   * Hands every response body the server sends to `listener` (benchmarks: the CPU floor of parsing what a
   * client received, bench/support/cpu-floor.ts). Copying a body costs the simulator's thread, not the client's.
   */
  tapResponses(listener: (body: string) => void): () => void {
    this.responseTaps.add(listener);
    return () => this.responseTaps.delete(listener);
  }

  get tapped(): boolean {
    return this.responseTaps.size > 0;
  }

  tapResponse(body: string): void {
    for (const listener of this.responseTaps) listener(body);
  }

  logRequest(entry: RequestLogEntry): void {
    this.counters.requests += 1;
    this.requestLog.push(entry);
    if (this.requestLog.length > this.logLimit)
      this.requestLog.splice(0, this.requestLog.length - this.logLimit);
  }

  /** Pods as the members' API servers show them now, optionally narrowed; each with its cluster. */
  pods(filter: { cluster?: string; namespace?: string; labelSelector?: string } = {}) {
    const reqs = parseLabelSelector(filter.labelSelector ?? '');
    return this.members()
      .filter((m) => filter.cluster === undefined || m.name === filter.cluster)
      .flatMap((m) =>
        (filter.namespace === undefined ? [...m.pods.values()] : m.pods.inNamespace(filter.namespace))
          .filter(
            (p) =>
              (filter.namespace === undefined || p.namespace === filter.namespace) &&
              matchesLabels(reqs, p.labels),
          )
          .sort((a, b) => (podKey(a) < podKey(b) ? -1 : 1))
          .map((p) => ({
            cluster: m.name,
            pod: renderPod(
              p,
              this.now(),
              this.startupDelayMs,
              m.workloads.get(MemberCluster.workloadKey(p.ownerKind, p.namespace, p.ownerName))?.templateHash,
            ),
          })),
      );
  }

  /**
   * Holds `count` of a workload's pods (the first by cluster, then name) Running but not Ready, their readiness
   * probe failing from the start; the others go back to Ready. Pods created later start as usual.
   */
  setPodsUnready(namespace: string, name: string, count: number, kind: WorkloadKind = 'Deployment'): void {
    let left = count;
    for (const m of this.members()) {
      for (const pod of m.podsOf({ kind, namespace, name })) {
        const held = left > 0;
        if (held) left--;
        if (Boolean(pod.heldUnready) !== held) m.pods.set(podKey(pod), { ...pod, heldUnready: held });
      }
    }
  }

  /** Replicas each member cluster runs for a workload, e.g. { member1: 5, member2: 5 }. */
  memberReplicas(namespace: string, name: string, kind: WorkloadKind = 'Deployment'): Record<string, number> {
    const out: Record<string, number> = {};
    for (const m of this.members()) {
      const w = m.workloads.get(MemberCluster.workloadKey(kind, namespace, name));
      if (w) out[m.name] = w.replicas;
    }
    return out;
  }

  binding(namespace: string, name: string, kind: WorkloadKind = 'Deployment'): KObject | undefined {
    const b = this.store.get(RESOURCE_BINDINGS, namespace, bindingName(kind, name));
    return b && renderBinding(this, b);
  }
}
