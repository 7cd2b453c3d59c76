import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FALLBACK_AFTER, FALLBACK_REPLICAS, parseAnnotations } from '../../src/api/annotations.ts';
import { parseSnapshot, snapshotToEngineInput } from '../../src/api/snapshot.ts';
import { snapshotOf } from '../../src/api/snapshot-of.ts';
import { explain } from '../../src/cli/explanation.ts';
import { main } from '../../src/cli/main.ts';
import type { EngineInput } from '../../src/engine/types.ts';
import { captureEvaluation } from '../../src/pipeline/capture.ts';
import { decideWithAnnotations } from '../../src/pipeline/decision.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import type { FaultRule } from '../../src/sim/faults.ts';
import { memoryIO } from '../support/memory-io.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';
import { annotatedFederatedHPA, writesSince } from '../support/writes.ts';

// `fhpa snapshot` → `fhpa recommend` reproduces the live decision: over the simulated Karmada, through load
// changes and injected faults, the snapshot taken just before each live evaluation replays (through the
// snapshot's JSON) to exactly the decision that evaluation made, and the snapshot itself writes nothing.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ref = { namespace: 'default', name: 'sample-app' };

// Faults that fail a read every time (a random rate would let the snapshot and the live evaluation see
// different reads, which is the point of neither).
const FAULTS: Record<string, FaultRule[]> = {
  none: [],
  'custom metrics down': [
    {
      path: '/apis/cluster.karmada.io/v1alpha1/clusters/*/proxy/apis/custom.metrics.k8s.io/**',
      errorRate: 1,
      errorStatus: 503,
    },
    { path: '/apis/custom.metrics.k8s.io/**', errorRate: 1, errorStatus: 503 },
  ],
  'member2 metrics down': [
    {
      path: '/apis/cluster.karmada.io/v1alpha1/clusters/member2/proxy/apis/custom.metrics.k8s.io/**',
      errorRate: 1,
      errorStatus: 503,
    },
  ],
};

const step = fc.record({
  rps: fc.constantFrom(0.2, 5, 20, 60),
  fault: fc.constantFrom(...Object.keys(FAULTS)),
  advance: fc.constantFrom(5_000, 15_000, 30_000),
});

describe('snapshot → recommend', () => {
  it('replays every live decision of a run exactly, under load changes and injected faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 4, maxLength: 10 }),
        fc.boolean(),
        async (steps, fallback) => {
          h = await startHarness({ retries: 1 });
          try {
            h.sim.applyWalkthrough();
            h.sim.applyFederatedHPA(
              fallback
                ? annotatedFederatedHPA({ [FALLBACK_REPLICAS]: '3', [FALLBACK_AFTER]: '2' })
                : seedFederatedHPA(),
            );
            h.sim.clock.advance(30_000);
            const settings = parseAnnotations(
              fallback ? { [FALLBACK_REPLICAS]: '3', [FALLBACK_AFTER]: '2' } : {},
            ).settings;
            for (const s of steps) {
              h.sim.setLoad('default', 'sample-app', { rps: s.rps });
              h.sim.faults.setRules(FAULTS[s.fault]!);
              const from = h.sim.requestLog.length;
              const captured = await captureEvaluation(h.deps, ref);
              expect(writesSince(h.sim, from)).toEqual([]);
              let live: EngineInput | undefined;
              const result = await evaluate(h.deps, ref, { onEngineInput: (i) => (live = i) });
              if (!captured.ok) {
                expect(live).toBeUndefined();
                continue;
              }
              // Through JSON, as `fhpa snapshot | fhpa recommend` would carry it.
              const parsed = parseSnapshot(
                JSON.parse(JSON.stringify(snapshotOf(captured.input, captured.fhpa))),
              );
              if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
              const replayed = decideWithAnnotations(
                snapshotToEngineInput(parsed.snapshot),
                settings,
              ).decision;
              const liveDecision = decideWithAnnotations(live!, settings).decision;
              expect(replayed).toEqual(liveDecision);
              expect(result.desiredReplicas).toBe(
                result.outcome === 'scaled' ? replayed.desiredReplicas : replayed.currentReplicas,
              );
              h.sim.clock.advance(s.advance);
            }
          } finally {
            await h.close();
            h = undefined;
          }
        },
      ),
      { numRuns: 6, seed: 1212 },
    );
  });
});

