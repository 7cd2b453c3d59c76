import { afterEach, describe, expect, it } from 'vitest';
import { MODE } from '../../src/api/annotations.ts';
import { createApp } from '../../src/app/app.ts';
import { PipelineMetrics } from '../../src/app/prometheus.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';
import { annotatedFederatedHPA, writesSince } from '../support/writes.ts';

// POST /evaluate over the Hono app: `?dryRun=All` as Kubernetes spells it, and shadow decisions on /metrics.

const TOKEN = 'evaluate-route-bearer-token-0123';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(fhpa = seedFederatedHPA()) {
  h = await startHarness();
  h.sim.applyWalkthrough();
  h.sim.applyFederatedHPA(fhpa);
  h.sim.clock.advance(30_000);
  const harness = h;
  const metrics = new PipelineMetrics({ processMetrics: false });
  const app = createApp({
    deps: () => ({ ...harness.deps, observer: metrics }),
    credentials: { bearerToken: TOKEN },
    maxBodyBytes: 64 * 1024,
    metrics,
  });
  return { app, metrics };
}

const post = (app: ReturnType<typeof createApp>, query = '') =>
  app.request(`/evaluate/default/sample-app${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
  });

describe('POST /evaluate?dryRun=All', () => {
  it('answers the decision and writes nothing: no scale, no status, no event, no history', async () => {
    const { app } = await setup();
    h!.sim.setLoad('default', 'sample-app', { rps: 20 });
    const from = h!.sim.requestLog.length;
    for (let i = 0; i < 3; i++) {
      const res = await post(app, '?dryRun=All');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ outcome: 'dry-run', mode: 'dry-run', currentReplicas: 1 });
      h!.sim.clock.advance(15_000);
    }
    expect(writesSince(h!.sim, from)).toEqual([]);
    expect((await h!.store.load({ scope: 'test', namespace: 'default', name: 'sample-app' })).version).toBe(
      0,
    );
    expect(h!.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 1 });
  });

  it('refuses any other dryRun value, naming the parameter', async () => {
    const { app } = await setup();
    const res = await post(app, '?dryRun=Server');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'dryRun: unsupported value "Server": the only supported value is "All"',
    });
  });
});

describe('shadow decisions on /metrics', () => {
  it('exposes desired beside current replicas per FederatedHPA and counts disagreements', async () => {
    const { app } = await setup(annotatedFederatedHPA({ [MODE]: 'shadow' }));
    h!.sim.setLoad('default', 'sample-app', { rps: 20 });
    for (let i = 0; i < 3; i++) {
      const res = await post(app);
      expect(((await res.json()) as { outcome: string }).outcome).toBe('shadow');
      h!.sim.clock.advance(15_000);
    }
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('fhpa_shadow_desired_replicas{namespace="default",name="sample-app"} 5');
    expect(text).toContain('fhpa_shadow_current_replicas{namespace="default",name="sample-app"} 1');
    // The first decision agreed (the scale-up window held it); the next two would have scaled.
    expect(text).toContain('fhpa_shadow_disagreements_total{namespace="default",name="sample-app"} 2');
    expect(text).toContain('fhpa_evaluations_total{outcome="shadow",retryable="false"} 3');
  });
});
