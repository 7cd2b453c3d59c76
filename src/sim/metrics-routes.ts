import type { Hono } from 'hono';
import { formatMilli } from '../engine/quantity.ts';
import { rfc3339 } from './clock.ts';
import { json } from './http.ts';
import { conflict, StatusError } from './k8s-status.ts';
import { listBody, paginate, parseListQuery } from './list.ts';
import { formatMemory, objectRpsMilli, podUsage } from './load-model.ts';
import { isReady, isRunning, type PodRecord } from './members.ts';
import { matchesLabels, parseLabelSelector } from './selectors.ts';
import type { SimState } from './state.ts';

// The three metrics APIs, computed on read from the load model. On the Karmada API server they are
// karmada-metrics-adapter's (pkg/metricsadapter/provider): resource metrics concatenated over the Ready
// clusters with each item annotated `resource.karmada.io/query-from-cluster`, custom metrics with values
// of same-named pods SUMMED across clusters (custommetrics.go, the cause of karmada issue 4257). Through
// the cluster proxy the same paths answer for one member only, unsummed, as its own metrics-server /
// prometheus-adapter would. External metrics (which Karmada's adapter does not implement) are served as a
// KEDA-style adapter would, from values set directly, the same on the control plane and in every member.

export const QUERY_FROM_CLUSTER = 'resource.karmada.io/query-from-cluster';
export const POD_METRIC = 'http_requests';
export const OBJECT_METRIC = 'requests-per-second';
const OBJECT_RESOURCES = new Set([
  'services',
  'deployments',
  'deployments.apps',
  'statefulsets',
  'statefulsets.apps',
]);

/** Where metrics are read: the whole federation (Ready clusters) or one member through the proxy. */
export interface MetricsScope {
  cluster?: string;
}

type Query = (name: string) => string | undefined;

interface Sample {
  cluster: string;
  pod: PodRecord;
  usage: ReturnType<typeof podUsage>;
}

/** Ready pods in scope with their usage; each pod's share counts the ready pods of all clusters. */
function samples(
  state: SimState,
  scope: MetricsScope,
  namespace: string | undefined,
  selector: string,
): Sample[] {
  const reqs = parseLabelSelector(selector);
  const now = state.now();
  // Only the namespace's pods when one is given (every sample and every share is of that namespace).
  const all = state.members().flatMap((m) =>
    (namespace === undefined ? [...m.pods.values()] : m.pods.inNamespace(namespace)).map((pod) => ({
      cluster: m.name,
      pod,
    })),
  );
  const ready = new Map<string, number>();
  const readyOf = (ns: string, owner: string) => {
    const key = `${ns}/${owner}`;
    let n = ready.get(key);
    if (n === undefined) {
      n = all.filter(
        (x) =>
          x.pod.namespace === ns && x.pod.ownerName === owner && isReady(x.pod, now, state.startupDelayMs),
      ).length;
      ready.set(key, n);
    }
    return n;
  };
  return all
    .filter(
      (x) =>
        (scope.cluster === undefined ? state.isClusterServing(x.cluster) : x.cluster === scope.cluster) &&
        (namespace === undefined || x.pod.namespace === namespace) &&
        isRunning(x.pod, now, state.startupDelayMs) &&
        matchesLabels(reqs, x.pod.labels),
    )
    .sort((a, b) =>
      a.pod.name < b.pod.name ? -1 : a.pod.name > b.pod.name ? 1 : a.cluster < b.cluster ? -1 : 1,
    )
    .map((x) => {
      const load = state.loadOf(x.pod.namespace, x.pod.ownerName);
      // A running pod that is not ready gets no traffic (the Service leaves it out) but runs: its base usage.
      const ready = isReady(x.pod, now, state.startupDelayMs);
      return {
        ...x,
        usage: podUsage(
          ready ? load : { ...load, rps: 0 },
          ready ? readyOf(x.pod.namespace, x.pod.ownerName) : 1,
          x.pod.containers,
        ),
      };
    });
}

const metricNotFound = (metric: string, resource: string) =>
  new StatusError(404, 'NotFound', `the server could not find the metric ${metric} for ${resource}`, {
    group: 'custom.metrics.k8s.io',
    kind: resource,
  });

