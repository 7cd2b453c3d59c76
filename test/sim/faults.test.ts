import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/sim/faults.ts';
import { type FaultRule, type Simulator, startSimulator } from '../../src/sim/index.ts';
import { client, FHPA_PATH, SCALE_PATH } from './http-client.ts';

// Fault injection per route: seeded and therefore reproducible, error statuses with the API server's
// Status bodies and Retry-After, forced 409s on writes only, simulated latency, hangs that end when the
// client gives up or the simulator closes, and the /_sim admin routes that drive all of it over HTTP.

let sim: Simulator;
let api: ReturnType<typeof client>;
beforeEach(async () => {
  sim = await startSimulator({ seed: 7 });
  api = client(sim);
  sim.applyWalkthrough();
});
afterEach(() => sim.close());

async function statuses(s: Simulator, n: number): Promise<number[]> {
  const c = client(s);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await c.get(SCALE_PATH)).status);
  return out;
}

describe('fault rules', () => {
  it.each([
    ['/apis/**', '/apis/apps/v1/namespaces/default/deployments/x/scale', true],
    [
      '/apis/apps/v1/namespaces/*/deployments/*/scale',
      '/apis/apps/v1/namespaces/default/deployments/x/scale',
      true,
    ],
    [
      '/apis/apps/v1/namespaces/*/deployments/*/scale',
      '/apis/apps/v1/namespaces/default/deployments/x',
      false,
    ],
    ['/apis/*/v1', '/apis/apps/v1', true],
    ['/apis/*/v1', '/apis/a/b/v1', false],
  ])('glob %s matches %s: %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it('repeats the same faults for the same seed and request sequence', async () => {
    const rule: FaultRule = { path: '/apis/apps/v1/**', errorRate: 0.5, errorStatus: 503 };
    sim.faults.setRules([rule]);
    const first = await statuses(sim, 16);
    const twin = await startSimulator({ seed: 7, faults: [rule] });
    try {
      twin.applyWalkthrough();
      expect(await statuses(twin, 16)).toEqual(first);
    } finally {
      await twin.close();
    }
    expect(new Set(first)).toEqual(new Set([200, 503]));
    expect(sim.faults.counts().error).toEqual({ 503: first.filter((s) => s === 503).length });
  });

  it('sends 429 with Retry-After and the TooManyRequests Status', async () => {
    sim.faults.setRules([{ path: '/apis/apps/**', errorRate: 1, errorStatus: 429, retryAfterSeconds: 3 }]);
    const r = await api.get(SCALE_PATH);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Too many requests, please try again later.',
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 3 },
      code: 429,
    });
  });

  it('words an injected 403 as the RBAC authorizer does (forbiddenMessage: resource/subresource)', async () => {
    sim.faults.setRules([{ method: 'PATCH', path: `${FHPA_PATH}/*/status`, errorRate: 1, errorStatus: 403 }]);
    const r = await api.patch(`${FHPA_PATH}/sample-app/status`, { status: { desiredReplicas: 2 } });
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(
      'federatedhpas.autoscaling.karmada.io "sample-app" is forbidden: User "system:serviceaccount:fhpa-system:fhpa" cannot patch resource "federatedhpas/status" in API group "autoscaling.karmada.io" in the namespace "default"',
    );
    expect(r.body.reason).toBe('Forbidden');
  });

  it('fails only the first `limit` matching requests, then lets them through', async () => {
    sim.faults.setRules([{ path: SCALE_PATH, errorRate: 1, errorStatus: 500, limit: 2 }]);
    expect(await statuses(sim, 4)).toEqual([500, 500, 200, 200]);
  });

  it('forces 409 Conflict on writes only; the write is not applied', async () => {
    sim.faults.setRules([{ path: SCALE_PATH, conflictRate: 1 }]);
    expect((await api.get(SCALE_PATH)).status).toBe(200);
    const r = await api.patch(SCALE_PATH, { spec: { replicas: 4 } });
    expect(r.status).toBe(409);
    expect(r.body.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "sample-app": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(sim.counters.scaleWrites).toEqual({ put: 0, patch: 1, applied: 0 });
    expect((await api.get(SCALE_PATH)).body.spec.replicas).toBe(1);
    expect(sim.faults.counts()).toEqual({ latency: 0, error: {}, hang: 0, conflict: 1 });
  });

  it('adds simulated latency by moving the simulated clock', async () => {
    sim.faults.setRules([{ path: '/apis/**', latencyMs: 1500, latencyMode: 'simulated' }]);
    const before = sim.clock.now();
    await api.get(SCALE_PATH);
    await api.get('/api');
    expect(sim.clock.now() - before).toBe(1500);
    expect(sim.faults.counts().latency).toBe(1);
  });

  it('hangs until the client aborts; the request log records the abandoned request', async () => {
    sim.faults.setRules([{ path: SCALE_PATH, hangRate: 1 }]);
    const controller = new AbortController();
    const pending = api.get(SCALE_PATH, controller.signal);
    await waitFor(() => sim.faults.counts().hang === 1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    await waitFor(() => sim.requestLog.some((e) => e.path === SCALE_PATH));
    expect(sim.requestLog.find((e) => e.path === SCALE_PATH)?.status).toBe(504);
  });

  it('close() ends even while a request hangs', async () => {
    sim.faults.setRules([{ path: SCALE_PATH, hangRate: 1 }]);
    const pending = api.get(SCALE_PATH).then(
      (r) => r.status,
      () => 'failed',
    );
    await waitFor(() => sim.faults.counts().hang === 1);
    await sim.close();
    expect(['failed', 504]).toContain(await pending);
  });
});

