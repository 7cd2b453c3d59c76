import { afterEach, describe, expect, it } from 'vitest';
import {
  FALLBACK_AFTER,
  FALLBACK_REPLICAS,
  MODE,
  PAUSED,
  PAUSED_REPLICAS,
} from '../../src/api/annotations.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { historyKey } from '../../src/pipeline/report.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';
import {
  annotatedFederatedHPA,
  EVENTS_PATH,
  SCALE_PATH,
  STATUS_PATH,
  writesSince,
} from '../support/writes.ts';

// Dry run, shadow, pause and fallback on the simulated Karmada over real HTTP: for each, the writes that
// happen and the writes that must not, read from the simulator's request log.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ref = { namespace: 'default', name: 'sample-app' };

async function setup(annotations: Record<string, string>, spec = {}) {
  const harness = await startHarness({ retries: 1 });
  harness.sim.applyWalkthrough();
  harness.sim.applyFederatedHPA(annotatedFederatedHPA(annotations, spec));
  harness.sim.clock.advance(30_000);
  return harness;
}

async function events(harness: Harness) {
  const res = await fetch(`${harness.sim.url}${EVENTS_PATH}`, {
    headers: { Authorization: `Bearer ${harness.sim.token}` },
  });
  return ((await res.json()) as { items: Array<{ reason: string; message: string }> }).items;
}

async function status(harness: Harness) {
  const res = await fetch(`${harness.sim.url}${STATUS_PATH.replace(/\/status$/, '')}`, {
    headers: { Authorization: `Bearer ${harness.sim.token}` },
  });
  const fhpa = (await res.json()) as {
    status?: { desiredReplicas: number; conditions: Array<{ type: string; status: string; reason: string }> };
  };
  return fhpa.status;
}

/** Evaluates every 15 s of simulated time, `n` times, answering the results. */
async function run(harness: Harness, n: number, opts = {}) {
  const results = [];
  for (let i = 0; i < n; i++) {
    results.push(await evaluate(harness.deps, ref, opts));
    harness.sim.clock.advance(15_000);
  }
  return results;
}

describe('dry run', () => {
  it('answers the decision a real evaluation would make and writes nothing, not even history', async () => {
    h = await setup({});
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    await run(h, 1); // a real evaluation seeds the history: the 10 s scale-up window holds the first proposal
    const stored = await h.store.load(historyKey(h.deps, 'default', 'sample-app'));
    const from = h.sim.requestLog.length;
    const dry = await evaluate(h.deps, ref, { dryRun: true });
    expect(dry).toMatchObject({
      outcome: 'dry-run',
      mode: 'dry-run',
      currentReplicas: 1,
      desiredReplicas: 5,
    });
    expect(dry.wouldScale).toBe(true);
    expect(writesSince(h.sim, from)).toEqual([]);
    expect(await h.store.load(historyKey(h.deps, 'default', 'sample-app'))).toEqual(stored);
    // The real evaluation at the same instant decides the same.
    const real = await evaluate(h.deps, ref);
    expect(real).toMatchObject({ outcome: 'scaled', desiredReplicas: 5 });
  });

  it('writes nothing on a failure before the decision either (no status, no event)', async () => {
    h = await setup({});
    h.sim.faults.setRules([{ path: '/apis/apps/v1/namespaces/default/deployments/*/scale', errorRate: 1 }]);
    const from = h.sim.requestLog.length;
    const r = await evaluate(h.deps, ref, { dryRun: true });
    expect(r.outcome).toBe('failed');
    expect(writesSince(h.sim, from)).toEqual([]);
  });
});

