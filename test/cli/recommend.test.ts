// `fhpa recommend`: the snapshot contract, the examples under examples/, batch answers and exit codes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshot, snapshotToEngineInput } from '../../src/api/snapshot.ts';
import { recommend } from '../../src/cli/recommend.ts';
import { memoryIO } from '../support/memory-io.ts';

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
const files = {
  'up.json': example('snapshot-seed-scale-up.json'),
  'down.json': example('snapshot-seed-scale-down.json'),
  'v1.json': example('snapshot-v1-hpa-duplicated.json'),
  'zero.json': example('snapshot-scale-to-zero.json'),
};

async function run(args: string[], stdin = '', extra: Record<string, string> = {}) {
  const { io, out, err } = memoryIO(stdin, { ...files, ...extra });
  const code = await recommend(args, io);
  return { code, out: out.join(''), err: err.join('') };
}

const brief = (d: { conditions: { type: string; status: string; reason?: string }[] }) =>
  d.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`);

describe('fhpa recommend on the examples', () => {
  it('seed scale-up: http_requests 4.5 per pod vs 700m wants 13, the default scale-up policy allows 6', async () => {
    const r = await run(['up.json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d).toMatchObject({
      desiredReplicas: 6,
      currentReplicas: 2,
      rescale: true,
      reason: 'pods metric http_requests above target',
      metricRecommendations: [{ type: 'Pods', name: 'http_requests', replicas: 13 }],
      currentMetrics: [
        { type: 'Pods', pods: { metric: { name: 'http_requests' }, current: { averageValue: '4500m' } } },
      ],
      history: {
        recommendations: [{ timestamp: '2026-01-01T00:05:00Z', replicas: 13 }],
        scaleUpEvents: [{ timestamp: '2026-01-01T00:05:00Z', replicaChange: 4 }],
        scaleDownEvents: [],
      },
    });
    expect(brief(d)).toEqual([
      'AbleToScale=True/ReadyForNewScale',
      'ScalingActive=True/ValidMetricFound',
      'ScalingLimited=True/ScaleUpLimit',
    ]);
  });

  it('seed scale-down: load gone, the 10 s window holds the count at the recent recommendation of 2', async () => {
    const d = JSON.parse((await run(['down.json'])).out);
    expect(d).toMatchObject({
      desiredReplicas: 2,
      rescale: true,
      reason: 'All metrics below target',
      metricRecommendations: [{ type: 'Pods', name: 'http_requests', replicas: 1 }],
      currentMetrics: [
        { type: 'Pods', pods: { metric: { name: 'http_requests' }, current: { averageValue: '50m' } } },
      ],
      history: {
        recommendations: [
          { timestamp: '2026-01-01T00:12:00Z', replicas: 1 },
          { timestamp: '2026-01-01T00:11:55Z', replicas: 2 },
        ],
        scaleUpEvents: [],
        scaleDownEvents: [{ timestamp: '2026-01-01T00:12:00Z', replicaChange: 2 }],
      },
    });
    expect(brief(d)[0]).toBe('AbleToScale=True/ScaleDownStabilized');
  });

  it('autoscaling/v1 HPA, Duplicated over two clusters: 80 % vs 50 % on 4 pods / calibration 2 → 4', async () => {
    const d = JSON.parse((await run(['v1.json'])).out);
    expect(d).toMatchObject({
      desiredReplicas: 4,
      rescale: true,
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: 80, averageValue: '400m' } },
        },
      ],
      history: {
        recommendations: [
          { timestamp: '2026-01-01T10:00:00Z', replicas: 2 },
          { timestamp: '2026-01-01T10:00:00Z', replicas: 4 },
        ],
      },
    });
  });

  it('answers a JSON array with an array in the same order', async () => {
    const batch = `[${files['v1.json']}, ${files['up.json']}]`;
    const r = await run(['batch.json'], '', { 'batch.json': batch });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).map((d: { desiredReplicas: number }) => d.desiredReplicas)).toEqual([4, 6]);
  });

  it.each([[[]], [['-']]])('reads standard input with args %j', async (args) => {
    const r = await run(args, files['v1.json']);
    expect([r.code, JSON.parse(r.out).desiredReplicas]).toEqual([0, 4]);
  });
});

/** The parts of the seed example the mutations below touch. */
interface SnapJson {
  pods: [{ startTime?: string; phase?: string }, { phase?: string }];
  metrics: { pods: { http_requests: { 'sample-app-9b7d8c9f5-xrnfx': { value: string } } } };
  federatedHPA: { apiVersion: string; spec: { maxReplicas?: number; minReplicas?: number } };
  currentReplicas: number;
  options?: object;
}

describe('fhpa recommend rejects bad input with exit 2', () => {
  const base = (): SnapJson => JSON.parse(files['up.json']);

  it.each([
    [
      'a pod time that is not RFC 3339',
      (s: SnapJson) => (s.pods[0].startTime = 'yesterday'),
      'pods[0].startTime: must be an RFC 3339 timestamp',
    ],
    [
      'an unknown pod phase',
      (s: SnapJson) => (s.pods[1].phase = 'Sleeping'),
      'pods[1].phase: Invalid option',
    ],
    [
      'a malformed quantity',
      (s: SnapJson) => (s.metrics.pods.http_requests['sample-app-9b7d8c9f5-xrnfx'].value = '4.5 rps'),
      'metrics.pods.http_requests[sample-app-9b7d8c9f5-xrnfx].value:',
    ],
    [
      'a missing maxReplicas',
      (s: SnapJson) => delete s.federatedHPA.spec.maxReplicas,
      'federatedHPA.spec.maxReplicas:',
    ],
    [
      'a negative currentReplicas',
      (s: SnapJson) => (s.currentReplicas = -1),
      'currentReplicas: must be greater than or equal to 0',
    ],
    [
      'an unsupported apiVersion',
      (s: SnapJson) => (s.federatedHPA.apiVersion = 'autoscaling/v2beta1'),
      'federatedHPA.apiVersion:',
    ],
    [
      'a bad duration',
      (s: SnapJson) => (s.options = { cpuInitializationPeriod: '5 minutes' }),
      'options.cpuInitializationPeriod: must be a duration',
    ],
  ])('%s', async (_n, mutate, message) => {
    const s = base();
    mutate(s);
    const r = await run(['bad.json'], '', { 'bad.json': JSON.stringify(s) });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
  });

  // Issue 19.3: the snapshot's autoscaler gets the rules `fhpa validate` applies, not only its JSON shape.
  it.each([
    [
      'maxReplicas -1',
      (s: SnapJson) => (s.federatedHPA.spec.maxReplicas = -1),
      [
        'federatedHPA.spec.maxReplicas: Invalid value: -1: must be greater than 0',
        'federatedHPA.spec.maxReplicas: Invalid value: -1: must be greater than or equal to `minReplicas`',
      ],
    ],
    [
      'minReplicas 0',
      (s: SnapJson) => (s.federatedHPA.spec.minReplicas = 0),
      ['federatedHPA.spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'],
    ],
  ])('refuses what fhpa validate refuses: %s', async (_n, mutate, lines) => {
    const s = base();
    mutate(s);
    const r = await run(['bad.json'], '', { 'bad.json': JSON.stringify(s) });
    expect([r.code, r.out, r.err.trimEnd().split('\n')]).toEqual([2, '', lines]);
  });

  it('checks a plain HPA too: v1 targetCPUUtilizationPercentage 0 is named as written', async () => {
    const s = JSON.parse(files['v1.json']);
    s.federatedHPA.spec.targetCPUUtilizationPercentage = 0;
    const r = await run(['b.json'], '', { 'b.json': JSON.stringify([JSON.parse(files['v1.json']), s]) });
    expect([r.code, r.err.trimEnd()]).toEqual([
      2,
      '[1].federatedHPA.spec.targetCPUUtilizationPercentage: Invalid value: 0: must be greater than 0',
    ]);
  });

  it('prefixes the index of the offending snapshot in a batch', async () => {
    const bad = base();
    bad.pods[0].phase = 'Sleeping';
    const r = await run(['b.json'], '', { 'b.json': JSON.stringify([base(), bad]) });
    expect([r.code, r.err.split(':')[0]]).toEqual([2, '[1].pods[0].phase']);
  });

  it.each([
    [
      ['missing.json'],
      '',
      "fhpa recommend: cannot read missing.json: ENOENT: no such file, open 'missing.json'",
    ],
    [['-'], '{"now":', 'fhpa recommend: standard input is not JSON:'],
    [['a.json', 'b.json'], '', 'fhpa recommend: expected at most one FILE'],
    [['--verbose'], '', 'fhpa recommend: unknown option --verbose'],
  ])('%j', async (args, stdin, message) => {
    const r = await run(args, stdin);
    expect([r.code, r.err.startsWith(message)]).toEqual([2, true]);
  });

  it('prints usage for --help', async () => {
    const r = await run(['--help']);
    expect([r.code, r.out.split('\n')[0]]).toEqual([0, 'Usage: fhpa recommend [FILE|-]']);
  });
});

describe('snapshot conversion', () => {
  const hpa = (apiVersion: string, spec: object) => ({
    now: '2026-01-01T00:00:00Z',
    federatedHPA: { apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec },
    currentReplicas: 1,
    pods: [],
  });
  const ref = { kind: 'Deployment', name: 'web' };

  it('turns autoscaling/v1 targetCPUUtilizationPercentage into a cpu Utilization metric', () => {
    const p = parseSnapshot(
      hpa('autoscaling/v1', { scaleTargetRef: ref, maxReplicas: 5, targetCPUUtilizationPercentage: 70 }),
    );
    expect(p.ok && snapshotToEngineInput(p.snapshot).spec).toEqual({
      scaleTargetRef: ref,
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    });
  });

  it('takes an autoscaling/v2 spec as it is, behavior included', () => {
    const spec = {
      scaleTargetRef: ref,
      minReplicas: 2,
      maxReplicas: 5,
      behavior: { scaleUp: { tolerance: '0.05' } },
    };
    const p = parseSnapshot(hpa('autoscaling/v2', spec));
    expect(p.ok && snapshotToEngineInput(p.snapshot).spec).toEqual(spec);
  });

  it('converts times to epoch ms, durations to ms, and leaves absent optional fields out', () => {
    const p = parseSnapshot({
      ...hpa('autoscaling/v1', { scaleTargetRef: ref, maxReplicas: 5 }),
      pods: [
        {
          name: 'web-0',
          cluster: 'm1',
          phase: 'Running',
          ready: null,
          startTime: '2025-12-31T23:59:00Z',
          deletionTimestamp: null,
          containers: [{ name: 'web', requests: { cpu: 0.5 } }],
        },
      ],
      metrics: {
        resource: {
          cpu: {
            'm1/web-0': { timestamp: '2025-12-31T23:59:30Z', window: '1m30s', containers: { web: '100m' } },
          },
        },
      },
      options: { tolerance: 0.2, initialReadinessDelay: '500ms' },
    });
    const input = p.ok ? snapshotToEngineInput(p.snapshot) : undefined;
    expect(input?.pods).toEqual([
      {
        name: 'web-0',
        cluster: 'm1',
        phase: 'Running',
        ready: null,
        startTime: Date.parse('2025-12-31T23:59:00Z'),
        containers: [{ name: 'web', requests: { cpu: '0.5' } }],
      },
    ]);
    expect(input?.metrics.resource?.cpu?.['m1/web-0']?.window).toBe(90_000);
    expect(input?.options).toEqual({ tolerance: 0.2, initialReadinessDelayMs: 500 });
    expect(input?.history).toEqual({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });
  });
});

describe('fhpa recommend with a PromQL metric and scale to zero', () => {
  it('replays going to zero: the query result is the Object sample, idleSince comes from the history', async () => {
    const r = await run(['zero.json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d).toMatchObject({
      desiredReplicas: 0,
      currentReplicas: 2,
      rescale: true,
      zero: {
        event: 'ScaledToZero',
        message:
          'New size: 0; reason: every activation metric at or below its activation threshold for 10m0s',
      },
      history: { idleSince: '2026-01-01T00:49:30Z', scaleDownEvents: [{ replicaChange: 2 }] },
    });
    expect(brief(d)).toContain('ScalingActive=False/ScaledToZero');
  });

  it('replays a failed query: the error is the condition, and nothing scales down', async () => {
    const snapshot = JSON.parse(example('snapshot-scale-to-zero.json'));
    snapshot.metrics = {
      errors: { http_requests: 'PromQL query of Object metric http_requests: the query returned no series' },
    };
    const d = JSON.parse((await run([], JSON.stringify(snapshot))).out);
    expect(d).toMatchObject({ desiredReplicas: 2, rescale: false });
    expect(d.conditions.find((c: { type: string }) => c.type === 'ScalingActive')).toMatchObject({
      status: 'False',
      reason: 'FailedGetObjectMetric',
      message:
        'the HPA was unable to compute the replica count: PromQL query of Object metric http_requests: the query returned no series',
    });
    // The idle clock neither runs on nor resets on a metric it cannot read.
    expect(d.history.idleSince).toBe('2026-01-01T00:49:30Z');
  });

  it('replays waking: a value above the activation threshold takes 0 to minReplicas', async () => {
    const snapshot = JSON.parse(example('snapshot-scale-to-zero.json'));
    snapshot.currentReplicas = 0;
    snapshot.statusReplicas = 0;
    snapshot.pods = [];
    snapshot.metrics.object.http_requests.value = '12';
    const d = JSON.parse((await run([], JSON.stringify(snapshot))).out);
    expect(d).toMatchObject({
      desiredReplicas: 1,
      rescale: true,
      zero: {
        event: 'ScaledFromZero',
        message: 'New size: 1; reason: Object metric http_requests above its activation threshold 100m',
      },
    });
    expect(d.history.idleSince).toBeUndefined();
  });
});
