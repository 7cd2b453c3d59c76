// The run as chart data (src/demo/chart.ts): load markers where the load changes, not per second of a ramp;
// alert markers in words; the cluster areas named as ready pods (issue 19.4).
import { describe, expect, it } from 'vitest';
import { alertLabel, loadMarkers, runTimeline } from '../../src/demo/chart.ts';
import { shapeTrace } from '../../src/demo/load-trace.ts';
import type { RunEvent, Sample } from '../../src/demo/run.ts';

/** The load events a run emits for a trace sampled every second (run.ts emits one per change). */
function loadEvents(rpsAt: (t: number) => number, seconds: number): RunEvent[] {
  const events: RunEvent[] = [];
  let previous: number | undefined;
  for (let t = 0; t <= seconds; t++) {
    const rps = rpsAt(t);
    if (rps !== previous) events.push({ t, kind: 'load', rps, previous });
    previous = rps;
  }
  return events;
}

describe('loadMarkers', () => {
  const shape = (s: 'step' | 'ramp' | 'spike' | 'sine') =>
    loadEvents(
      shapeTrace(s, { seconds: 180, peakRps: 20, baseRps: 0.05, startSecond: 20, stepSeconds: 60 }).rpsAt,
      180,
    );

  it.each([
    [
      'step',
      [
        { at: 20, label: 'load up' },
        { at: 80, label: 'load down' },
      ],
    ],
    [
      'spike',
      [
        { at: 45, label: 'load up' },
        { at: 55, label: 'load down' },
      ],
    ],
    [
      'ramp',
      [
        { at: 1, label: 'load rising 1–90 s' },
        { at: 135, label: 'load down' },
      ],
    ],
    [
      'sine',
      [
        { at: 1, label: 'load rising 1–45 s' },
        { at: 46, label: 'load falling 46–90 s' },
        { at: 91, label: 'load rising 91–135 s' },
        { at: 136, label: 'load falling 136–180 s' },
      ],
    ],
  ] as const)('%s: one marker per change', (s, markers) => {
    expect(loadMarkers(shape(s))).toEqual(markers);
  });

  it('a pause longer than 5 s, or a turn, starts a new change', () => {
    const events: RunEvent[] = [
      { t: 0, kind: 'load', rps: 1, previous: undefined },
      { t: 10, kind: 'load', rps: 2, previous: 1 },
      { t: 12, kind: 'load', rps: 3, previous: 2 },
      { t: 20, kind: 'load', rps: 4, previous: 3 },
      { t: 21, kind: 'load', rps: 1, previous: 4 },
    ];
    expect(loadMarkers(events)).toEqual([
      { at: 10, label: 'load rising 10–12 s' },
      { at: 20, label: 'load up' },
      { at: 21, label: 'load down' },
    ]);
  });
});

describe('alertLabel', () => {
  it.each([
    [['SampleAppHttpRequestsAboveTarget firing'], 'alert: metric above target'],
    [['SampleAppHttpRequestsAboveTarget resolved'], 'alert resolved: metric no longer above target'],
    [['SampleAppHttpRequestsBelowTarget firing'], 'alert: metric below half the target'],
    [['WebHttpRequestsActive firing'], 'alert: load above the activation threshold'],
    [
      ['SampleAppHttpRequestsAboveTarget resolved', 'SampleAppHttpRequestsBelowTarget firing'],
      'alert resolved: metric no longer above target; alert: metric below half the target',
    ],
  ])('%j → %s', (alerts, label) => {
    expect(alertLabel(alerts)).toBe(label);
    expect(label).not.toMatch(/above firing|below firing/);
  });
});

describe('runTimeline', () => {
  it('names the cluster areas as ready pods and the lines as desired replicas and ready pods', () => {
    const fhpa = {
      apiVersion: 'autoscaling.karmada.io/v1alpha1' as const,
      kind: 'FederatedHPA' as const,
      metadata: { name: 'web', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 4 },
    };
    const samples: Sample[] = [
      {
        t: 0,
        rps: 1,
        metric: undefined,
        desired: 2,
        byCluster: { member1: { pods: 1, ready: 1 }, member2: { pods: 1, ready: 0 } },
      },
    ];
    const replicas = runTimeline(fhpa, samples, [], 'web').panels.find((p) => p.title === 'replicas');
    expect(replicas?.series.map((s) => [s.label, s.style])).toEqual([
      ['member1 ready pods', 'area'],
      ['member2 ready pods', 'area'],
      ['desired replicas', 'step'],
      ['ready pods, all clusters', 'step'],
    ]);
  });
});
