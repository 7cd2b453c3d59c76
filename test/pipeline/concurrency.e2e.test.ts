import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKarmadaAdapter } from '../../src/karmada/adapter.ts';
import { silentLogger } from '../../src/log.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import { startSimulator } from '../../src/sim/index.ts';
import { createHistoryStore, parseStoreConfig } from '../../src/store/config.ts';
import { connectorFor } from '../../src/store/connect.ts';
import type { HistoryStore } from '../../src/store/history-store.ts';
import { type DynaliteServer, dynaliteEnv, initDynaliteTable, startDynalite } from '../support/dynalite.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// Many simultaneous triggers of one FederatedHPA, each a separate "invocation" (its own Karmada client and
// its own DynamoDB client, as separate Lambda or Worker invocations would be), sharing one real
// DynamoDB-compatible table (dynalite) and one simulated Karmada. The invariants of issue 6: the scale-up
// policy is never exceeded, a decision is applied at most once, and no successful evaluation's
// recommendation is lost.

let dynalite: DynaliteServer;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.stop();
});

async function invocation(simUrl: string, token: string, env: Record<string, string>, clock: () => number) {
  const store: HistoryStore = await createHistoryStore(parseStoreConfig(env), {
    connect: connectorFor('sdk'),
    onWarning: () => {},
    clock,
  });
  const deps: PipelineDeps = {
    karmada: createKarmadaAdapter({ connection: { server: simUrl, token }, timeoutMs: 5_000 }),
    store,
    clock,
    scope: 'storm',
    log: silentLogger,
  };
  return deps;
}

describe('concurrent evaluations of one FederatedHPA (DynamoDB store)', () => {
  it.each([8, 24])(
    '%i simultaneous triggers: one scale-up within policy, no recommendation lost',
    async (n) => {
      const table = `storm-${n}`;
      const env = dynaliteEnv(dynalite.endpoint, table);
      await initDynaliteTable(dynalite.endpoint, table);

      const sim = await startSimulator({ clusters: ['member1', 'member2'] });
      try {
        sim.applyWalkthrough();
        // At most +2 pods per minute, however hard the load pushes.
        sim.applyFederatedHPA(
          seedFederatedHPA({
            behavior: {
              scaleUp: {
                stabilizationWindowSeconds: 0,
                selectPolicy: 'Max',
                policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }],
              },
              scaleDown: { stabilizationWindowSeconds: 10 },
            },
          }),
        );
        sim.clock.advance(30_000);
        sim.setLoad('default', 'sample-app', { rps: 50 });
        const clock = () => sim.clock.now();

        const invocations = await Promise.all(
          Array.from({ length: n }, () => invocation(sim.url, sim.token, env, clock)),
        );
        const results = await Promise.all(
          invocations.map((d) => evaluate(d, { namespace: 'default', name: 'sample-app' })),
        );

        const decided = results.filter((r) => r.outcome === 'scaled' || r.outcome === 'unchanged');
        const failed = results.filter((r) => r.outcome === 'failed');
        // Every invocation either decided or says a retry makes sense: nothing is silently dropped.
        expect(failed.every((r) => r.retryable)).toBe(true);
        expect(
          decided.length + failed.length + results.filter((r) => r.outcome === 'superseded').length,
        ).toBe(n);
        expect(decided.length).toBeGreaterThan(0);

        // The policy holds: 1 → 3 at most, applied once.
        expect(results.filter((r) => r.outcome === 'scaled')).toHaveLength(1);
        expect(sim.counters.scaleWrites.applied).toBe(1);
        const replicas = Object.values(sim.memberReplicas('default', 'sample-app')).reduce(
          (a, b) => a + b,
          0,
        );
        expect(replicas).toBe(3);

        // No history lost: every decision's recommendation is in the stored history.
        const stored = await invocations[0]!.store.load({
          scope: 'storm',
          namespace: 'default',
          name: 'sample-app',
        });
        const now = clock();
        const atNow = stored.history.recommendations.filter((r) => r.timestamp === now);
        expect(atNow.length).toBeGreaterThanOrEqual(decided.length);
        expect(stored.history.scaleUpEvents.filter((e) => e.timestamp === now)).toEqual([
          { timestamp: now, replicaChange: 2 },
        ]);
      } finally {
        await sim.close();
      }
    },
  );
});