describe('/_sim admin routes', () => {
  it('sets fault rules over HTTP, refuses an invalid one by field, and is never faulted itself', async () => {
    const bad = await api.put('/_sim/faults', { rules: [{ path: '/**', errorRate: 2 }] });
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes[0].field).toBe('rules.0.errorRate');
    const set = await api.put('/_sim/faults', {
      rules: [{ path: '/**', errorRate: 1, errorStatus: 500 }],
      seed: 3,
    });
    expect(set.body.rules).toEqual([{ path: '/**', errorRate: 1, errorStatus: 500 }]);
    expect((await api.get('/api')).status).toBe(500);
    expect((await api.get('/_sim/faults')).body.counts.error).toEqual({ 500: 1 });
    expect((await api.delete('/_sim/faults')).status).toBe(200);
    expect((await api.get('/api')).status).toBe(200);
  });

  it('drives load, external metrics, the clock and cluster readiness', async () => {
    await api.patch(SCALE_PATH, { spec: { replicas: 2 } });
    expect((await api.post('/_sim/clock', { advanceMs: 5000 })).body).toEqual({
      mode: 'simulated',
      nowMs: Date.UTC(2026, 0, 1, 0, 0, 5),
      time: '2026-01-01T00:00:05Z',
    });
    await api.post('/_sim/load', { workload: 'sample-app', rps: 3 });
    const metric = await api.get(
      '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests?labelSelector=app%3Dsample-app',
    );
    expect(metric.body.items.map((i: { value: string }) => i.value)).toEqual(['1500m', '1500m']);
    await api.post('/_sim/external-metrics', { metric: 'queue_messages_ready', value: 12 });
    expect(
      (await api.get('/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_messages_ready')).body
        .items[0].value,
    ).toBe('12');
    expect((await api.put('/_sim/clusters/member2/ready', { ready: false })).body).toEqual({
      name: 'member2',
      ready: false,
    });
    const state = (await api.get('/_sim/state')).body;
    expect(state.clusters).toEqual([
      { name: 'member1', ready: true },
      { name: 'member2', ready: false },
      { name: 'member3', ready: true },
    ]);
    expect(state.workloads).toEqual([
      {
        kind: 'Deployment',
        namespace: 'default',
        name: 'sample-app',
        replicas: 2,
        readyReplicas: 2,
        members: { member1: 1, member2: 1 },
        load: { rps: 3, cpuPerRequestMilli: 1, baseCpuMilli: 10, memoryBytes: 67108864 },
      },
    ]);
  });

  it('requires the token like every other route', async () => {
    expect((await client(sim, null).get('/_sim/state')).status).toBe(401);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}
