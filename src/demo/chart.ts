import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { Marker, Point, TimelineInput } from '../chart/types.ts';
import { approximateFloat } from '../engine/quantity.ts';
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
  const markers: Marker[] = [];
  for (const e of events) {
    if (e.kind === 'load' && e.previous !== undefined)
      markers.push({ at: e.t, label: e.rps > e.previous ? 'load up' : 'load down' });
    if (e.kind === 'alert') markers.push({ at: e.t, label: alertLabel(e.alerts) });
  }
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
          ...clusters.map((c) => ({
            label: c,
            style: 'area' as const,
            points: series((s) => s.byCluster[c]?.ready ?? 0),
          })),
          { label: 'desired', style: 'step', dash: 'dashed', points: series((s) => s.desired) },
          { label: 'ready', style: 'step', points: series(ready) },
        ],
      },
    ],
    markers,
  };
}

/** "SampleAppHttpRequestsAboveTarget firing" → "above target: firing", short enough for a marker. */
function alertLabel(alerts: readonly string[]): string {
  return alerts
    .map((a) => {
      const [name = '', status = ''] = a.split(' ');
      const side = name.endsWith('AboveTarget') ? 'above' : name.endsWith('BelowTarget') ? 'below' : name;
      return `${side} ${status}`;
    })
    .join(', ');
}
