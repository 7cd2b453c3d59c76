import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import pkg from '../../package.json' with { type: 'json' };
import type { CallInfo, RestObserver } from '../karmada/rest-client.ts';
import type { LeaseObserver } from '../pipeline/lease-keeper.ts';
import type { EvaluationResult, Outcome, PipelineObserver } from '../pipeline/types.ts';
import { LeaseMetrics } from './lease-metrics.ts';
import type { RequestObserver } from './request-log.ts';

// The Node server's /metrics, with prom-client: its exposition is what Prometheus parses (escaping, histogram
// buckets, HELP/TYPE), and it brings the process and Node.js runtime metrics (CPU, memory, file descriptors,
// event-loop lag, GC). Only runtime/node.ts constructs this class (app.ts imports its type), so prom-client is
// never in the Worker or Lambda bundle (test/bundle-scripts.test.ts and `npm run bench -- bundle` show it).
//
// Every series a rule divides or rates over is created at 0 when the process starts, so rate() and ratios
// work from the first scrape instead of appearing with the first failure. Labels are bounded sets: outcomes,
// route patterns, Kubernetes verbs and status codes, never a raw path. The one exception is deliberate: the
// fhpa_shadow_* series are per FederatedHPA (namespace, name) because comparing fhpa with the controller it
// shadows is per workload; only FederatedHPAs in shadow mode get them, a set the operator chooses.
//
// There is no fhpa_decisions_total: a decision is an evaluation with outcome scaled or unchanged, which
// fhpa_evaluations_total already counts; two counters of one event only drift apart.

const OUTCOMES: readonly Outcome[] = [
  'scaled',
  'unchanged',
  'failed',
  'not-found',
  'superseded',
  'dry-run',
  'shadow',
  'paused',
];
const ROUTES = ['/alerts', '/evaluate', '/sweep', '/validate-federatedhpa', '/validate-cronfederatedhpa'];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SWEEP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 120];

