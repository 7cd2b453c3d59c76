// `fhpa simulate` (issue 7): the real engine, webhook, alert receiver and sweep against the simulated
// federation in-process, one chart and one summary per run, several specs compared on one chart.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/cli/simulate.ts';
import { memoryIO } from '../support/memory-io.ts';

const spec = (
  name: string,
  scaleDownWindow: number,
  extra = '',
) => `apiVersion: autoscaling.karmada.io/v1alpha1
kind: FederatedHPA
metadata: {name: ${name}, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: sample-app}
  minReplicas: 1
  maxReplicas: 10
  behavior:
    scaleUp: {stabilizationWindowSeconds: 0}
    scaleDown: {stabilizationWindowSeconds: ${scaleDownWindow}}
  metrics:
  - type: Pods
    pods: {metric: {name: http_requests}, target: {type: AverageValue, averageValue: 700m}}
${extra}`;

async function run(args: string[], files: Record<string, string> = {}) {
  const { io, out, err, written } = memoryIO('', files);
  const code = await simulate(args, io);
  return { code, out, err: err.join('\n'), written };
}

describe('fhpa simulate', () => {
  it('runs the seed spec on a step load by default and writes the chart', async () => {
    const r = await run(['--out', 'seed.svg']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.at(-1) ?? '')).toMatchObject({
      peakReplicas: 10,
      peakByCluster: { member1: 5, member2: 5 },
      finalReplicas: 1,
    });
    expect(r.written['seed.svg']).toMatch(/^<svg[\s\S]*member1[\s\S]*<\/svg>\s*$/);
  });

  it('compares two specs: a 120 s scale-down window holds the replicas that a 0 s window drops', async () => {
    const r = await run(
      ['-f', 'quick.yaml', '-f', 'slow.yaml', '--shape', 'spike', '--seconds', '240', '--out', 'cmp.svg'],
      {
        'quick.yaml': spec('quick', 0),
        'slow.yaml': spec('slow', 120),
      },
    );
    expect(r.code).toBe(0);
    const { runs } = JSON.parse(r.out.at(-1) ?? '');
    expect(runs.map((x: { name: string }) => x.name)).toEqual(['quick', 'slow']);
    const [quick, slow] = runs;
    // Same spike, same scale-up: the peak is the same; only the way down differs by the window.
    expect(quick.peakReplicas).toBe(slow.peakReplicas);
    expect(quick.peakReplicas).toBeGreaterThan(1);
    expect(quick.finalReplicas).toBe(1);
    expect(slow.secondsToFinal).toBeGreaterThanOrEqual(quick.secondsToFinal + 100);
    // One chart, each run named in the legend with its own dash pattern.
    expect(r.written['cmp.svg']).toContain('quick: desired');
    expect(r.written['cmp.svg']).toContain('slow: desired');
  });

  it('reads a CSV load trace', async () => {
    const r = await run(['--trace', 'load.csv', '--out', 't.svg', '--no-alerts'], {
      'load.csv': 'seconds,rps\n0,0.05\n10,3\n40,0.05\n',
    });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out.at(-1) ?? '');
    // 3 req/s over 700m per pod wants ceil(3 / 0.7) = 5 pods; no alerts: only the sweep acts.
    expect(summary).toMatchObject({ peakReplicas: 5, finalReplicas: 1, alertsSent: 0 });
  });

  it('a spec the admission webhook refuses exits 2 with the field named', async () => {
    const r = await run(['-f', 'bad.yaml'], {
      'bad.yaml': spec('bad', 0).replace('maxReplicas: 10', 'maxReplicas: 0'),
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('spec.maxReplicas');
  });

  it.each([
    [['--shape', 'square'], '--shape: one of step, ramp, spike, sine'],
    [['--seconds', '10'], '--seconds: a number from 30 to 86400'],
    [['--clusters', 'Member_1'], '--clusters:'],
    [['--shape', 'step', '--trace', 'x.csv'], '--shape and --trace: give one'],
    [['-f', 'missing.yaml'], 'missing.yaml: ENOENT'],
    [['--trace', 'bad.csv'], 'bad.csv'],
  ])('bad arguments %j exit 2: %s', async (args, message) => {
    const r = await run(args, { 'bad.csv': 'seconds,rps\n10,abc\n' });
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});