describe('shadow mode', () => {
  it('decides as fhpa would, never PATCHes scale or status, and announces each new decision once', async () => {
    h = await setup({ [MODE]: 'shadow' });
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    const from = h.sim.requestLog.length;
    const results = await run(h, 4);
    expect(results.map((r) => r.outcome)).toEqual(['shadow', 'shadow', 'shadow', 'shadow']);
    expect(results.map((r) => r.desiredReplicas)).toEqual([1, 5, 5, 5]);
    expect(results.every((r) => r.currentReplicas === 1)).toBe(true);
    const writes = writesSince(h.sim, from);
    expect(writes.filter((w) => w.includes(SCALE_PATH) || w.includes(STATUS_PATH))).toEqual([]);
    // Only Events, and only on a change: 1 (agrees) then 1 -> 5, not repeated while unchanged.
    expect(writes).toEqual([`POST ${EVENTS_PATH}`, `POST ${EVENTS_PATH}`]);
    const shadow = (await events(h)).filter((e) => e.reason === 'ShadowRecommendation');
    expect(shadow.map((e) => e.message)).toEqual([
      'fhpa (autoscaling.fhpa.io/mode=shadow) agrees with the current 1 replicas',
      'fhpa (autoscaling.fhpa.io/mode=shadow) would scale 1 -> 5; reason: pods metric http_requests above target',
    ]);
    expect(h.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 1 });
    expect(await status(h)).toBeUndefined();
    // Same history as an active fhpa keeps: the last evaluation's recommendation (the engine keeps only the
    // window's), but no scale event for a scale it never made.
    const stored = await h.store.load(historyKey(h.deps, 'default', 'sample-app'));
    expect(stored.history.recommendations.map((r) => r.timestamp)).toContain(h.sim.clock.now() - 15_000);
    expect(stored.history.scaleUpEvents).toEqual([]);
  });

  it('FHPA_MODE=shadow shadows every FederatedHPA; mode=active on one takes it over', async () => {
    h = await setup({});
    h.deps.mode = 'shadow';
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    const from = h.sim.requestLog.length;
    expect((await run(h, 2)).map((r) => r.outcome)).toEqual(['shadow', 'shadow']);
    expect(writesSince(h.sim, from).filter((w) => w.includes(SCALE_PATH))).toEqual([]);
    h.sim.applyFederatedHPA(annotatedFederatedHPA({ [MODE]: 'active' }));
    const r = await evaluate(h.deps, ref);
    // The shadow evaluations' recommendations fill the window: the takeover scales at once, no jump beyond 5.
    expect(r).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 5 });
  });
});

describe('pause', () => {
  it('paused writes nothing to Karmada and keeps recommending; removing it resumes from that history', async () => {
    h = await setup({ [PAUSED]: 'true' });
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    const from = h.sim.requestLog.length;
    const paused = await run(h, 3);
    expect(paused.map((r) => r.outcome)).toEqual(['paused', 'paused', 'paused']);
    expect(paused.map((r) => r.desiredReplicas)).toEqual([1, 5, 5]);
    expect(writesSince(h.sim, from)).toEqual([]);
    const stored = await h.store.load(historyKey(h.deps, 'default', 'sample-app'));
    const last = stored.history.recommendations.find((r) => r.timestamp === h!.sim.clock.now() - 15_000);
    expect(last?.replicas).toBeGreaterThan(1);
    expect(stored.history.scaleUpEvents).toEqual([]);

    h.sim.applyFederatedHPA(seedFederatedHPA());
    const resumed = await evaluate(h.deps, ref);
    // The window already holds the paused evaluations' 5s: the first evaluation after pause scales by the
    // same policy step an unpaused fhpa would have taken (1 -> 5), not further.
    expect(resumed).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 5 });
  });

  it('paused-replicas holds the workload at N: one scale write, then none while it stays there', async () => {
    h = await setup({ [PAUSED_REPLICAS]: '3' });
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    const from = h.sim.requestLog.length;
    const results = await run(h, 3);
    expect(results.map((r) => [r.outcome, r.desiredReplicas])).toEqual([
      ['paused', 3],
      ['paused', 3],
      ['paused', 3],
    ]);
    const scaleWrites = writesSince(h.sim, from).filter((w) => w.includes(SCALE_PATH));
    expect(scaleWrites).toEqual([`PATCH ${SCALE_PATH}`]);
    const s = await status(h);
    expect(s?.desiredReplicas).toBe(3);
    expect(s?.conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({
      status: 'False',
      reason: 'ScalingPaused',
    });
  });

  it('shadow wins over paused-replicas: an operator comparing controllers never has fhpa move the workload', async () => {
    h = await setup({ [PAUSED_REPLICAS]: '3', [MODE]: 'shadow' });
    const from = h.sim.requestLog.length;
    expect((await run(h, 1))[0]?.outcome).toBe('shadow');
    expect(writesSince(h.sim, from).filter((w) => !w.includes(EVENTS_PATH))).toEqual([]);
  });
});

