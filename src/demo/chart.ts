import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { Marker, Point, TimelineInput } from '../chart/types.ts';
import { approximateFloat } from '../engine/quantity.ts';
import { loadChanges } from './load-changes.ts';
import type { RunEvent, Sample } from './run.ts';

// A run as chart data (src/chart renders it): load, the per-pod metric against its target, and replicas per
// cluster stacked under the desired and ready totals, with markers where load changed, alerts went out and
// fhpa rescaled. Pure.

export function runTimeline(
  fhpa: FederatedHPA,
  samples: readonly Sample[],
  events: readonly RunEvent[],
  title: string,
): TimelineInput {
  const spec = fhpa.spec;
  const pods = spec.metrics?.find((m) => m.type === 'Pods')?.pods;
  const clusters = Object.keys(samples[0]?.byCluster ?? {});
  const series = (f: (s: Sample) => number): Point[] => samples.map((s) => [s.t, f(s)]);
  const ready = (s: Sample) => Object.values(s.byCluster).reduce((sum, c) => sum + c.ready, 0);
  const target = pods?.target.averageValue;
  const windows = [
    spec.behavior?.scaleUp?.stabilizationWindowSeconds,
    spec.behavior?.scaleDown?.stabilizationWindowSeconds,
  ];
  const markers: Marker[] = [
    ...loadMarkers(events),
    ...events.flatMap((e) => (e.kind === 'alert' ? [{ at: e.t, label: alertLabel(e.alerts) }] : [])),
  ];
  return {
    title,
    subtitle: [
      pods && target ? `${pods.metric.name} target ${target}` : undefined,
      `min ${spec.minReplicas ?? 1} · max ${spec.maxReplicas}`,
      windows.some((w) => w !== undefined)
        ? `stabilization ${windows[0] ?? 0} s up, ${windows[1] ?? 300} s down`
        : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    panels: [
      { title: 'load (req/s)', series: [{ label: 'load', style: 'step', points: series((s) => s.rps) }] },
      ...(pods
        ? [
            {
              title: `${pods.metric.name} per pod`,
              series: [
                { label: 'metric', style: 'line' as const, points: series((s) => s.metric ?? Number.NaN) },
              ],
              ...(target
                ? { references: [{ label: `target ${target}`, value: approximateFloat(target) }] }
                : {}),
            },
          ]
        : []),
      {
        title: 'replicas',
        integer: true,
        series: [
          // The areas are each cluster's ready pods (what serves); the lines are the totals desired and ready.
          ...clusters.map((c) => ({
            label: `${c} ready pods`,
            style: 'area' as const,
            points: series((s) => s.byCluster[c]?.ready ?? 0),
          })),
          { label: 'desired replicas', style: 'step', dash: 'dashed', points: series((s) => s.desired) },
          { label: 'ready pods, all clusters', style: 'step', points: series(ready) },
        ],
      },
    ],
    markers,
  };
}

/** A marker per load change (load-changes.ts): `load up`, or `load rising 0–90 s` for a ramp's many steps. */
export function loadMarkers(events: readonly RunEvent[]): Marker[] {
  return loadChanges(events).map((c) => ({
    at: c.from,
    label:
      c.steps === 1
        ? `load ${c.up ? 'up' : 'down'}`
        : `load ${c.up ? 'rising' : 'falling'} ${Math.round(c.from)}–${Math.round(c.to)} s`,
  }));
}

// What each alert of the walkthrough's rules (alert-rules.ts) means, firing and resolved, in words.
const ALERT_WORDS: Array<[suffix: string, firing: string, resolved: string]> = [
  ['AboveTarget', 'alert: metric above target', 'alert resolved: metric no longer above target'],
  [
    'BelowTarget',
    'alert: metric below half the target',
    'alert resolved: metric no longer below half the target',
  ],
  ['Active', 'alert: load above the activation threshold', 'alert resolved: idle again'],
];

/** "SampleAppHttpRequestsAboveTarget firing" → "alert: metric above target"; several joined with "; ". */
export function alertLabel(alerts: readonly string[]): string {
  return alerts
    .map((a) => {
      const [name = '', status = ''] = a.split(' ');
      const words = ALERT_WORDS.find(([suffix]) => name.endsWith(suffix));
      if (!words) return `alert ${name} ${status}`;
      return status === 'resolved' ? words[2] : words[1];
    })
    .join('; ');
}
