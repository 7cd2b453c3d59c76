import { num } from './svg.ts';
import type { Point } from './types.ts';

// Series → SVG path data. Coordinates are rounded to 0.1 px first, then vertices that add nothing at that
// resolution (repeats, middle points of a straight horizontal or vertical run) are dropped, so a replica count
// sampled every second but changing a few times costs a few commands, not thousands.

export type Scale = (value: number) => number;

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to r0. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

type Vertex = [number, number];

const round = (v: number): number => Math.round(v * 10) / 10;

/** True when b lies on the straight horizontal or vertical run from a to c, between them. */
function redundant(a: Vertex, b: Vertex, c: Vertex): boolean {
  if (a[1] === b[1] && b[1] === c[1]) return (b[0] - a[0]) * (c[0] - b[0]) >= 0;
  if (a[0] === b[0] && b[0] === c[0]) return (b[1] - a[1]) * (c[1] - b[1]) >= 0;
  return false;
}

/** One open polyline as path data using the shortest of H, V and L; a lone vertex becomes a dot ("h0"). */
export function polyline(vertices: readonly Vertex[]): string {
  const kept: Vertex[] = [];
  for (const [x, y] of vertices) {
    const v: Vertex = [round(x), round(y)];
    const last = kept[kept.length - 1];
    if (last && last[0] === v[0] && last[1] === v[1]) continue;
    const before = kept[kept.length - 2];
    if (last && before && redundant(before, last, v)) kept.pop();
    kept.push(v);
  }
  const [first, ...rest] = kept;
  if (!first) return '';
  let d = `M${num(first[0])},${num(first[1])}`;
  if (rest.length === 0) return `${d}h0`;
  let prev = first;
  for (const v of rest) {
    if (v[1] === prev[1]) d += `H${num(v[0])}`;
    else if (v[0] === prev[0]) d += `V${num(v[1])}`;
    else d += `L${num(v[0])},${num(v[1])}`;
    prev = v;
  }
  return d;
}

/** Samples in time order (stable, so equal times keep their input order), without non-finite times. */
export function ordered(points: readonly Point[]): Point[] {
  return points.filter((p) => Number.isFinite(p[0])).sort((a, b) => a[0] - b[0]);
}

/**
 * Splits samples into runs of finite values: a NaN or infinite value is a gap, as d3-shape's line.defined().
 * `gapAt` is the time of the sample that ended the run, so a step line can hold its value up to it.
 */
function runs(points: readonly Point[]): { run: Point[]; gapAt?: number }[] {
  const out: { run: Point[]; gapAt?: number }[] = [];
  let run: Point[] = [];
  for (const p of ordered(points)) {
    if (Number.isFinite(p[1])) {
      run.push(p);
      continue;
    }
    if (run.length > 0) out.push({ run, gapAt: p[0] });
    run = [];
  }
  if (run.length > 0) out.push({ run });
  return out;
}

/** Straight segments between samples. */
export function linePath(points: readonly Point[], sx: Scale, sy: Scale): string {
  return runs(points)
    .map(({ run }) => polyline(run.map(([x, y]) => [sx(x), sy(y)])))
    .join('');
}

/** Step-after: each value holds until the next sample's time (up to a gap's time, since it held until then). */
export function stepPath(points: readonly Point[], sx: Scale, sy: Scale): string {
  return runs(points)
    .map(({ run, gapAt }) => {
      const vertices: Vertex[] = [];
      run.forEach(([x, y], i) => {
        if (i > 0) vertices.push([sx(x), sy(run[i - 1]![1])]);
        vertices.push([sx(x), sy(y)]);
      });
      if (gapAt !== undefined) vertices.push([sx(gapAt), sy(run[run.length - 1]![1])]);
      return polyline(vertices);
    })
    .join('');
}

export interface Stack {
  /** The union of the series' sample times, ascending. */
  times: number[];
  /** tops[k][i]: the top of series k at times[i], i.e. the sum of series 0..k there. */
  tops: number[][];
}

/**
 * Stacks step-after series in the order given (first at the bottom), aligned on the union of their sample
 * times. Between samples a series holds its last value, before its first sample it counts 0, and non-finite
 * values are skipped (the previous value holds): a missing sample of a replica count does not mean zero.
 */
export function stack(series: readonly (readonly Point[])[]): Stack {
  const clean = series.map((points) => ordered(points).filter((p) => Number.isFinite(p[1])));
  const times = [...new Set(clean.flatMap((points) => points.map((p) => p[0])))].sort((a, b) => a - b);
  let below = times.map(() => 0);
  const tops = clean.map((points) => {
    let j = 0;
    let held = 0;
    below = times.map((t, i) => {
      while (j < points.length && points[j]![0] <= t) held = points[j++]![1];
      return below[i]! + held;
    });
    return below;
  });
  return { times, tops };
}

/** One closed path per stacked series: along its top, then back along the top of the series below. */
export function stackedAreaPaths({ times, tops }: Stack, sx: Scale, sy: Scale): string[] {
  const n = times.length - 1;
  const x = (i: number) => sx(times[i]!);
  // a step-after edge at heights h(0..n-1); the last sample has no width, so nothing is drawn at h(n)
  const edge = (h: readonly number[]): Vertex[] => {
    const vertices: Vertex[] = [];
    for (let i = 0; i < n; i++) vertices.push([x(i), sy(h[i]!)], [x(i + 1), sy(h[i]!)]);
    return vertices;
  };
  return tops.map((top, k) => {
    const bottom = tops[k - 1] ?? times.map(() => 0);
    if (n < 0) return '';
    // a single instant: the area has no width, draw its height as a vertical stroke
    if (n === 0)
      return polyline([
        [x(0), sy(top[0]!)],
        [x(0), sy(bottom[0]!)],
      ]);
    return `${polyline([...edge(top), ...edge(bottom).reverse()])}Z`;
  });
}
