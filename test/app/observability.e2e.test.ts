import { afterEach, describe, expect, it } from 'vitest';
import { admissionReview, alertNotification } from '../../bench/support/fixtures.ts';
import { createApp } from '../../src/app/app.ts';
import { PipelineMetrics } from '../../src/app/prometheus.ts';
import { createKarmadaAdapter } from '../../src/karmada/adapter.ts';
import { createLogger } from '../../src/log.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { promtoolCheckMetrics } from '../support/promtool.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// What an operator sees of fhpa: one log line per decision and per failure (with its cause, at the level that
// says whether it will heal), a warn line per refused request, the answer Alertmanager acts on (503 retries,
// 4xx stops), and /metrics counting all of it — checked by Prometheus' own `promtool check metrics`.

const TOKEN = 'alertmanager-bearer-token-0123456789';
type Line = Record<string, unknown> & { level: string; msg: string };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** How fhpa reaches the simulator: its URL and token unless a test changes them. */
interface Reach {
  server?: (h: Harness) => string;
  token?: string;
}

async function setup(reach: Reach = {}) {
  h = await startHarness();
  h.sim.applyWalkthrough();
  h.sim.applyFederatedHPA(seedFederatedHPA({ behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } }));
  h.sim.clock.advance(30_000);
  const lines: Line[] = [];
  const log = createLogger({ level: 'debug', sink: (l) => lines.push(JSON.parse(l) as Line) });
  const metrics = new PipelineMetrics();
  const karmada = createKarmadaAdapter({
    connection: { server: reach.server ? reach.server(h) : h.sim.url, token: reach.token ?? h.sim.token },
    timeoutMs: 2_000,
    retries: 1,
    observer: metrics,
  });
  const deps: PipelineDeps = { ...h.deps, karmada, log, observer: metrics };
  const app = createApp({
    deps: () => deps,
    credentials: { bearerToken: TOKEN },
    maxBodyBytes: 64 * 1024,
    metrics,
  });
  const alert = (auth = `Bearer ${TOKEN}`) =>
    app.request('/alerts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: auth },
      body: JSON.stringify(alertNotification([{ namespace: 'default', name: 'sample-app' }])),
    });
  const scrape = async () => (await app.request('/metrics')).text();
  return { app, lines, metrics, alert, scrape, harness: h };
}

