import { afterEach, describe, expect, it } from 'vitest';
import { alertNotification } from '../../bench/support/fixtures.ts';
import { FOLLOW_UP_WINDOW_MS } from '../../src/app/alert-follow-up.ts';
import { createApp } from '../../src/app/app.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// Issue 17.4: an alert whose evaluation could not see the whole picture is not used up. While it is young it is
// answered 503 (Alertmanager sends it again); once it has fired for FOLLOW_UP_WINDOW_MS it is answered 200, so
// a condition that lasts does not turn into endless retries. An evaluation that saw everything is 200 at once.

const TOKEN = 'alertmanager-bearer-token-0123456789';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(metric: string) {
  h = await startHarness();
  h.sim.applyWalkthrough();
  const fhpa = seedFederatedHPA();
  const spec = fhpa.spec.metrics?.[0];
  if (!spec?.pods) throw new Error('the seed FederatedHPA has a Pods metric');
  h.sim.applyFederatedHPA({
    ...fhpa,
    spec: { ...fhpa.spec, metrics: [{ ...spec, pods: { ...spec.pods, metric: { name: metric } } }] },
  });
  h.sim.clock.advance(60_000);
  const harness = h;
  const app = createApp({
    deps: () => harness.deps,
    credentials: { bearerToken: TOKEN },
    maxBodyBytes: 64 * 1024,
  });
  return async (startedAgoMs: number) => {
    const body = alertNotification([{ namespace: 'default', name: 'sample-app' }]);
    body.alerts[0]!.startsAt = new Date(harness.sim.clock.now() - startedAgoMs).toISOString();
    const res = await app.request('/alerts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as {
        alerts: Array<{ outcome: string; retryable: boolean; message?: string }>;
      },
    };
  };
}

describe('alerts whose evaluation could not see the whole picture', () => {
  it('are answered 503 while young, so Alertmanager sends them again', async () => {
    const post = await setup('queue_depth'); // a metric the metrics adapter does not serve
    const r = await post(10_000);
    expect(r.status).toBe(503);
    expect(r.retryAfter).toBe('10');
    expect(r.body.alerts[0]).toMatchObject({ outcome: 'unchanged', retryable: true });
    expect(r.body.alerts[0]?.message).toContain('queue_depth');
  });

  it('are answered 200 once they have fired for the follow-up window (no endless retries)', async () => {
    const post = await setup('queue_depth');
    const r = await post(FOLLOW_UP_WINDOW_MS + 1_000);
    expect(r.status).toBe(200);
    expect(r.body.alerts[0]).toMatchObject({ outcome: 'unchanged', retryable: false });
  });

  it('are answered 200 at once when the evaluation saw every metric', async () => {
    const post = await setup('http_requests');
    const r = await post(10_000);
    expect(r.status).toBe(200);
    expect(r.body.alerts[0]?.retryable).toBe(false);
  });
});
