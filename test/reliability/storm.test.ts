import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStorm, type StormFigures, WAVE_OFFSETS_SECONDS } from '../../bench/support/storm-run.ts';
import { FALLBACK_AFTER, FALLBACK_REPLICAS, MODE, PAUSED } from '../../src/api/annotations.ts';
import { type DynaliteServer, startDynalite } from '../support/dynalite.ts';

// The small version of `npm run bench -- storm` (issue 8): the same runner, bench/support/storm-run.ts, at 30
// simultaneous triggers per wave instead of 200. Every trigger is a separate invocation (its own Karmada
// client and its own DynamoDB client) on one simulated Karmada over loopback HTTP and one real
// DynamoDB-compatible table (dynalite), as an alert storm reaches fhpa on Lambda or Workers. The FederatedHPA
// may scale up by at most 2 pods per 60 s, and the waves come at t, t+30 s and t+61 s.
//
// The invariants (issue 6), each from a record the pipeline does not write itself:
//   policyViolations    writes in the simulator's own log that broke min/max or the scale-up policy, replayed
//                       by an independent referee (bench/support/policy-check.ts), however they interleaved;
//   lostHistory         a decision whose recommendation is missing from the stored history, or an applied
//                       scale write with no scale event (the next decision would not count it against the
//                       policy) — what a lost update on the table would cause;
//   phantomScaleEvents  a scale event in the history with no applied write (it would slow the next scale-up).
// Nothing in the run is random: the simulator's dice are seeded and the load is fixed; only the order in which
// the racing invocations reach the table varies, and none of the assertions depends on it.

const CONCURRENT = 30;

let dynalite: DynaliteServer;
let figures: StormFigures;
const lines: string[] = [];
/** The same storm (10 triggers per wave) on a shadowed, a paused and a fallback-annotated FederatedHPA. */
const modes: Record<string, StormFigures> = {};
const MODE_ANNOTATIONS: Record<string, Record<string, string>> = {
  shadow: { [MODE]: 'shadow' },
  paused: { [PAUSED]: 'true' },
  fallback: { [FALLBACK_REPLICAS]: '2', [FALLBACK_AFTER]: '1' },
};

beforeAll(async () => {
  dynalite = await startDynalite();
  figures = await runStorm({
    concurrent: CONCURRENT,
    endpoint: dynalite.endpoint,
    table: 'storm-reliability',
    log: (line) => lines.push(line),
  });
  for (const [mode, annotations] of Object.entries(MODE_ANNOTATIONS)) {
    modes[mode] = await runStorm({
      concurrent: 10,
      endpoint: dynalite.endpoint,
      table: `storm-reliability-${mode}`,
      annotations,
    });
  }
}, 60_000);
afterAll(() => dynalite?.stop());

/** Decisions per wave, from the runner's "wave N/W at +S s: D decided, ..." lines. */
function decidedPerWave(): number[] {
  return lines.map((line) => {
    const m = /^wave \d+\/\d+ at \+\d+ s: (\d+) decided,/.exec(line);
    if (!m) throw new Error(`unexpected storm log line: ${line}`);
    return Number(m[1]);
  });
}

describe(`storm: ${WAVE_OFFSETS_SECONDS.length} waves of ${CONCURRENT} simultaneous triggers of one FederatedHPA (DynamoDB store)`, () => {
  it('every trigger ran', () => {
    expect(figures.waves).toBe(WAVE_OFFSETS_SECONDS.length);
    expect(figures.triggers).toBe(WAVE_OFFSETS_SECONDS.length * CONCURRENT);
  });

  it('never exceeds the scale-up policy and loses no history', () => {
    expect({
      policyViolations: figures.policyViolations,
      lostHistory: figures.lostHistory,
      phantomScaleEvents: figures.phantomScaleEvents,
    }).toEqual({ policyViolations: 0, lostHistory: 0, phantomScaleEvents: 0 });
  });

  it('scales exactly as far as +2 pods per 60 s allows: 1 → 3 at t, nothing at +30 s, 3 → 5 at +61 s', () => {
    expect(figures.replicasAfterWave).toEqual([3, 3, 5]);
    // Each allowed scale-up applied once: one PATCH per scaling wave, reported "scaled" by exactly one trigger.
    expect(figures.scalePatches).toBe(2);
    expect(figures.scaled).toBe(2);
  });

  it('decides in every wave despite the races', () => {
    const perWave = decidedPerWave();
    expect(perWave).toHaveLength(WAVE_OFFSETS_SECONDS.length);
    for (const decided of perWave) expect(decided).toBeGreaterThanOrEqual(1);
    expect(perWave.reduce((a, b) => a + b, 0)).toBe(figures.decisions);
  });

  it('reports every trigger that lost the race as retryable, so Alertmanager sends it again', () => {
    expect(figures.failedFinal).toBe(0);
    // Decided, superseded (another invocation applied a scale first) or failed-and-retryable: nothing else.
    expect(figures.decisions + figures.superseded + figures.failedRetryable).toBe(figures.triggers);
  });
});

describe('storm with shadow, pause and fallback in the mix (10 simultaneous triggers per wave)', () => {
  it.each(['shadow', 'paused', 'fallback'])(
    '%s: no policy violation, no lost or phantom history, nothing final',
    (mode) => {
      const f = modes[mode]!;
      expect({
        policyViolations: f.policyViolations,
        lostHistory: f.lostHistory,
        phantomScaleEvents: f.phantomScaleEvents,
        failedFinal: f.failedFinal,
      }).toEqual({ policyViolations: 0, lostHistory: 0, phantomScaleEvents: 0, failedFinal: 0 });
      expect(f.decisions + f.superseded + f.failedRetryable).toBe(f.triggers);
    },
  );

  it('shadow and paused never write the scale under a storm; the fallback is not engaged while metrics flow', () => {
    expect(modes.shadow!.scalePatches).toBe(0);
    expect(modes.paused!.scalePatches).toBe(0);
    expect(modes.fallback!.replicasAfterWave).toEqual([3, 3, 5]);
  });
});