describe('fallback', () => {
  const metricsDown = [
    {
      path: '/apis/cluster.karmada.io/v1alpha1/clusters/*/proxy/apis/custom.metrics.k8s.io/**',
      errorRate: 1,
      errorStatus: 503 as const,
    },
    { path: '/apis/custom.metrics.k8s.io/**', errorRate: 1, errorStatus: 503 as const },
  ];

  it('scales to the fallback count only after N evaluations without a metric, and back to normal after', async () => {
    h = await setup({ [FALLBACK_REPLICAS]: '4', [FALLBACK_AFTER]: '2' });
    h.sim.faults.setRules(metricsDown);
    const from = h.sim.requestLog.length;
    const first = await run(h, 1);
    expect(first[0]).toMatchObject({ outcome: 'unchanged', desiredReplicas: 1 });
    expect(writesSince(h.sim, from).filter((w) => w.includes(SCALE_PATH))).toEqual([]);
    expect((await h.store.load(historyKey(h.deps, 'default', 'sample-app'))).history.metricFailures).toBe(1);

    const second = await run(h, 1);
    expect(second[0]).toMatchObject({ outcome: 'scaled', desiredReplicas: 4, fallback: true });
    expect(writesSince(h.sim, from).filter((w) => w.includes(SCALE_PATH))).toEqual([`PATCH ${SCALE_PATH}`]);
    expect((await status(h))?.conditions.find((c) => c.type === 'Fallback')).toMatchObject({
      status: 'True',
      reason: 'FallbackReplicas',
    });
    expect((await events(h)).some((e) => e.reason === 'FallbackReplicas')).toBe(true);

    h.sim.faults.setRules([]);
    h.sim.setLoad('default', 'sample-app', { rps: 0.2 });
    h.sim.clock.advance(30_000); // the fallback pods become ready
    const back = await evaluate(h.deps, ref);
    expect(back.fallback).toBeUndefined();
    expect((await h.store.load(historyKey(h.deps, 'default', 'sample-app'))).history.metricFailures).toBe(
      undefined,
    );
    expect((await status(h))?.conditions.find((c) => c.type === 'Fallback')).toMatchObject({
      status: 'False',
      reason: 'MetricsAvailable',
    });
  });

  it('never leaves min/max: a fallback above maxReplicas scales to maxReplicas', async () => {
    // Without behavior (Kubernetes' legacy limits: at most max(2 × current, 4) up), one step reaches max 3.
    h = await setup(
      { [FALLBACK_REPLICAS]: '50', [FALLBACK_AFTER]: '1' },
      { maxReplicas: 3, behavior: undefined },
    );
    h.sim.faults.setRules(metricsDown);
    const [r] = await run(h, 1);
    expect(r).toMatchObject({ outcome: 'scaled', desiredReplicas: 3, fallback: true });
    expect(Object.values(h.sim.memberReplicas('default', 'sample-app')).reduce((a, b) => a + b)).toBe(3);
  });

  it('goes through the behavior policies like any proposal (KEDA feeds the fallback to the HPA as a metric)', async () => {
    h = await setup(
      { [FALLBACK_REPLICAS]: '10', [FALLBACK_AFTER]: '1' },
      {
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }],
          },
        },
      },
    );
    h.sim.faults.setRules(metricsDown);
    const results = await run(h, 3);
    // +2 pods per 60 s: 1 -> 3, then held by the policy for the rest of the minute.
    expect(results.map((r) => [r.outcome, r.desiredReplicas])).toEqual([
      ['scaled', 3],
      ['unchanged', 3],
      ['unchanged', 3],
    ]);
  });

  it('without the annotation, missing metrics scale nothing however long they last', async () => {
    h = await setup({});
    h.sim.faults.setRules(metricsDown);
    const from = h.sim.requestLog.length;
    const results = await run(h, 5);
    expect(results.every((r) => r.outcome === 'unchanged')).toBe(true);
    expect(writesSince(h.sim, from).filter((w) => w.includes(SCALE_PATH))).toEqual([]);
  });
});

describe('annotations the webhook would refuse', () => {
  it('an invalid annotation on a live object stops the evaluation before any write, naming the field', async () => {
    h = await setup({ [PAUSED]: 'yes' });
    const from = h.sim.requestLog.length;
    const r = await evaluate(h.deps, ref);
    expect(r).toMatchObject({ outcome: 'failed', retryable: false, reason: 'InvalidAnnotation' });
    expect(r.message).toBe(
      'metadata.annotations[autoscaling.fhpa.io/paused]: must be one of "true", "false"',
    );
    expect(writesSince(h.sim, from)).toEqual([]);
  });
});