describe('fhpa snapshot and fhpa explain against the simulated Karmada', () => {
  async function cli(args: string[], harness: Harness, files: Record<string, string> = {}) {
    const m = memoryIO('', files);
    m.io.env = { FHPA_KARMADA_SERVER: harness.sim.url, FHPA_KARMADA_TOKEN: harness.sim.token };
    const code = await main(args, m.io);
    return { code, out: m.out.join('\n'), err: m.err.join('\n') };
  }

  it('snapshot prints what recommend replays to the decision the server then makes, writing nothing', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyFederatedHPA(seedFederatedHPA({ behavior: undefined }));
    h.sim.clock.advance(30_000);
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    const from = h.sim.requestLog.length;
    const snap = await cli(['snapshot', 'default/sample-app'], h);
    expect(snap).toMatchObject({ code: 0, err: '' });
    expect(writesSince(h.sim, from)).toEqual([]);
    const replay = await cli(['recommend', 'snap.json'], h, { 'snap.json': snap.out });
    expect(replay.code).toBe(0);
    const decision = JSON.parse(replay.out) as { desiredReplicas: number; rescale: boolean };
    const live = await evaluate(h.deps, ref);
    expect(live).toMatchObject({ outcome: 'scaled', desiredReplicas: decision.desiredReplicas });
    expect(decision.rescale).toBe(true);
  });

  it('explain says what each metric proposes, which window holds the result and until when', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyFederatedHPA(seedFederatedHPA());
    h.sim.clock.advance(30_000);
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    await evaluate(h.deps, ref); // records 1 at t0: the 10 s scale-up window holds until t0 + 10 s
    const t0 = h.sim.clock.now();
    h.sim.clock.advance(5_000);
    // In-process, with the harness's store: the history holds the first evaluation's recommendation.
    const captured = await captureEvaluation(h.deps, ref);
    if (!captured.ok) throw new Error('no decision');
    const e = explain(captured.input, 'default/sample-app', captured.fhpa.metadata.annotations);
    expect(e).toMatchObject({
      federatedHPA: 'default/sample-app',
      currentReplicas: 1,
      desiredReplicas: 1,
      rescale: false,
      metrics: [{ metric: 'Pods http_requests', target: '700m average' }],
      pods: { total: 1, leftOut: [] },
      stabilization: { reason: 'ScaleUpStabilized', windowSeconds: 10 },
      bounds: { minReplicas: 1, maxReplicas: 10 },
    });
    expect(e.metrics[0]?.proposal).toBeGreaterThan(1);
    expect(Date.parse(e.stabilization?.until ?? '')).toBe(t0 + 10_000);
    // The CLI: its own (empty) embedded store and the wall clock, so the engine holds the current size from
    // its `now` for the window.
    const json = await cli(['explain', 'default/sample-app', '-o', 'json'], h);
    expect(json.code).toBe(0);
    const fromCli = JSON.parse(json.out) as { now: string; stabilization: { until: string } };
    expect(Date.parse(fromCli.stabilization.until) - Date.parse(fromCli.now)).toBe(10_000);
    const text = await cli(['explain', 'default/sample-app'], h);
    expect(text.out).toContain('default/sample-app at ');
    expect(text.out).toContain('stabilization: ScaleUpStabilized (10s window)');
    expect(text.out).toContain('bounds: min 1, max 10');
  });

  it('refuses a bad reference and names a FederatedHPA that does not exist', async () => {
    h = await startHarness();
    expect(await cli(['snapshot', 'Default/x'], h)).toMatchObject({ code: 2 });
    expect(await cli(['explain', 'default/x', '-o', 'yaml'], h)).toMatchObject({
      code: 2,
      err: 'fhpa explain: -o: the only output format is json (see fhpa explain --help)',
    });
    const missing = await cli(['snapshot', 'default/nope'], h);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('fhpa snapshot: default/nope: not-found');
  });
});