export class PipelineMetrics implements PipelineObserver, RestObserver, RequestObserver {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  readonly #c;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.#c = {
      evaluations: new Counter({
        name: 'fhpa_evaluations_total',
        help: 'FederatedHPA evaluations by outcome, and whether a failed one may succeed when retried.',
        labelNames: ['outcome', 'retryable'],
        registers,
      }),
      evaluationSeconds: new Histogram({
        name: 'fhpa_evaluation_duration_seconds',
        help: 'Time of one evaluation, trigger to status written.',
        buckets: LATENCY_BUCKETS,
        registers,
      }),
      store: new Counter({
        name: 'fhpa_store_operations_total',
        help: 'History store reads and writes.',
        labelNames: ['op'],
        registers,
      }),
      storeConflicts: new Counter({
        name: 'fhpa_store_conflicts_total',
        help: 'History saves that lost a version race to another invocation and decided again.',
        registers,
      }),
      karmada: new Counter({
        name: 'fhpa_karmada_requests_total',
        help: 'Requests to the Karmada API server by verb and HTTP status code (code "0": no response).',
        labelNames: ['verb', 'code'],
        registers,
      }),
      karmadaSeconds: new Histogram({
        name: 'fhpa_karmada_request_duration_seconds',
        help: 'Time of one request to the Karmada API server, by verb.',
        labelNames: ['verb'],
        buckets: LATENCY_BUCKETS,
        registers,
      }),
      requests: new Counter({
        name: 'fhpa_http_requests_total',
        help: "Requests to fhpa's own HTTP routes by route and status code.",
        labelNames: ['route', 'code'],
        registers,
      }),
      alerts: new Counter({
        name: 'fhpa_alerts_total',
        help: 'Alerts received from Alertmanager, by status (firing, resolved) and what became of them.',
        labelNames: ['status', 'outcome'],
        registers,
      }),
      admission: new Counter({
        name: 'fhpa_admission_reviews_total',
        help: 'AdmissionReviews answered (dry runs excluded), by kind and whether they were allowed.',
        labelNames: ['kind', 'allowed'],
        registers,
      }),
      sweeps: new Counter({
        name: 'fhpa_sweeps_total',
        help: 'Scheduled ticks (CronFederatedHPA rules and the sweep) by result; failed: listing failed.',
        labelNames: ['result'],
        registers,
      }),
      sweepSeconds: new Histogram({
        name: 'fhpa_sweep_duration_seconds',
        help: 'Time of one scheduled tick, CronFederatedHPA rules and every evaluation of the sweep.',
        buckets: SWEEP_BUCKETS,
        registers,
      }),
      sweepLast: new Gauge({
        name: 'fhpa_sweep_last_success_timestamp_seconds',
        help: 'When the last successful sweep ended (Unix time); time() minus this is the sweep lag.',
        registers,
      }),
      shadowDesired: new Gauge({
        name: 'fhpa_shadow_desired_replicas',
        help: 'Shadow mode: the replicas fhpa would set, per FederatedHPA.',
        labelNames: ['namespace', 'name'],
        registers,
      }),
      shadowCurrent: new Gauge({
        name: 'fhpa_shadow_current_replicas',
        help: 'Shadow mode: the replicas the workload has (set by the controller fhpa shadows), per FederatedHPA.',
        labelNames: ['namespace', 'name'],
        registers,
      }),
      shadowDisagreements: new Counter({
        name: 'fhpa_shadow_disagreements_total',
        help: 'Shadow mode: evaluations whose decision differed from the replicas the workload has.',
        labelNames: ['namespace', 'name'],
        registers,
      }),
      build: new Gauge({
        name: 'fhpa_build_info',
        help: 'Always 1: the running fhpa version and Node.js version as labels.',
        labelNames: ['version', 'node_version'],
        registers,
      }),
    };
    const c = this.#c;
    c.build.set({ version: pkg.version, node_version: process.version }, 1);
    for (const outcome of OUTCOMES)
      for (const retryable of ['true', 'false']) c.evaluations.inc({ outcome, retryable }, 0);
    for (const op of ['read', 'write']) c.store.inc({ op }, 0);
    c.storeConflicts.inc(0);
    for (const result of ['ok', 'failed']) c.sweeps.inc({ result }, 0);
    for (const verb of ['get', 'list', 'patch', 'update', 'create']) {
      c.karmada.inc({ verb, code: '200' }, 0);
      c.karmada.inc({ verb, code: '0' }, 0);
    }
    for (const route of ROUTES) {
      c.requests.inc({ route, code: '200' }, 0);
      c.requests.inc({ route, code: '503' }, 0);
    }
    if (opts.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges named like counters, which `promtool check metrics` refuses; the same numbers stay exported by
      // type as nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
      for (const name of [
        'nodejs_active_handles_total',
        'nodejs_active_requests_total',
        'nodejs_active_resources_total',
      ])
        this.registry.removeSingleMetric(name);
    }
  }

  evaluation(result: EvaluationResult, durationMs: number): void {
    this.#c.evaluations.inc({ outcome: result.outcome, retryable: String(result.retryable) });
    this.#c.evaluationSeconds.observe(durationMs / 1000);
    if (result.outcome === 'shadow') {
      const labels = { namespace: result.namespace, name: result.name };
      if (result.desiredReplicas !== undefined) this.#c.shadowDesired.set(labels, result.desiredReplicas);
      if (result.currentReplicas !== undefined) this.#c.shadowCurrent.set(labels, result.currentReplicas);
      this.#c.shadowDisagreements.inc(labels, result.wouldScale ? 1 : 0);
    }
  }

  storeRead(count: number): void {
    this.#c.store.inc({ op: 'read' }, count);
  }

  storeWrite(): void {
    this.#c.store.inc({ op: 'write' });
  }

  storeConflict(): void {
    this.#c.storeConflicts.inc();
  }

  sweep(result: { ok: boolean; durationMs: number; endedAt: number }): void {
    this.#c.sweeps.inc({ result: result.ok ? 'ok' : 'failed' });
    this.#c.sweepSeconds.observe(result.durationMs / 1000);
    if (result.ok) this.#c.sweepLast.set(result.endedAt / 1000);
  }

  alert(alert: { status: 'firing' | 'resolved'; outcome: string }): void {
    this.#c.alerts.inc({ status: alert.status, outcome: alert.outcome });
  }

  call(info: CallInfo): void {
    this.#c.karmada.inc({ verb: info.verb, code: String(info.status) });
    this.#c.karmadaSeconds.observe({ verb: info.verb }, info.durationMs / 1000);
  }

  request(route: string, code: number): void {
    this.#c.requests.inc({ route, code: String(code) });
  }

  admission(kind: string, allowed: boolean): void {
    this.#c.admission.inc({ kind, allowed: String(allowed) });
  }

  /** The lease series (lease-metrics.ts), for a replica that runs a lease keeper over `partitions`. */
  leases(partitions: number): LeaseObserver {
    return new LeaseMetrics(this.registry, partitions);
  }

  /** The exposition, Prometheus text format 0.0.4. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
