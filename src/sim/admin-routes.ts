import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { rfc3339 } from './clock.ts';
import { faultRuleSchema } from './faults.ts';
import { json, readJson } from './http.ts';
import { invalid } from './k8s-status.ts';
import { WORKLOAD_TYPES } from './resources.ts';
import type { SimState } from './state.ts';

// The simulator's own control surface under /_sim/ (never faulted), so a demo or a benchmark in another
// process can drive it over HTTP: faults, load, external metrics, the clock and cluster readiness, plus a
// snapshot of what the simulation looks like now. Same bearer token as the API.

const ADMIN_BODY_LIMIT = 64 * 1024;

const loadSchema = z.strictObject({
  namespace: z.string().default('default'),
  workload: z.string().min(1),
  rps: z.number().min(0),
  cpuPerRequestMilli: z.number().min(0).optional(),
  baseCpuMilli: z.number().min(0).optional(),
  memoryBytes: z.number().int().min(0).optional(),
});
const externalSchema = z.strictObject({
  namespace: z.string().default('default'),
  metric: z.string().min(1),
  value: z.number(),
  labels: z.record(z.string(), z.string()).optional(),
});
const clockSchema = z.union([
  z.strictObject({ advanceMs: z.number().finite() }),
  z.strictObject({ setMs: z.number().finite() }),
]);
const faultsSchema = z.strictObject({
  rules: z.array(faultRuleSchema).max(100),
  seed: z.number().int().optional(),
});
const readySchema = z.strictObject({ ready: z.boolean() });

async function body<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await readJson(c, ADMIN_BODY_LIMIT));
  if (!parsed.success) {
    throw invalid(
      { resource: 'simulator', group: '', kind: 'SimulatorRequest' },
      parsed.error.issues.map((i) => ({
        reason: 'FieldValueInvalid',
        message: i.message,
        field: i.path.map(String).join('.') || '(root)',
      })),
    );
  }
  return parsed.data;
}

/** A compact view of the simulation now: clock, clusters, every workload's division, counters, faults. */
export function snapshot(state: SimState) {
  const workloads = WORKLOAD_TYPES.flatMap((t) =>
    state.store.list(t).map((o) => {
      const rendered = state.render(t, o);
      const status = rendered.status as { replicas?: number; readyReplicas?: number };
      return {
        kind: t.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
        replicas: (o.spec as { replicas?: number }).replicas,
        readyReplicas: status.readyReplicas ?? 0,
        members: state.memberReplicas(o.metadata.namespace ?? '', o.metadata.name, t.kind as 'Deployment'),
        load: state.loadOf(o.metadata.namespace ?? '', o.metadata.name),
      };
    }),
  );
  return {
    time: rfc3339(state.now()),
    nowMs: state.now(),
    clusters: state.members().map((m) => ({ name: m.name, ready: state.isClusterReady(m.name) })),
    workloads,
    counters: state.counters,
    faults: { rules: state.faults.rules(), counts: state.faults.counts() },
  };
}

export function mountAdmin(app: Hono, state: SimState): void {
  app.get('/_sim/state', () => json(snapshot(state)));
  app.get('/_sim/requests', (c) => {
    const limit = Math.min(Number(c.req.query('limit') ?? '100') || 100, 10_000);
    return json({ items: state.requestLog.slice(-limit) });
  });
  app.get('/_sim/faults', () => json({ rules: state.faults.rules(), counts: state.faults.counts() }));
  app.put('/_sim/faults', async (c) => {
    const { rules, seed } = await body(c, faultsSchema);
    state.faults.setRules(rules, seed);
    return json({ rules: state.faults.rules(), counts: state.faults.counts() });
  });
  app.post('/_sim/faults', async (c) => {
    state.faults.addRule(await body(c, faultRuleSchema));
    return json({ rules: state.faults.rules(), counts: state.faults.counts() }, 201);
  });
  app.delete('/_sim/faults', () => {
    state.faults.clear();
    return json({ rules: [], counts: state.faults.counts() });
  });
  app.post('/_sim/load', async (c) => {
    const { namespace, workload, ...load } = await body(c, loadSchema);
    state.setLoad(namespace, workload, load);
    return json({ namespace, workload, load: state.loadOf(namespace, workload) });
  });
  app.post('/_sim/external-metrics', async (c) => {
    const { namespace, metric, value, labels } = await body(c, externalSchema);
    state.setExternalMetric(namespace, metric, value, labels);
    return json({ namespace, metric, series: state.externalMetric(namespace, metric) });
  });
  app.get('/_sim/clock', () =>
    json({ mode: state.clock.mode, nowMs: state.now(), time: rfc3339(state.now()) }),
  );
  app.post('/_sim/clock', async (c) => {
    const change = await body(c, clockSchema);
    if ('advanceMs' in change) state.clock.advance(change.advanceMs);
    else state.clock.set(change.setMs);
    return json({ mode: state.clock.mode, nowMs: state.now(), time: rfc3339(state.now()) });
  });
  app.put('/_sim/clusters/:name/ready', async (c) => {
    const { ready } = await body(c, readySchema);
    state.setClusterReady(c.req.param('name'), ready);
    return json({ name: c.req.param('name'), ready: state.isClusterReady(c.req.param('name')) });
  });
}
