import { afterEach, describe, expect, it } from 'vitest';
import { sweep } from '../../src/pipeline/sweep.ts';
import type { ScaleWrite } from '../../src/sim/index.ts';
import { addScalingApps } from '../support/fleet.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';

// The sweep's ownership hook (SweepOptions.owns), which partition leases plug into: asked when the sweep
// starts and again before each evaluation, so a lease lost mid-sweep stops evaluations at once; and why an
// overlap between two owners is harmless: the history's version guard lets one decision through.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('sweep ownership', () => {
  it('evaluates only what owns() accepts, and asks again before each evaluation', async () => {
    h = await startHarness();
    const names = addScalingApps(h.sim, 8);
    h.sim.clock.advance(60_000);
    const owned = new Set(names.slice(0, 6).map((n) => `default/${n}`));
    const asked: string[] = [];
    const result = await sweep(h.deps, {
      concurrency: 1,
      owns: (key) => {
        asked.push(key);
        // The lease covering app-5 is lost just before app-4's evaluation, after the sweep began.
        if (key === 'default/app-4' && asked.filter((k) => k === key).length === 2)
          owned.delete('default/app-5');
        return owned.has(key);
      },
    });
    expect(result.listed).toBe(8);
    expect(result.evaluated).toBe(5);
    expect(result.skippedForLease).toBe(1);
    expect(result.results.find((r) => r.name === 'app-5')).toMatchObject({
      outcome: 'superseded',
      retryable: false,
      message: 'skipped: partition lease lost',
    });
    expect(result.countsByOutcome.failed).toBeUndefined();
    expect(result.results.map((r) => r.name).sort()).toEqual(names.slice(0, 6));
    // Every listed one once when the sweep starts, every owned one again before its evaluation.
    expect(asked.filter((k) => k === 'default/app-2')).toHaveLength(2);
    expect(asked.filter((k) => k === 'default/app-7')).toHaveLength(1);
  });

  it('keeps FHPA_SWEEP_SHARD as before: the shard is the same kind of test', async () => {
    h = await startHarness();
    addScalingApps(h.sim, 8);
    h.sim.clock.advance(60_000);
    const shards = await Promise.all([0, 1].map((index) => sweep(h!.deps, { shard: { index, count: 2 } })));
    expect(shards[0]!.evaluated + shards[1]!.evaluated).toBe(8);
    const seen = shards.flatMap((s) => s.results.map((r) => r.name));
    expect(new Set(seen).size).toBe(8);
  });

  it('scales each FederatedHPA once when two owners sweep it at the same moment (the version guard)', async () => {
    h = await startHarness();
    const names = addScalingApps(h.sim, 6);
    h.sim.clock.advance(60_000);
    const writes: ScaleWrite[] = [];
    h.sim.onScaleWrite((w) => writes.push(w));
    // Two replicas that both believe they own everything (an overlap while a lease moves), one store.
    const [a, b] = await Promise.all([
      sweep(h.deps, { owns: () => true }),
      sweep(h.deps, { owns: () => true }),
    ]);
    // Both decided for every one of them (12 evaluations), the same 1 → 4…
    const results = [...a.results, ...b.results];
    expect(results).toHaveLength(12);
    expect(results.every((r) => r.currentReplicas === 1 && r.desiredReplicas === 4)).toBe(true);
    // …and each scale was written once: the second PATCH was guarded away.
    for (const name of names) {
      expect(writes.filter((w) => w.name === name).map((w) => w.replicas)).toEqual([4]);
      const stored = await h.store.load({ scope: 'test', namespace: 'default', name });
      expect(stored.history.scaleUpEvents).toHaveLength(1);
    }
  });
});
