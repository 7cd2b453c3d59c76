// What an evaluation leaves behind when a step fails, over real HTTP against the simulated Karmada: the
// scale event of a PATCH that did not happen is taken back even when another invocation saved on top of it,
// and the trigger is told "retry" exactly when a retry can help (issue 6: "the trigger learns whether a retry
// makes sense").
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { historyKey } from '../../src/pipeline/report.ts';
import { EmbeddedHistoryStore } from '../../src/store/embedded-store.ts';
import type { HistoryKey, HistoryStore } from '../../src/store/history-store.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ref = { namespace: 'default', name: 'sample-app' };
const SCALE_PATH = '/apis/apps/v1/namespaces/default/deployments/sample-app/scale';

async function setup(store?: HistoryStore) {
  h = await startHarness({ ...(store ? { store } : {}), retries: 1 });
  h.sim.applyWalkthrough();
  h.sim.applyFederatedHPA(
    seedFederatedHPA({
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 0 },
      },
    }),
  );
  h.sim.clock.advance(30_000);
  h.sim.setLoad('default', 'sample-app', { rps: 20 });
  return h;
}

/**
 * A store in which another invocation saves right after this one's first save: the next save (the take-back)
 * then meets a version conflict, as it would when a concurrent trigger decided on top of the phantom event.
 */
function storeWithInterloper(clock: () => number) {
  const inner = new EmbeddedHistoryStore({ clock, ttlSeconds: 86_400, onWarning: () => {} });
  let saves = 0;
  const store: HistoryStore = {
    keyString: (k) => inner.keyString(k),
    load: (k) => inner.load(k),
    loadMany: (ks) => inner.loadMany(ks),
    async save(key: HistoryKey, history, expectedVersion) {
      const saved = await inner.save(key, history, expectedVersion);
      if (++saves === 1) {
        // The interloper adds a recommendation of its own (and keeps the phantom event it read).
        await inner.save(
          key,
          {
            ...saved.history,
            recommendations: [...saved.history.recommendations, { timestamp: clock(), replicas: 7 }],
          },
          saved.version,
        );
      }
      return saved;
    },
  };
  return { store, inner };
}

describe('evaluation failure paths', () => {
  it('takes the scale event of a failed PATCH back out of a history another invocation saved on top of', async () => {
    let clock = () => 0;
    const { store, inner } = storeWithInterloper(() => clock());
    const harness = await setup(store);
    clock = harness.deps.clock;
    harness.sim.faults.addRule({ method: 'PATCH', path: SCALE_PATH, errorRate: 1, errorStatus: 500 });

    const r = await evaluate(harness.deps, ref);
    expect(r).toMatchObject({ outcome: 'failed', retryable: true, reason: 'FailedUpdateScale' });
    expect(harness.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 1 });
    const after = await inner.load(historyKey(harness.deps, 'default', 'sample-app'));
    // The +2 that never happened is gone; the interloper's recommendation is kept.
    expect(after.history.scaleUpEvents).toEqual([]);
    expect(after.history.recommendations.map((x) => x.replicas)).toContain(7);
    expect(after.version).toBe(3);

    // So the next evaluation has the whole +2 budget: 1 → 3, not 1 → 1.
    harness.sim.faults.clear();
    harness.sim.clock.advance(15_000);
    expect(await evaluate(harness.deps, ref)).toMatchObject({ outcome: 'scaled', desiredReplicas: 3 });
  });

  it('restores an entry the failed decision overwrote: an old scale-down still limits the next scale-up', async () => {
    const harness = await setup();
    harness.sim.setLoad('default', 'sample-app', { rps: 0.1 });
    const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' };
    const scale = await harness.deps.karmada.getScale('default', target);
    await harness.deps.karmada.patchScale('default', target, 4, scale.resourceVersion);
    harness.sim.clock.advance(10_000);
    const now = harness.deps.clock();
    // A scale-down 40 s ago: past the default scale-down period (15 s), so storeScaleEvent overwrites it with
    // the next scale-down; within the scale-up policy's 60 s, so it still raises the scale-up limit.
    const key = historyKey(harness.deps, 'default', 'sample-app');
    const old = { timestamp: now - 40_000, replicaChange: 2 };
    await harness.store.save(
      key,
      {
        recommendations: [{ timestamp: now - 40_000, replicas: 4 }],
        scaleUpEvents: [],
        scaleDownEvents: [old],
      },
      0,
    );
    harness.sim.faults.addRule({ method: 'PATCH', path: SCALE_PATH, errorRate: 1, errorStatus: 500 });

    const r = await evaluate(harness.deps, ref);
    expect(r).toMatchObject({ outcome: 'failed', reason: 'FailedUpdateScale' });
    expect((await harness.store.load(key)).history.scaleDownEvents).toEqual([old]);
  });

  it('a 409 while the replicas are unchanged writes the same decision again with the new resourceVersion', async () => {
    const harness = await setup();
    // One conflict, as a status write by Karmada's controllers between our read and our write would cause.
    harness.sim.faults.addRule({ method: 'PATCH', path: SCALE_PATH, conflictRate: 1, limit: 1 });
    const writes: number[] = [];
    harness.sim.onScaleWrite((w) => writes.push(w.replicas));
    const r = await evaluate(harness.deps, ref);
    expect(r).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 3 });
    expect(writes).toEqual([3]);
    // The decision's one scale event, never taken back and recorded again.
    const after = await harness.store.load(historyKey(harness.deps, 'default', 'sample-app'));
    expect(after.history.scaleUpEvents.map((e) => e.replicaChange)).toEqual([2]);
    expect(after.version).toBe(1);
  });

  it('a decision superseded by scale conflicts is retryable: nothing was applied', async () => {
    const harness = await setup();
    harness.sim.faults.addRule({ method: 'PATCH', path: SCALE_PATH, conflictRate: 1 });
    const r = await evaluate(harness.deps, ref);
    expect(r).toMatchObject({ outcome: 'superseded', retryable: true });
    expect(harness.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 1 });
    // Both attempts' scale events were taken back.
    const after = await harness.store.load(historyKey(harness.deps, 'default', 'sample-app'));
    expect(after.history.scaleUpEvents).toEqual([]);
  });

  it.each([
    [503, true],
    [429, true],
    [404, false],
    [403, false],
  ] as const)('a metrics API answering %i: unchanged, retryable %s', async (status, retryable) => {
    const harness = await setup();
    harness.sim.faults.addRule({ path: '/**/custom.metrics.k8s.io/**', errorRate: 1, errorStatus: status });
    const r = await evaluate(harness.deps, ref);
    expect(r).toMatchObject({ outcome: 'unchanged', retryable, currentReplicas: 1 });
    expect(harness.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 1 });
  });
});