function podMetrics(state: SimState, scope: MetricsScope, s: Sample) {
  return {
    metadata: {
      name: s.pod.name,
      namespace: s.pod.namespace,
      creationTimestamp: rfc3339(state.now()),
      labels: s.pod.labels,
      ...(scope.cluster === undefined ? { annotations: { [QUERY_FROM_CLUSTER]: s.cluster } } : {}),
    },
    timestamp: rfc3339(state.now()),
    window: `${state.metricsWindowSeconds}s`,
    containers: s.usage.containers.map((c) => ({
      name: c.name,
      // metrics-server's forms: CPU in nanocores ("10000000n"), memory in kibibytes.
      usage: {
        cpu: c.cpuMilli === 0 ? '0' : `${Math.round(c.cpuMilli * 1_000_000)}n`,
        memory: formatMemory(c.memoryBytes),
      },
    })),
  };
}

/** metrics.k8s.io/v1beta1: `[namespaces/{ns}/]pods[/{name}]` and `nodes`. */
function resourceMetrics(state: SimState, scope: MetricsScope, rest: string[], query: Query) {
  const namespaced = rest[0] === 'namespaces';
  const [ns, resource, name] = namespaced ? [rest[1], rest[2], rest[3]] : [undefined, rest[0], rest[1]];
  const apiVersion = 'metrics.k8s.io/v1beta1';
  if (resource === 'nodes') return json(listBody('NodeMetricsList', apiVersion, '', { items: [] }));
  if (resource !== 'pods') return undefined;
  if (name !== undefined) {
    const found = samples(state, scope, ns, '').filter((s) => s.pod.name === name);
    if (found.length === 0)
      throw new StatusError(404, 'NotFound', `podmetrics.metrics.k8s.io "${ns ?? ''}/${name}" not found`, {
        name,
        group: 'metrics.k8s.io',
        kind: 'pods',
      });
    // The adapter's multi-cluster pod lister refuses a name found in several clusters (karmada issue 4257).
    if (found.length > 1)
      throw conflict(
        { resource: 'pods', group: '', name },
        `the pod(${name}) found in more than one clusters`,
      );
    return json({ kind: 'PodMetrics', apiVersion, ...podMetrics(state, scope, found[0] as Sample) });
  }
  const q = parseListQuery(query);
  const items = samples(state, scope, ns, '').map((s) => podMetrics(state, scope, s));
  const page = paginate(
    items,
    (i) => `${i.metadata.namespace}/${i.metadata.name}/${i.metadata.annotations?.[QUERY_FROM_CLUSTER] ?? ''}`,
    (i) => i.metadata.labels,
    q,
    '',
  );
  return json(listBody('PodMetricsList', apiVersion, '', page));
}

