import { afterEach, describe, expect, it } from 'vitest';
import { runCronFederatedHPAs } from '../../src/pipeline/cron-execute.ts';
import { runScheduled, runTicks } from '../../src/pipeline/scheduled.ts';
import { sweep } from '../../src/pipeline/sweep.ts';
import type { PipelineObserver } from '../../src/pipeline/types.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { applyApp, seedFederatedHPA } from '../support/seed.ts';

// The scheduled trigger against the simulated Karmada: the sweep over every FederatedHPA (batched history
// reads, bounded concurrency, shards) and CronFederatedHPA rules run from their status.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function addApps(harness: Harness, count: number) {
  for (let i = 0; i < count; i++) applyApp(harness.sim, `app-${i}`);
}

describe('sweep', () => {
  it('evaluates every FederatedHPA with one batched history read and at most one write each', async () => {
    h = await startHarness();
    addApps(h, 12);
    h.sim.clock.advance(30_000);
    let reads = 0;
    let writes = 0;
    const observer: PipelineObserver = { storeRead: (n) => (reads += n), storeWrite: () => writes++ };
    const result = await sweep({ ...h.deps, observer }, { concurrency: 4 });
    expect(result.listed).toBe(12);
    expect(result.evaluated).toBe(12);
    expect(result.countsByOutcome).toEqual({ unchanged: 12 });
    expect(reads).toBe(1);
    expect(writes).toBe(12);
  });

  it('lists member clusters once per sweep, not once per evaluation', async () => {
    h = await startHarness();
    addApps(h, 6);
    h.sim.clock.advance(30_000);
    const before = h.sim.requestLog.length;
    const result = await sweep(h.deps, { concurrency: 3 });
    expect(result.countsByOutcome).toEqual({ unchanged: 6 });
    const clusterLists = h.sim.requestLog
      .slice(before)
      .filter(
        (r) => r.method === 'GET' && r.path.split('?')[0] === '/apis/cluster.karmada.io/v1alpha1/clusters',
      );
    expect(clusterLists).toHaveLength(1);
  });

  it('splits FederatedHPAs over shards with nothing evaluated twice or missed', async () => {
    h = await startHarness();
    addApps(h, 10);
    const seen: string[] = [];
    for (let index = 0; index < 3; index++) {
      const r = await sweep(h.deps, { shard: { index, count: 3 } });
      seen.push(...r.results.map((x) => x.name));
    }
    expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `app-${i}`).sort());
  });

  it('evaluates only a given subset, listing only their namespaces, and answers a missing one not-found', async () => {
    h = await startHarness();
    addApps(h, 6);
    h.sim.clock.advance(30_000);
    const before = h.sim.requestLog.length;
    const r = await sweep(h.deps, {
      only: [
        { namespace: 'default', name: 'app-1' },
        { namespace: 'default', name: 'app-4' },
        { namespace: 'default', name: 'gone' },
      ],
    });
    expect(r.results.map((x) => `${x.name}:${x.outcome}`).sort()).toEqual([
      'app-1:unchanged',
      'app-4:unchanged',
      'gone:not-found',
    ]);
    expect(r.evaluated).toBe(2);
    const fhpaLists = h.sim.requestLog
      .slice(before)
      .filter((x) => x.method === 'GET' && x.path.split('?')[0]!.endsWith('/federatedhpas'));
    expect(fhpaLists.map((x) => x.path.split('?')[0])).toEqual([
      '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas',
    ]);
  });

  it('stops starting evaluations at the deadline and says how many it skipped', async () => {
    h = await startHarness();
    addApps(h, 5);
    const r = await sweep(h.deps, { deadline: h.deps.clock() });
    expect(r.skippedForDeadline).toBe(5);
    expect(r.results.every((x) => x.retryable)).toBe(true);
  });

  it('runs several ticks per invocation, spaced by the interval on the injected clock', async () => {
    h = await startHarness();
    addApps(h, 2);
    const harness = h;
    const sleeps: number[] = [];
    const summaries = await runTicks(h.deps, {
      ticks: 4,
      intervalMs: 15_000,
      sleep: async (ms) => {
        sleeps.push(ms);
        harness.sim.clock.advance(ms);
      },
    });
    expect(summaries).toHaveLength(4);
    expect(sleeps).toEqual([15_000, 15_000, 15_000]);
  });
});

