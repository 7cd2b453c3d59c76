import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// One evaluation end to end, over real HTTP against the simulated Karmada: reads, decision, history,
// scale PATCH, status and events. Time is the simulator's clock, advanced by the test.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ref = { namespace: 'default', name: 'sample-app' };

async function seedSetup(harness: Harness) {
  harness.sim.applyWalkthrough();
  harness.sim.applyFederatedHPA(seedFederatedHPA());
  harness.sim.clock.advance(30_000); // the first pod is Running and Ready
}

async function getJson(harness: Harness, path: string) {
  const res = await fetch(`${harness.sim.url}${path}`, {
    headers: { Authorization: `Bearer ${harness.sim.token}` },
  });
  return (await res.json()) as Record<string, unknown> & { items?: Array<Record<string, unknown>> };
}

describe('evaluate (seed walkthrough on the simulated Karmada)', () => {
  it('scales sample-app up to 10 (5 in member1, 5 in member2) under load and back to 1 after it', async () => {
    h = await startHarness();
    await seedSetup(h);
    h.sim.setLoad('default', 'sample-app', { rps: 20 });

    const replicasOverTime: number[] = [];
    for (let t = 0; t < 120; t += 15) {
      if (t === 60) h.sim.setLoad('default', 'sample-app', { rps: 0.2 });
      const r = await evaluate(h.deps, ref);
      expect(r.outcome === 'scaled' || r.outcome === 'unchanged').toBe(true);
      replicasOverTime.push(r.desiredReplicas!);
      if (r.desiredReplicas === 10) {
        expect(h.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 5, member2: 5 });
      }
      h.sim.clock.advance(15_000);
    }
    for (let t = 0; t < 120 && replicasOverTime.at(-1) !== 1; t += 15) {
      const r = await evaluate(h.deps, ref);
      replicasOverTime.push(r.desiredReplicas!);
      h.sim.clock.advance(15_000);
    }
    expect(Math.max(...replicasOverTime)).toBe(10);
    expect(replicasOverTime.at(-1)).toBe(1);
    // Policy: from 1, at most +4 pods per 15 s (Kubernetes' default scale-up policies), so never 1 → 10 at once.
    for (let i = 1; i < replicasOverTime.length; i++) {
      const up = replicasOverTime[i]! - replicasOverTime[i - 1]!;
      expect(up).toBeLessThanOrEqual(Math.max(4, replicasOverTime[i - 1]!));
    }
    expect(h.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 1 });
  });

  it('writes status (replicas, metrics, conditions, observedGeneration) and a SuccessfulRescale event', async () => {
    h = await startHarness();
    await seedSetup(h);
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    await evaluate(h.deps, ref); // seeds the history: the 10 s scale-up window holds the first proposal
    h.sim.clock.advance(15_000);
    const r = await evaluate(h.deps, ref);
    expect(r).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 5 });

    const fhpa = await getJson(
      h,
      '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas/sample-app',
    );
    const status = fhpa.status as Record<string, unknown>;
    expect(status.desiredReplicas).toBe(5);
    expect(status.currentReplicas).toBe(1);
    expect(status.lastScaleTime).toBeDefined();
    expect(status.observedGeneration).toBe((fhpa.metadata as { generation: number }).generation);
    const conditions = status.conditions as Array<{ type: string; status: string; reason: string }>;
    expect(conditions.find((c) => c.type === 'AbleToScale')).toMatchObject({
      status: 'True',
      reason: 'SucceededRescale',
    });
    expect(conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({
      status: 'True',
      reason: 'ValidMetricFound',
    });
    expect(conditions.find((c) => c.type === 'ScalingLimited')).toMatchObject({
      status: 'True',
      reason: 'ScaleUpLimit',
    });

    const events = await getJson(h, '/api/v1/namespaces/default/events');
    const rescale = events.items?.find((e) => e.reason === 'SuccessfulRescale');
    expect(rescale?.message).toMatch(/^New size: 5; reason: /);
    expect(rescale?.type).toBe('Normal');
  });

  it('answers not-found, not retryable, for a FederatedHPA that does not exist', async () => {
    h = await startHarness();
    const r = await evaluate(h.deps, { namespace: 'default', name: 'nope' });
    expect(r).toMatchObject({ outcome: 'not-found', retryable: false });
  });

  it('scales nothing when the metrics API is down, says why in status and an event, and asks for a retry', async () => {
    h = await startHarness({ retries: 1 });
    await seedSetup(h);
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    await evaluate(h.deps, ref);
    h.sim.clock.advance(15_000);
    h.sim.faults.setRules([
      {
        path: '/apis/cluster.karmada.io/v1alpha1/clusters/*/proxy/apis/custom.metrics.k8s.io/**',
        errorRate: 1,
        errorStatus: 503,
      },
      { path: '/apis/custom.metrics.k8s.io/**', errorRate: 1, errorStatus: 503 },
    ]);
    const before = h.sim.counters.scaleWrites.applied;
    const r = await evaluate(h.deps, ref);
    expect(r.outcome).not.toBe('scaled');
    expect(h.sim.counters.scaleWrites.applied).toBe(before);
    expect(h.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 1 });
    const events = await getJson(h, '/api/v1/namespaces/default/events');
    expect(events.items?.some((e) => e.reason === 'FailedGetPodsMetric')).toBe(true);
    const fhpa = await getJson(
      h,
      '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas/sample-app',
    );
    const conditions = (fhpa.status as { conditions: Array<{ type: string; status: string }> }).conditions;
    expect(conditions.find((c) => c.type === 'ScalingActive')?.status).toBe('False');
  });
});