/** custom.metrics.k8s.io v1beta1/v1beta2: pods metrics by selector or name, and object metrics. */
function customMetrics(state: SimState, scope: MetricsScope, version: string, rest: string[], query: Query) {
  if (rest[0] !== 'namespaces' || rest.length !== 5) return undefined;
  const [, ns = '', resource = '', name = '', metric = ''] = rest;
  const apiVersion = `custom.metrics.k8s.io/${version}`;
  const window = state.metricsWindowSeconds;
  const metricReqs = parseLabelSelector(query('metricLabelSelector') ?? '');
  const item = (described: { kind: string; apiVersion: string; name: string }, valueMilli: number) => ({
    describedObject: {
      kind: described.kind,
      namespace: ns,
      name: described.name,
      apiVersion: described.apiVersion,
    },
    ...(version === 'v1beta1' ? { metricName: metric } : { metric: { name: metric, selector: null } }),
    timestamp: rfc3339(state.now()),
    windowSeconds: window,
    value: formatMilli(valueMilli),
  });
  if (resource === 'pods') {
    // The series carry no labels of their own: a metric label selector matches only if {} satisfies it.
    if (metric !== POD_METRIC || !matchesLabels(metricReqs, {})) throw metricNotFound(metric, 'pods');
    const found = samples(state, scope, ns, name === '*' ? (query('labelSelector') ?? '') : '').filter(
      (s) => name === '*' || s.pod.name === name,
    );
    if (name !== '*' && found.length === 0) throw metricNotFound(metric, `pods ${name}`);
    const summed = new Map<string, number>();
    for (const s of found) summed.set(s.pod.name, (summed.get(s.pod.name) ?? 0) + s.usage.httpRequestsMilli);
    const items = [...summed].map(([pod, milli]) =>
      item({ kind: 'Pod', apiVersion: '/v1', name: pod }, milli),
    );
    return json(listBody('MetricValueList', apiVersion, '', { items }));
  }
  if (!OBJECT_RESOURCES.has(resource)) return undefined;
  const hasWorkload = state.members().some((m) => m.workloads.inNamespace(ns).some((w) => w.name === name));
  if (metric !== OBJECT_METRIC || !hasWorkload || !matchesLabels(metricReqs, {}))
    throw metricNotFound(metric, `${resource} ${name}`);
  const now = state.now();
  const ready = (cluster?: string) =>
    state
      .members()
      .filter((m) => cluster === undefined || m.name === cluster)
      .flatMap((m) => m.pods.inNamespace(ns))
      .filter((p) => p.namespace === ns && p.ownerName === name && isReady(p, now, state.startupDelayMs))
      .length;
  const milli = objectRpsMilli(
    state.loadOf(ns, name),
    ready(scope.cluster),
    ready(),
    scope.cluster === undefined,
  );
  const kind = resource.startsWith('services')
    ? 'Service'
    : resource.startsWith('deployments')
      ? 'Deployment'
      : 'StatefulSet';
  return json(
    listBody('MetricValueList', apiVersion, '', {
      items: [item({ kind, apiVersion: kind === 'Service' ? '/v1' : 'apps/v1', name }, milli)],
    }),
  );
}

/** external.metrics.k8s.io/v1beta1: `namespaces/{ns}/{metric}?labelSelector=` over the metric's series. */
function externalMetrics(state: SimState, rest: string[], query: Query) {
  if (rest[0] !== 'namespaces' || rest.length !== 3) return undefined;
  const [, ns = '', metric = ''] = rest;
  const series = state.externalMetric(ns, metric);
  if (!series)
    throw new StatusError(
      404,
      'NotFound',
      `the server could not find the metric ${metric} for namespace ${ns}`,
      { group: 'external.metrics.k8s.io', kind: metric },
    );
  const reqs = parseLabelSelector(query('labelSelector') ?? '');
  const items = series
    .filter((s) => matchesLabels(reqs, s.metricLabels))
    .map((s) => ({
      metricName: s.metricName,
      metricLabels: s.metricLabels,
      timestamp: rfc3339(state.now()),
      value: formatMilli(s.valueMilli),
    }));
  return json(listBody('ExternalMetricValueList', 'external.metrics.k8s.io/v1beta1', '', { items }));
}

/** Serves a metrics path (`/apis/{group}/{version}/...`) in `scope`; undefined when the path is not one. */
export function serveMetrics(
  state: SimState,
  scope: MetricsScope,
  path: string,
  query: Query,
): Response | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'apis' || parts.length < 4) return undefined;
  const [, group, version = '', ...rest] = parts;
  if (group === 'metrics.k8s.io' && version === 'v1beta1') return resourceMetrics(state, scope, rest, query);
  if (group === 'custom.metrics.k8s.io' && (version === 'v1beta1' || version === 'v1beta2'))
    return customMetrics(state, scope, version, rest, query);
  if (group === 'external.metrics.k8s.io' && version === 'v1beta1')
    return externalMetrics(state, rest, query);
  return undefined;
}

export function mountMetrics(app: Hono, state: SimState): void {
  for (const group of ['metrics.k8s.io', 'custom.metrics.k8s.io', 'external.metrics.k8s.io']) {
    app.get(
      `/apis/${group}/:version/*`,
      (c) => serveMetrics(state, {}, c.req.path, (k) => c.req.query(k)) ?? c.notFound(),
    );
  }
}