describe('CronFederatedHPA on the scheduled trigger', () => {
  const cron = (
    rules: Array<Record<string, unknown>>,
    target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
  ) => ({
    apiVersion: 'autoscaling.karmada.io/v1alpha1' as const,
    kind: 'CronFederatedHPA' as const,
    metadata: { name: 'nightly', namespace: 'default' },
    spec: { scaleTargetRef: target, rules: rules as never },
  });

  it('schedules a new rule, runs it when due, records the execution, and scales the workload', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyCronFederatedHPA(
      cron([{ name: 'scale-up', schedule: '*/5 * * * *', targetReplicas: 4, timeZone: 'UTC' }]),
    );

    const first = await runCronFederatedHPAs(h.deps);
    expect(first).toMatchObject({ cronFederatedHPAs: 1, due: 0 });
    h.sim.clock.advance(5 * 60_000);
    const second = await runCronFederatedHPAs(h.deps);
    expect(second).toMatchObject({ due: 1, succeeded: 1, failed: 0 });
    expect(h.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 2, member2: 2 });

    const res = await fetch(
      `${h.sim.url}/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/cronfederatedhpas/nightly`,
      {
        headers: { Authorization: `Bearer ${h.sim.token}` },
      },
    );
    const obj = (await res.json()) as { status: { executionHistories: Array<Record<string, unknown>> } };
    const history = obj.status.executionHistories[0]!;
    expect(history.ruleName).toBe('scale-up');
    expect(history.successfulExecutions).toHaveLength(1);
    expect((history.successfulExecutions as Array<Record<string, unknown>>)[0]).toMatchObject({
      appliedReplicas: 4,
    });
    expect(Date.parse(history.nextExecutionTime as string)).toBe(
      h.sim.clock.now() + 5 * 60_000 - (h.sim.clock.now() % (5 * 60_000)),
    );
  });

  it('sets min/max of a FederatedHPA target and records a failure for an impossible one', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyFederatedHPA(seedFederatedHPA());
    h.sim.applyCronFederatedHPA(
      cron(
        [
          { name: 'widen', schedule: '0 * * * *', targetMinReplicas: 2, targetMaxReplicas: 20 },
          { name: 'broken', schedule: '0 * * * *', targetMinReplicas: 50 },
        ],
        { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: 'sample-app' },
      ),
    );
    await runCronFederatedHPAs(h.deps);
    h.sim.clock.advance(60 * 60_000);
    const run = await runCronFederatedHPAs(h.deps);
    expect(run).toMatchObject({ due: 2, succeeded: 1, failed: 1 });
    const fhpa = await h.deps.karmada.getFederatedHPA('default', 'sample-app');
    expect(fhpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 20 });
  });

  it('retries the scale write on a 409 from the status write of pods turning ready, as RetryOnConflict does', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyCronFederatedHPA(cron([{ name: 'up', schedule: '*/5 * * * *', targetReplicas: 4 }]));
    await runCronFederatedHPAs(h.deps);
    h.sim.clock.advance(5 * 60_000 - 2_000);
    const scalePath = '/apis/apps/v1/namespaces/default/deployments/sample-app/scale';
    const res = await fetch(`${h.sim.url}${scalePath}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${h.sim.token}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: 2 } }),
    });
    expect(res.status).toBe(200);
    h.sim.clock.advance(2_000);
    // The rule's write takes 10 simulated seconds to arrive: the new pod turns ready meanwhile, Karmada writes
    // the template's status, and the resourceVersion the rule read is stale.
    h.sim.state.faults.setRules([
      { method: 'PATCH', path: scalePath, latencyMs: 10_000, latencyMode: 'simulated' },
    ]);
    const before = h.sim.requestLog.length;
    const run = await runCronFederatedHPAs(h.deps);
    expect(run).toMatchObject({ due: 1, succeeded: 1, failed: 0 });
    const writes = h.sim.requestLog
      .slice(before)
      .filter((r) => r.method === 'PATCH' && r.path === scalePath)
      .map((r) => r.status);
    expect(writes).toEqual([409, 200]);
    expect(h.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 2, member2: 2 });
  });

  it('records StartRuleFailed once for a rule that cannot start, not on every tick', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyCronFederatedHPA(
      cron([{ name: 'bad', schedule: '0 0 30 2 *', targetReplicas: 2, timeZone: 'UTC' }]),
    );
    for (let tick = 0; tick < 3; tick++) {
      await runCronFederatedHPAs(h.deps);
      h.sim.clock.advance(60_000);
    }
    const res = await fetch(`${h.sim.url}/api/v1/namespaces/default/events`, {
      headers: { Authorization: `Bearer ${h.sim.token}` },
    });
    const events = ((await res.json()) as { items: { reason: string; count: number; message: string }[] })
      .items;
    expect(events.filter((e) => e.reason === 'StartRuleFailed').map((e) => [e.count, e.message])).toEqual([
      [1, expect.stringMatching(/^bad: spec\.rules\[0\]\.schedule: /)],
    ]);
  });

  it('runs a due rule once when two ticks overlap (the status write claims it)', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyCronFederatedHPA(cron([{ name: 'r', schedule: '* * * * *', targetReplicas: 2 }]));
    await runCronFederatedHPAs(h.deps);
    h.sim.clock.advance(60_000);
    const [a, b] = await Promise.all([runScheduled(h.deps), runScheduled(h.deps)]);
    expect(a.cron.succeeded + b.cron.succeeded).toBe(1);
    expect(a.cron.claimedElsewhere + b.cron.claimedElsewhere).toBe(1);
  });
});
