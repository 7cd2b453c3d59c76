import { afterEach, describe, expect, it } from 'vitest';
import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import type { KarmadaAdapter } from '../../src/karmada/adapter.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { scaleWriteInFlightMs } from '../../src/pipeline/scale-write.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import { DEPLOYMENTS, EVENTS, FEDERATED_HPAS } from '../../src/sim/resources.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// The process dies between the history save and the scale PATCH (a queue consumer killed mid-batch, a Lambda
// timeout): the history holds a scale event that never happened. The next evaluation takes it back, since the
// scale still carries the resourceVersion the PATCH was guarded by (src/engine/unlanded-scale.ts): it scales
// as far as the policy allows, and blames no other writer. A PATCH that landed before the crash keeps its event.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const ref = { namespace: 'default', name: 'sample-app' };
const IN_FLIGHT = scaleWriteInFlightMs();

// At most 4 pods added per 120 s: a phantom 1 → 5 would hold the next scale-up at 5 - 4 = 1 for two minutes.
const behavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max' as const,
    policies: [{ type: 'Pods' as const, value: 4, periodSeconds: 120 }],
  },
};

async function started(rps: number) {
  h = await startHarness();
  h.sim.applyWalkthrough();
  h.sim.applyFederatedHPA(seedFederatedHPA({ behavior }));
  h.sim.clock.advance(30_000);
  h.sim.setLoad('default', 'sample-app', { rps });
  return h;
}

/**
 * The evaluation's deps with the process dying at the PATCH: it never returns (nothing after it runs, no
 * take-back), either before the request goes out or right after the API server applied it.
 */
function dyingAtPatch(harness: Harness, landed: boolean) {
  let reached!: () => void;
  const died = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const karmada: KarmadaAdapter = {
    ...harness.deps.karmada,
    patchScale: async (...args) => {
      if (landed) await harness.deps.karmada.patchScale(...args);
      reached();
      return new Promise<never>(() => {});
    },
  };
  const deps: PipelineDeps = { ...harness.deps, karmada };
  void evaluate(deps, ref);
  return died;
}

const scaleChangedEvents = (harness: Harness) =>
  harness.sim.state.store
    .list(EVENTS, 'default')
    .filter((e) => (e as { reason?: string }).reason === 'ScaleChangedByAnotherWriter');
const ableToScale = (harness: Harness) =>
  (
    harness.sim.state.store.mustGet(FEDERATED_HPAS, 'default', 'sample-app') as FederatedHPA
  ).status?.conditions?.find((c) => c.type === 'AbleToScale');

describe('a crash between the history save and the scale PATCH', () => {
  it('leaves no phantom: the next evaluation takes the event back and scales up as the policy allows', async () => {
    const harness = await started(20);
    await dyingAtPatch(harness, false);
    const saved = await harness.store.load({ scope: 'test', ...ref });
    expect(saved.history.scaleUpEvents).toEqual([{ timestamp: expect.any(Number), replicaChange: 4 }]);
    expect(saved.history.lastScale).toMatchObject({ replicas: 5, writtenAgainst: { replicas: 1 } });
    expect(harness.sim.state.store.mustGet(DEPLOYMENTS, 'default', 'sample-app')).toMatchObject({
      spec: { replicas: 1 },
    });

    // Redelivered after the write could have been in flight, well inside the 120 s policy period.
    harness.sim.clock.advance(IN_FLIGHT + 1_000);
    const next = await evaluate(harness.deps, ref);
    expect(next).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 5 });
    expect(next.scaleChangedByAnotherWriter).toBeUndefined();
    expect(scaleChangedEvents(harness)).toEqual([]);
    expect(ableToScale(harness)?.message).not.toContain('another writer');
    // Only the scale-up that happened is recorded.
    const after = await harness.store.load({ scope: 'test', ...ref });
    expect(after.history.scaleUpEvents).toEqual([{ timestamp: harness.sim.clock.now(), replicaChange: 4 }]);
  });

  it('while the write may still be in flight, keeps its event but blames no other writer', async () => {
    const harness = await started(20);
    await dyingAtPatch(harness, false);
    harness.sim.clock.advance(IN_FLIGHT - 5_000);
    const next = await evaluate(harness.deps, ref);
    // Held at 1 by the 4 pods the write in flight would add.
    expect(next).toMatchObject({ outcome: 'unchanged', currentReplicas: 1, desiredReplicas: 1 });
    expect(next.scaleChangedByAnotherWriter).toBeUndefined();
    expect(scaleChangedEvents(harness)).toEqual([]);
  });

  it('keeps the event of a PATCH that landed before the crash', async () => {
    const harness = await started(20);
    await dyingAtPatch(harness, true);
    expect(harness.sim.state.store.mustGet(DEPLOYMENTS, 'default', 'sample-app')).toMatchObject({
      spec: { replicas: 5 },
    });
    harness.sim.setLoad('default', 'sample-app', { rps: 60 });
    harness.sim.clock.advance(IN_FLIGHT + 1_000);
    const next = await evaluate(harness.deps, ref);
    // The load wants more than 5, but the 4 pods added by the landed write spend the policy's budget.
    expect(next).toMatchObject({ outcome: 'unchanged', currentReplicas: 5, desiredReplicas: 5 });
    expect(next.scaleChangedByAnotherWriter).toBeUndefined();
    const after = await harness.store.load({ scope: 'test', ...ref });
    expect(after.history.scaleUpEvents).toEqual([{ timestamp: expect.any(Number), replicaChange: 4 }]);
  });
});
