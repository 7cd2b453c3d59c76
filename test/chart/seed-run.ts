import type { Point, TimelineInput } from '../../src/chart/types.ts';

// A timeline shaped like the seed walkthrough (shared/seeds/000: `hey -c 1000 -z 1m`, http_requests target
// 700m, min 1, max 10, member1 and member2 weighted 1:1): load from 20 s to 80 s, an alert at 35 s, 10 replicas
// split 5 + 5, back to 1 after the 10 s scale-down stabilization. Made-up numbers, realistic shapes.

const seconds = Array.from({ length: 181 }, (_, t) => t);

function desiredAt(t: number): number {
  return t >= 35 && t < 92 ? 10 : 1;
}

/** Pods take a few seconds to become ready on the way up; scale-down is immediate. */
function actualAt(t: number): number {
  if (t >= 35 && t < 38) return 1;
  if (t >= 38 && t < 41) return 4;
  return desiredAt(t);
}

function loadAt(t: number): number {
  return t >= 20 && t < 80 ? 1000 + 40 * Math.sin(t / 3) : 0;
}

const series = (f: (t: number) => number): Point[] => seconds.map((t) => [t, f(t)]);

export function seedRun(): TimelineInput {
  return {
    title: 'sample-app: FederatedHPA on http_requests (seed walkthrough)',
    subtitle: 'target averageValue 700m · min 1 · max 10 · stabilization 10 s up and down',
    panels: [
      { title: 'load (req/s)', series: [{ label: 'load', style: 'line', points: series(loadAt) }] },
      {
        title: 'http_requests per pod',
        series: [{ label: 'metric', style: 'line', points: series((t) => loadAt(t) / actualAt(t) / 150) }],
        references: [{ label: 'target 700m', value: 0.7 }],
      },
      {
        title: 'replicas',
        integer: true,
        series: [
          { label: 'member1', style: 'area', points: series((t) => Math.ceil(actualAt(t) / 2)) },
          { label: 'member2', style: 'area', points: series((t) => Math.floor(actualAt(t) / 2)) },
          { label: 'desired', style: 'step', dash: 'dashed', points: series(desiredAt) },
          { label: 'actual', style: 'step', points: series(actualAt) },
        ],
      },
    ],
    markers: [
      { at: 20, label: 'load started' },
      { at: 35, label: 'alert fired' },
      { at: 80, label: 'load stopped' },
      { at: 92, label: 'scaled down' },
    ],
  };
}
