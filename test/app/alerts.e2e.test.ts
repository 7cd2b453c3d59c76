import { afterEach, describe, expect, it } from 'vitest';
import { MAX_EVALUATIONS_PER_NOTIFICATION, MAX_NAMESPACES_PER_NOTIFICATION } from '../../src/app/alerts.ts';
import { createApp } from '../../src/app/app.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// The Alertmanager receiver end to end: a v4 notification over the Hono app, evaluations against the
// simulated Karmada over HTTP, and the status codes Alertmanager acts on (it retries only 5xx).

const TOKEN = 'alertmanager-bearer-token-0123456789';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function notification(
  alerts: Array<{ labels: Record<string, string>; status?: 'firing' | 'resolved'; fingerprint?: string }>,
) {
  return {
    version: '4',
    groupKey: '{}:{federatedhpa="sample-app"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'fhpa',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((a, i) => ({
      status: a.status ?? 'firing',
      labels: { alertname: 'SampleAppHttpRequestsAboveTarget', ...a.labels },
      annotations: {},
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus/graph',
      fingerprint: a.fingerprint ?? `f${i}`,
    })),
  };
}

async function setup(maxBodyBytes = 64 * 1024) {
  h = await startHarness();
  h.sim.applyWalkthrough();
  h.sim.applyFederatedHPA(seedFederatedHPA({ behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } }));
  h.sim.clock.advance(30_000);
  const harness = h;
  return createApp({
    deps: () => harness.deps,
    credentials: { bearerToken: TOKEN },
    maxBodyBytes,
  });
}

