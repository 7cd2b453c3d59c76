import { type DivisionAlgorithm, divisionAlgorithmFor } from '../placement/take-by-weight.ts';
import type { AdmissionConfig, FederatedHPAWebhooks } from './admission.ts';
import { ADMIN, Authenticator, type AuthorizationMode } from './authorization.ts';
import type { Resources } from './capacity.ts';
import { createClock, DEFAULT_START_MS, type SimClock } from './clock.ts';
import { ClusterMembership } from './cluster-membership.ts';
import { afterDelete, afterWrite, apply, type ControllerContext, prepareCreate } from './controllers.ts';
import { FaultInjector, type FaultRule } from './faults.ts';
import type { Load } from './load-model.ts';
import type { MemberCluster, PodNaming, WorkloadKind } from './members.ts';
import { MetricInputs } from './metric-inputs.ts';
import { type KObject, ObjectStore } from './object-store.ts';
import { type RequestLogEntry, type ScaleWrite, SimObservers } from './observers.ts';
import { createPrng, objectUid, safeSuffix, uuidFrom } from './prng.ts';
import { serviceAccountGroups, serviceAccountUser } from './rbac.ts';
import { bindingOf, catchUp, render } from './render.ts';
import { NAMESPACES, type ResourceType } from './resources.ts';
import { listPods, memberReplicas, setPodsUnready } from './workload-pods.ts';

// Everything the simulated control plane knows, behind one object the routes, the setup helpers, the tests
// and the benchmarks share. SimState wires the parts together and keeps their surface in one place: the object
// store, the member clusters (cluster-membership.ts), the controllers run on writes (controllers.ts) and the
// status aggregated on reads (render.ts), the members' pods (workload-pods.ts), the load model's inputs
// (metric-inputs.ts), faults, identities, and the observers (observers.ts).

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

const DEFAULT_CLUSTERS = ['member1', 'member2', 'member3'];

/**
 * The default seed. Which cluster gets the walkthrough's single replica at weights 1:1 is a tie that
 * Karmada breaks by the parity of the template UID's FNV hash; with this seed sample-app's UID sends it to
 * member1, as in the Karmada walkthrough's `karmadactl get pods` output. Other seeds may choose member2.
 */
export const DEFAULT_SEED = 4;

export class SimState implements ControllerContext {
  readonly clock: SimClock;
  readonly store: ObjectStore;
  readonly faults: FaultInjector;
  readonly token: string;
  readonly open: boolean;
  readonly authorization: AuthorizationMode;
  readonly authenticator = new Authenticator();
  readonly admission: AdmissionConfig;
  readonly division: { algorithm: DivisionAlgorithm; random: () => number };
  readonly startupDelayMs: number;
  readonly metricsWindowSeconds: number;
  readonly naming: PodNaming;
  private readonly clusters: ClusterMembership;
  private readonly observers: SimObservers;
  private readonly inputs = new MetricInputs();
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
    this.clusters = new ClusterMembership(this.store, () => this.clock.now());
    this.observers = new SimObservers(() => this.clock.now(), opts.requestLogLimit ?? 10_000);
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
    for (const ns of ['default', 'kube-system', 'karmada-system'])
      this.store.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const name of opts.clusters ?? DEFAULT_CLUSTERS) this.addCluster(name);
  }

  now(): number {
    return this.clock.now();
  }

  // Member clusters (cluster-membership.ts).
  get health() {
    return this.clusters.health;
  }
  member(name: string): MemberCluster {
    return this.clusters.member(name);
  }
  members(): MemberCluster[] {
    return this.clusters.members();
  }
  addCluster(name: string): KObject {
    return this.clusters.add(name);
  }
  setClusterReady(name: string, ready: boolean): KObject {
    return this.clusters.setReady(name, ready);
  }
  setClusterAllocatable(name: string, allocatable: Resources): KObject {
    return this.clusters.setAllocatable(name, allocatable);
  }
  resourceSummary(name: string) {
    return this.clusters.resourceSummary(name);
  }
  isClusterReady(name: string): boolean {
    return this.clusters.isReady(name);
  }
  setMemberDown(name: string, down: boolean): void {
    this.clusters.setDown(name, down);
  }
  isClusterServing(name: string): boolean {
    return this.clusters.isServing(name);
  }

  // Controllers on writes (controllers.ts) and status on reads (render.ts).
  prepareCreate(t: ResourceType, obj: KObject): void {
    prepareCreate(this, t, obj);
  }
  afterWrite(t: ResourceType, namespace: string | undefined, name: string): void {
    afterWrite(this, t, namespace, name);
  }
  afterDelete(t: ResourceType, namespace: string | undefined, name: string): void {
    afterDelete(this, t, namespace, name);
  }
  apply(t: ResourceType, obj: KObject): KObject {
    return apply(this, t, obj);
  }
  catchUp(t: ResourceType, namespace: string | undefined, name: string): void {
    catchUp(this, t, namespace, name);
  }
  render(t: ResourceType, obj: KObject, opts: { catchUp?: boolean } = {}): KObject {
    return render(this, t, obj, opts);
  }
  binding(namespace: string, name: string, kind: WorkloadKind = 'Deployment'): KObject | undefined {
    return bindingOf(this, namespace, name, kind);
  }

  // The members' pods (workload-pods.ts).
  pods(filter: Parameters<typeof listPods>[1] = {}) {
    return listPods(this, filter);
  }
  setPodsUnready(namespace: string, name: string, count: number, kind: WorkloadKind = 'Deployment'): void {
    setPodsUnready(this, namespace, name, count, kind);
  }
  memberReplicas(namespace: string, name: string, kind: WorkloadKind = 'Deployment'): Record<string, number> {
    return memberReplicas(this, namespace, name, kind);
  }

  // Identities: service-account tokens on the Karmada API server, RBAC applied in the members.

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

  // The load model's inputs (metric-inputs.ts).
  setLoad(namespace: string, workload: string, load: Partial<Load> & { rps: number }): void {
    this.inputs.setLoad(namespace, workload, load);
  }
  loadOf(namespace: string, workload: string): Load {
    return this.inputs.loadOf(namespace, workload);
  }
  setExternalMetric(
    namespace: string,
    metricName: string,
    value: number,
    labels: Record<string, string> = {},
  ) {
    this.inputs.setExternalMetric(namespace, metricName, value, labels);
  }
  externalMetric(namespace: string, metricName: string) {
    return this.inputs.externalMetric(namespace, metricName);
  }

  // Observers (observers.ts).
  get requestLog() {
    return this.observers.requestLog;
  }
  get counters() {
    return this.observers.counters;
  }
  onScaleWrite(listener: (w: ScaleWrite) => void): () => void {
    return this.observers.onScaleWrite(listener);
  }
  recordScaleWrite(w: Omit<ScaleWrite, 'at' | 'receivedAt'>): void {
    this.observers.recordScaleWrite(w);
  }
  tapResponses(listener: (body: string) => void): () => void {
    return this.observers.tapResponses(listener);
  }
  get tapped(): boolean {
    return this.observers.tapped;
  }
  tapResponse(body: string): void {
    this.observers.tapResponse(body);
  }
  logRequest(entry: RequestLogEntry): void {
    this.observers.logRequest(entry);
  }
}
