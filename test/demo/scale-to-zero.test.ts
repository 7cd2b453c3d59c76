// Scale to zero on the simulated federation, driven as `fhpa simulate` drives it (issue 15): the load stops,
// the workload goes 3 -> 0 once the idle period has passed; the load returns, the wake-up alert fires, and
// that one alert-triggered evaluation takes it 0 -> 3 (minReplicas), divided 2:1 by Karmada's static weights.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import { simulate } from '../../src/cli/simulate.ts';
import { call } from '../../src/demo/endpoint.ts';
import { parseTraceCsv } from '../../src/demo/load-trace.ts';
import { runScenario } from '../../src/demo/run.ts';
import { SEED_TIMING } from '../../src/demo/scenario.ts';
import { startInProcessStack } from '../../src/demo/stack.ts';
import { readManifests } from '../../src/validation/manifests.ts';
import { memoryIO } from '../support/memory-io.ts';

const SPEC = 'examples/federatedhpa-scale-to-zero.yaml';
const TRACE = 'examples/load-idle-then-busy.csv';

describe('scale to zero on the simulated federation', () => {
  it('goes 3 -> 0 after the idle period and 0 -> 3 (2 + 1) in the one evaluation the alert triggers', async () => {
    const read = readManifests(await readFile(SPEC, 'utf8'));
    if (!read.ok) throw new Error(read.message);
    const fhpa = read.objects[0] as FederatedHPA;
    const trace = parseTraceCsv(await readFile(TRACE, 'utf8'), TRACE);
    if (typeof trace === 'string') throw new Error(trace);
    const stack = startInProcessStack({ clusters: ['member1', 'member2'] });
    const result = await runScenario({
      stack,
      workload: {
        namespace: 'default',
        name: 'sample-app',
        kind: 'Deployment',
        replicas: 3,
        clusters: ['member1', 'member2'],
      },
      fhpa,
      trace,
      timing: SEED_TIMING,
      seconds: 240,
      alerts: true,
    });
    const rescales = result.events.filter((e) => e.kind === 'rescale');
    const at = (t: number) => result.samples.find((s) => s.t === t);

    // Busy at 6 req/s over a 2-per-pod target: 3 replicas (minReplicas) until the load stops at 30 s. The idle
    // clock starts at the first evaluation that sees 0 (the alert's resolution at 30 s); 60 s later, plus up to
    // the 15 s scale-down window and one sweep period, the workload goes 3 -> 0 in one step, with the
    // ScaledToZero event's message.
    expect(rescales[0]).toMatchObject({
      from: 3,
      to: 0,
      message: 'New size: 0; reason: every activation metric at or below its activation threshold for 1m0s',
    });
    expect(rescales[0]?.t).toBeGreaterThanOrEqual(30 + 60);
    expect(rescales[0]?.t).toBeLessThanOrEqual(30 + 60 + 15 + 15);
    expect(at(190)).toMatchObject({ desired: 0, byCluster: { member1: { pods: 0 }, member2: { pods: 0 } } });

    // Load returns at 200 s: the rule evaluated at 200 s fires, and that notification's evaluation scales.
    const alert = result.events.find((e) => e.kind === 'alert' && e.t >= 200);
    expect(alert).toMatchObject({
      t: 200,
      alerts: ['SampleAppRequestsPerSecondActive firing'],
      outcomes: ['scaled'],
    });
    const up = rescales.find((e) => e.t >= 200);
    expect(up).toMatchObject({
      t: 200,
      from: 0,
      to: 3,
      message: 'New size: 3; reason: Object metric requests-per-second above its activation threshold 0',
    });
    expect(at(200)?.byCluster).toMatchObject({ member1: { pods: 2 }, member2: { pods: 1 } });
    // Then the HPA algorithm takes over: 9 req/s over 2 per pod is 5.
    expect(Math.max(...result.samples.filter((s) => s.t > 200).map((s) => s.desired))).toBe(5);

    // `kubectl get events` and the FederatedHPA's status say when and why.
    const events = await call(
      stack.sim,
      'GET',
      '/api/v1/namespaces/default/events',
      z.object({ items: z.array(z.object({ reason: z.string(), type: z.string() })) }),
    );
    const reasons = events.body.items.map((e) => `${e.type}/${e.reason}`);
    expect(reasons).toContain('Normal/ScaledToZero');
    expect(reasons).toContain('Normal/ScaledFromZero');
  });

  it('fhpa simulate charts it', async () => {
    const files = {
      [SPEC]: await readFile(SPEC, 'utf8'),
      [TRACE]: await readFile(TRACE, 'utf8'),
    };
    const { io, out, written } = memoryIO('', files);
    const code = await simulate(['-f', SPEC, '--trace', TRACE, '--seconds', '240', '--out', 'zero.svg'], io);
    expect(code).toBe(0);
    expect(JSON.parse(out.at(-1) ?? '')).toMatchObject({
      peakReplicas: 5,
      peakByCluster: { member1: 3, member2: 2 },
    });
    expect(written['zero.svg']).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });
});