const post = (app: ReturnType<typeof createApp>, body: unknown, auth = `Bearer ${TOKEN}`) =>
  app.request('/alerts', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: auth },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /alerts', () => {
  it('evaluates the FederatedHPA an alert names and scales it at once', async () => {
    const app = await setup();
    h!.sim.setLoad('default', 'sample-app', { rps: 20 });
    const res = await post(
      app,
      notification([{ labels: { federatedhpa: 'sample-app', namespace: 'default' } }]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { evaluations: number; alerts: Array<Record<string, unknown>> };
    expect(body.evaluations).toBe(1);
    expect(body.alerts[0]).toMatchObject({
      outcome: 'scaled',
      desiredReplicas: 5,
      target: 'default/sample-app',
    });
    expect(h!.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 3, member2: 2 });
  });

  it('evaluates duplicates in one notification once, and resolves workload labels to the FederatedHPA', async () => {
    const app = await setup();
    const res = await post(
      app,
      notification([
        { labels: { federatedhpa: 'sample-app', namespace: 'default' } },
        { labels: { federatedhpa: 'sample-app', namespace: 'default', pod: 'x' } },
        { labels: { deployment: 'sample-app', namespace: 'default' }, status: 'resolved' },
      ]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { evaluations: number; alerts: Array<{ outcome: string }> };
    expect(body.evaluations).toBe(1);
    expect(body.alerts.map((a) => a.outcome)).toEqual(['unchanged', 'duplicate', 'duplicate']);
  });

  it('reports unknown targets with 200 (a retry cannot help) and alerts without target labels as ignored', async () => {
    const app = await setup();
    const res = await post(
      app,
      notification([
        { labels: { federatedhpa: 'nope', namespace: 'default' } },
        { labels: { deployment: 'nope', namespace: 'default' } },
        { labels: { instance: 'x' } },
      ]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { alerts: Array<{ outcome: string; retryable: boolean }> };
    expect(body.alerts.map((a) => [a.outcome, a.retryable])).toEqual([
      ['not-found', false],
      ['not-found', false],
      ['ignored', false],
    ]);
  });

  it('answers 503 with Retry-After when Karmada is unavailable, so Alertmanager retries', async () => {
    const app = await setup();
    h!.sim.faults.setRules([{ path: '/apis/**', errorRate: 1, errorStatus: 503 }]);
    const res = await post(
      app,
      notification([{ labels: { federatedhpa: 'sample-app', namespace: 'default' } }]),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('10');
  });

  it.each([
    ['no credentials', ''],
    ['a wrong token', 'Bearer wrong-token-wrong-token'],
    ['basic auth when only a bearer token is configured', `Basic ${btoa('am:pw')}`],
  ])('answers 401 for %s', async (_name, auth) => {
    const app = await setup();
    const res = await post(app, notification([]), auth);
    expect(res.status).toBe(401);
  });

  it.each([
    ['malformed JSON', '{"version": "4", ', /JSON/],
    ['a wrong version', { ...notification([]), version: '3' }, /version/],
    ['alerts of the wrong type', { ...notification([]), alerts: {} }, /alerts/],
    [
      'an alert without labels',
      { ...notification([]), alerts: [{ status: 'firing' }] },
      /alerts\.0\.labels|alerts\[0\]\.labels/,
    ],
  ])('answers 400 naming the field for %s', async (_name, body, message) => {
    const app = await setup();
    const res = await post(app, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('answers 413 for a body over the limit', async () => {
    const app = await setup();
    const big = notification([
      { labels: { federatedhpa: 'sample-app', namespace: 'default', junk: 'x'.repeat(70_000) } },
    ]);
    const res = await post(app, big);
    expect(res.status).toBe(413);
  });
});

// Issue 18.2: what one notification can make fhpa ask Karmada, read from the simulator's request log.
describe('POST /alerts: labels and lookups are bounded before any API call', () => {
  const apiCalls = (since: number) =>
    h!.sim.requestLog.slice(since).filter((r) => !r.path.startsWith('/_sim'));

  it('refuses "..", oversized and otherwise invalid labels without calling Karmada', async () => {
    const app = await setup();
    const since = h!.sim.requestLog.length;
    const res = await post(
      app,
      notification([
        { labels: { federatedhpa: 'sample-app', namespace: '..' } },
        { labels: { deployment: 'sample-app', namespace: '..' } },
        { labels: { federatedhpa: 'a'.repeat(10_000), namespace: 'default' } },
        { labels: { deployment: '../../apis', namespace: 'default' } },
        { labels: { workload: 'sample-app', workload_kind: 'Deployment/../x', namespace: 'default' } },
        { labels: { federatedhpa: 'sample-app', federatedhpa_namespace: 'kube-system%2F..' } },
      ]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      evaluations: number;
      alerts: Array<{ outcome: string; message: string }>;
    };
    expect(body.evaluations).toBe(0);
    expect(body.alerts.map((a) => a.outcome)).toEqual(Array(6).fill('ignored'));
    expect(body.alerts[0]!.message).toMatch(/^label "namespace" "\.\." is not a namespace/);
    expect(apiCalls(since)).toEqual([]);
  });

  it('lists one namespace once for 1,000 workload alerts', async () => {
    const app = await setup(1024 * 1024);
    const since = h!.sim.requestLog.length;
    const alerts = Array.from({ length: 1000 }, (_, i) => ({
      labels: { deployment: i === 0 ? 'sample-app' : `other-${i}`, namespace: 'default' },
    }));
    const res = await post(app, notification(alerts));
    expect(res.status).toBe(200);
    const lists = apiCalls(since).filter((r) => r.method === 'GET' && /\/federatedhpas(\?|$)/.test(r.path));
    expect(lists).toHaveLength(1);
    expect(lists[0]!.path).toMatch(
      /^\/apis\/autoscaling\.karmada\.io\/v1alpha1\/namespaces\/default\/federatedhpas/,
    );
  });

  it(`lists at most ${MAX_NAMESPACES_PER_NOTIFICATION} namespaces and evaluates at most ${MAX_EVALUATIONS_PER_NOTIFICATION} FederatedHPAs`, async () => {
    const app = await setup(1024 * 1024);
    const since = h!.sim.requestLog.length;
    const alerts = [
      ...Array.from({ length: 500 }, (_, i) => ({ labels: { deployment: 'web', namespace: `ns-${i}` } })),
      ...Array.from({ length: 500 }, (_, i) => ({
        labels: { federatedhpa: `f-${i}`, namespace: 'default' },
      })),
    ];
    const res = await post(app, notification(alerts));
    const body = (await res.json()) as {
      evaluations: number;
      alerts: Array<{ outcome: string; message?: string }>;
    };
    expect(body.evaluations).toBe(MAX_EVALUATIONS_PER_NOTIFICATION);
    const lists = apiCalls(since).filter((r) => /\/federatedhpas(\?|$)/.test(r.path));
    expect(lists).toHaveLength(MAX_NAMESPACES_PER_NOTIFICATION);
    const ignored = body.alerts.filter((a) => a.outcome === 'ignored');
    expect(ignored).toHaveLength(1000 - MAX_NAMESPACES_PER_NOTIFICATION - MAX_EVALUATIONS_PER_NOTIFICATION);
    expect(ignored[0]!.message).toMatch(/left to the sweep/);
    // The FederatedHPAs do not exist: answered not-found, which Alertmanager need not retry.
    expect(res.status).toBe(200);
  });
});

// Issue 18.4: a sweep in which most evaluations failed is not a 200 to its scheduler.
describe('POST /sweep', () => {
  const sweep = (app: ReturnType<typeof createApp>) =>
    app.request('/sweep', { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });

  it('answers 503 with Retry-After when most evaluations failed, 200 once they work', async () => {
    const app = await setup();
    h!.sim.faults.setRules([{ path: '/apis/apps/v1/**', errorRate: 1, errorStatus: 503 }]);
    const failed = await sweep(app);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('Retry-After')).toBe('15');
    expect(await failed.json()).toMatchObject({ evaluated: 1, outcomes: { failed: 1 } });

    h!.sim.faults.setRules([]);
    const ok = await sweep(app);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { outcomes: Record<string, number> }).outcomes.failed).toBeUndefined();
  });
});
