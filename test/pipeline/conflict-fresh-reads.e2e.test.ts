// Two invocations of one FederatedHPA at once (a queue message delivered twice, to two consumers), over real
// HTTP against the simulated Karmada. The loser of the history version race must not act on reads from both
// sides of the winner's scale write: found by the fleet benchmark with every other message duplicated
// (`npm run bench -- fleet --fhpas=1000 --duplicate-every=2`), where the loser, having read the template
// before the winner's 1 → 5 and the member scales after it, re-read only the scale and wrote 5 → 2.
import { afterEach, expect, it } from 'vitest';
import type { KarmadaAdapter } from '../../src/karmada/adapter.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import type { EvaluationResult, PipelineDeps } from '../../src/pipeline/types.ts';
import type { ScaleWrite } from '../../src/sim/index.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ref = { namespace: 'default', name: 'sample-app' };

it('the loser of a history race decides again from fresh reads when the winner scaled meanwhile', async () => {
  h = await startHarness();
  const { sim, deps } = h;
  sim.applyWalkthrough();
  // The fleet benchmark's FederatedHPA: no stabilization, the default policies.
  sim.applyFederatedHPA(
    seedFederatedHPA({
      behavior: { scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: { stabilizationWindowSeconds: 0 } },
    }),
  );
  sim.clock.advance(60_000);
  sim.setLoad('default', 'sample-app', { rps: 3 }); // 3 rps on one pod against 700m: 5 wanted
  const writes: ScaleWrite[] = [];
  sim.onScaleWrite((w) => writes.push(w));

  // The winner runs whole between the loser's template read and its member reads. It is a separate invocation:
  // its own dependency set, so the in-process sharing of evaluations does not join the two.
  const winner: PipelineDeps = { ...deps };
  let won: EvaluationResult | undefined;
  const loserKarmada: KarmadaAdapter = {
    ...deps.karmada,
    async getMemberScales(...args) {
      if (!won) won = await evaluate(winner, ref);
      return deps.karmada.getMemberScales(...args);
    },
  };
  const lost = await evaluate({ ...deps, karmada: loserKarmada }, ref);

  expect(won).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 5 });
  expect(writes.map((w) => w.replicas)).toEqual([5]);
  expect(lost).toMatchObject({ currentReplicas: 5, desiredReplicas: 5 });
  expect(lost.outcome).not.toBe('scaled');
  expect(lost.scaleChangedByAnotherWriter).toBeUndefined();
});