describe('logs', () => {
  it('logs a scale decision at info with namespace/name, from, to and reason', async () => {
    const s = await setup();
    s.harness.sim.setLoad('default', 'sample-app', { rps: 20 });
    s.harness.sim.clock.advance(30_000);
    expect((await s.alert()).status).toBe(200);
    const scaled = s.lines.find((l) => l.msg.startsWith('scaled default/sample-app'));
    expect(scaled).toMatchObject({
      level: 'info',
      namespace: 'default',
      name: 'sample-app',
      outcome: 'scaled',
      from: 1,
      reason: 'pods metric http_requests above target',
    });
    expect(scaled?.to).toBeGreaterThan(1);
    // The notification's groupKey is Alertmanager's group, not a secret: it must survive redaction.
    const handled = s.lines.find((l) => l.msg === 'alert notification handled');
    expect(handled?.groupKey).toBe('{}:{alertname="HttpRequestsAboveTarget"}');
  });

  it('logs an outage at warn with the FederatedHPA and the cause, and answers 503 with Retry-After', async () => {
    const s = await setup();
    s.harness.sim.faults.addRule({ path: '/apis/apps/v1/**', errorRate: 1, errorStatus: 503 });
    const res = await s.alert();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    const failed = s.lines.find((l) => l.msg === 'evaluation of default/sample-app failed');
    expect(failed).toMatchObject({
      level: 'warn',
      namespace: 'default',
      name: 'sample-app',
      retryable: true,
    });
    expect(String(failed?.cause)).toContain('503');
  });

  it("answers 422 and logs at error when Karmada refuses fhpa's credentials (retrying cannot help)", async () => {
    const wrong = 'not-the-karmada-token-0123456789';
    const s = await setup({ token: wrong });
    const res = await s.alert();
    expect(res.status).toBe(422);
    expect(res.headers.get('retry-after')).toBeNull();
    const failed = s.lines.find((l) => l.msg === 'evaluation of default/sample-app failed');
    expect(failed).toMatchObject({ level: 'error', retryable: false });
    expect(String(failed?.cause)).toMatch(/401 Unauthorized/);
    expect(JSON.stringify(s.lines)).not.toContain(wrong);
  });

  it('answers 422 and logs at error when the FederatedHPA resource type is missing (no CRD)', async () => {
    // Every path under this prefix is one the API server does not serve: its 404 names no object, as
    // kube-apiserver's answer for a resource whose CRD is not installed.
    const s = await setup({ server: (h) => `${h.sim.url}/no-such-prefix` });
    const res = await s.alert();
    expect(res.status).toBe(422);
    const body = (await res.json()) as { alerts: Array<{ outcome: string; retryable: boolean }> };
    expect(body.alerts[0]).toMatchObject({ outcome: 'failed', retryable: false });
    expect(s.lines.find((l) => l.level === 'error')?.cause).toMatch(
      /404 NotFound: the server could not find the requested resource/,
    );
  });

  it('logs a refused request at warn, without the credentials it carried', async () => {
    const s = await setup();
    const guess = 'Bearer guessed-token-abcdefghijklmnop';
    expect((await s.alert(guess)).status).toBe(401);
    const refused = s.lines.find((l) => l.msg === 'request refused');
    expect(refused).toMatchObject({ level: 'warn', route: '/alerts', status: 401, method: 'POST' });
    expect(String(refused?.error)).toContain('unauthorized');
    expect(JSON.stringify(s.lines)).not.toContain('guessed-token');
  });
});

describe('/metrics', () => {
  it('starts every failure series at 0, so rate() works before the first failure', async () => {
    const s = await setup();
    const text = await s.scrape();
    expect(text).toContain('fhpa_evaluations_total{outcome="failed",retryable="true"} 0');
    expect(text).toContain('fhpa_sweeps_total{result="failed"} 0');
    expect(text).toContain('fhpa_store_conflicts_total 0');
    expect(text).toMatch(/fhpa_build_info\{version="[^"]+",node_version="v\d+/);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).not.toContain('fhpa_decisions_total');
  });

  it('counts requests by route and code, Karmada calls by verb and code, alerts and admission reviews', async () => {
    const s = await setup();
    await s.alert();
    await s.alert('Bearer wrong-token-0123456789abcdef');
    const review = await s.app.request('/validate-federatedhpa', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(admissionReview(seedFederatedHPA() as unknown as Record<string, unknown>, 'u1')),
    });
    expect(review.status).toBe(200);
    const text = await s.scrape();
    expect(text).toContain('fhpa_http_requests_total{route="/alerts",code="200"} 1');
    expect(text).toContain('fhpa_http_requests_total{route="/alerts",code="401"} 1');
    expect(text).toContain('fhpa_http_requests_total{route="/validate-federatedhpa",code="200"} 1');
    expect(text).toContain('fhpa_alerts_total{status="firing",outcome="unchanged"} 1');
    expect(text).toContain('fhpa_admission_reviews_total{kind="FederatedHPA",allowed="true"} 1');
    expect(text).toMatch(/fhpa_karmada_requests_total\{verb="get",code="200"\} [1-9]/);
    expect(text).toContain('fhpa_evaluations_total{outcome="unchanged",retryable="false"} 1');
  });

  it('is accepted by promtool check metrics', async () => {
    const s = await setup();
    await s.alert();
    const text = await s.scrape();
    expect(promtoolCheckMetrics(text)).toBe('');
  });
});
