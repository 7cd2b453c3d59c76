import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultsFigures, runFaults } from '../../bench/support/faults-run.ts';
import { type DynaliteServer, startDynalite } from '../support/dynalite.ts';

// Shadow, pause and fallback are in the mix (issue 12): app-0 is shadowed, app-1 paused, app-2 has a fallback;
// shadow and pause must never write the scale, and a fallback write must keep to min/max and the policies.
//
// The small version of `npm run bench -- faults` (issue 8): the same runner, bench/support/faults-run.ts, at
// 100 evaluations (10 FederatedHPAs side by side, 10 steps of 15 simulated seconds) instead of 1,000. About
// 20 % of the Karmada API requests of the production pipeline are faulted (500, 503 and 429 with
// Retry-After, hangs the client must time out, 409 on writes) and a proxy in front of dynalite throttles the
// history table; before every step a fault-free oracle decides each FederatedHPA on the same state.
//
// The invariants, from the simulator's own log of applied scale writes:
//   outOfBounds     a write outside [min, max] or beyond a behavior policy (bench/support/policy-check.ts);
//   wrongDecisions  a write the oracle would not make (another count, a scale it would not do, a second write
//                   for one evaluation), or a scale it would make reported "unchanged" as if none were due;
//   unhandled       an exception that escaped the pipeline (logged "failed unexpectedly", an unhandled
//                   rejection, or a rejected evaluation);
//   misreported     "scaled" with no applied write, or a write under a result that does not say "scaled".
// Failures are allowed, as long as they are retryable. The dice (load, store throttling, API faults) are
// seeded; which request meets which API fault depends on how the concurrent evaluations interleave, which is
// why only the invariants and "every kind of fault happened" are asserted, not exact counts.

const EVALUATIONS = 100;

let dynalite: DynaliteServer;
let figures: FaultsFigures;

beforeAll(async () => {
  dynalite = await startDynalite();
  figures = await runFaults({
    evaluations: EVALUATIONS,
    workloads: 10,
    seed: 8,
    endpoint: dynalite.endpoint,
    table: 'faults-reliability',
    modes: true,
  });
}, 30_000);
afterAll(() => dynalite?.stop());

describe(`faults: ${EVALUATIONS} evaluations under ~20 % API faults and store throttling, against an oracle`, () => {
  it('evaluated everything, under faults of every kind', () => {
    expect(figures.evaluations).toBe(EVALUATIONS);
    // Without these the invariants below would hold vacuously.
    expect(figures.injected.error['500']).toBeGreaterThan(0);
    expect(figures.injected.error['503']).toBeGreaterThan(0);
    expect(figures.injected.error['429']).toBeGreaterThan(0);
    expect(figures.injected.hang).toBeGreaterThan(0);
    expect(figures.injected.conflict).toBeGreaterThan(0);
    expect(figures.injected.storeThrottles).toBeGreaterThan(0);
    expect(figures.faultRate).toBeGreaterThan(0.1);
    // ... and with decisions to get wrong: the oracle scaled often, and so did the faulty pipeline.
    expect(figures.oracleScales).toBeGreaterThan(10);
    expect(figures.scaleWrites).toBeGreaterThan(10);
    // The modes were evaluated, under the same faults.
    expect(figures.outcomes.shadow).toBeGreaterThan(0);
    expect(figures.outcomes.paused).toBeGreaterThan(0);
  });

  it('never scales out of bounds, never makes a decision the oracle would not, never throws', () => {
    expect({
      outOfBounds: figures.outOfBounds,
      wrongDecisions: figures.wrongDecisionKinds,
      unhandled: figures.unhandled,
      misreported: figures.misreported,
    }).toEqual({
      outOfBounds: 0,
      wrongDecisions: { count: 0, unwanted: 0, repeated: 0, missed: 0 },
      unhandled: 0,
      misreported: 0,
    });
    expect(figures.wrongDecisions).toBe(0);
  });

  it('reports every failed evaluation as retryable', () => {
    expect(figures.failedFinal).toBe(0);
  });
});
