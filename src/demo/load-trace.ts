// Load traces for the driver: requests per second as a function of seconds since the run started. Either a
// CSV file (`seconds,rps` lines, as a load test's phases: each line's rate holds until the next line) or a
// named shape. Pure: parsing returns the trace or a message naming the line at fault.

export interface LoadTrace {
  /** Requests per second at `t` seconds. */
  rpsAt(t: number): number;
  /** Where the trace ends, in seconds (the last CSV line, or the shape's length). */
  lengthSeconds: number;
  /** How the trace is called in the chart and the summary. */
  label: string;
}

export const SHAPES = ['step', 'ramp', 'spike', 'sine'] as const;
export type Shape = (typeof SHAPES)[number];

export interface ShapeOptions {
  /** Seconds the shape spans. */
  seconds: number;
  peakRps: number;
  baseRps: number;
  /** step: when the load starts and how long it runs (default 30 s and 60 s, the seed's `hey -z 1m`). */
  startSecond?: number;
  stepSeconds?: number;
}

/**
 * - step: base, then peak for `stepSeconds` from `startSecond`, then base again (the seed's `hey` run);
 * - ramp: base rising linearly to peak at half the length, held to three quarters, then base;
 * - spike: peak for 10 s at a quarter of the length (what a 10 s stabilization window absorbs, or not);
 * - sine: between base and peak, two full periods over the length.
 */
export function shapeTrace(shape: Shape, o: ShapeOptions): LoadTrace {
  const { seconds: d, peakRps: peak, baseRps: base } = o;
  const start = o.startSecond ?? 30;
  const length = o.stepSeconds ?? 60;
  const rpsAt: Record<Shape, (t: number) => number> = {
    step: (t) => (t >= start && t < start + length ? peak : base),
    ramp: (t) => (t < d / 2 ? base + ((peak - base) * t) / (d / 2) : t < (3 * d) / 4 ? peak : base),
    spike: (t) => (t >= d / 4 && t < d / 4 + 10 ? peak : base),
    sine: (t) => base + ((peak - base) * (1 - Math.cos((4 * Math.PI * t) / d))) / 2,
  };
  return { rpsAt: rpsAt[shape], lengthSeconds: d, label: shape };
}

const NUMBER = /^\s*[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

// A header is recognised only by its column names: any other first line that is not two numbers is a mistake
// (a unit suffix, a semicolon, a swapped column), and silently skipping it would drop the trace's first phase.
const HEADER_TIME = /^(seconds?|secs?|s|t|time)$/i;
const HEADER_RPS = /^(rps|qps|load|requests?(_per_second)?)$/i;
const isHeader = (cells: readonly string[]) =>
  cells.length === 2 && HEADER_TIME.test(cells[0]?.trim() ?? '') && HEADER_RPS.test(cells[1]?.trim() ?? '');

/**
 * Parses `seconds,rps` lines. A first line of column names (`seconds,rps`, `t,rps`, `time,load`...) is a
 * header; blank lines and `#` comments are skipped. Times must not decrease. Before the first line's time the first rate applies.
 */
export function parseTraceCsv(text: string, name: string): LoadTrace | string {
  const points: Array<[number, number]> = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',');
    const [t, rps] = cells;
    const numeric = cells.length === 2 && NUMBER.test(t ?? '') && NUMBER.test(rps ?? '');
    if (!numeric) {
      const first = points.length === 0 && i === firstContentLine(lines);
      if (first && isHeader(cells)) continue;
      return `${name}:${i + 1}: "${truncate(line)}" is not "seconds,rps" (two non-negative numbers)${first ? ' nor a header (seconds,rps)' : ''}`;
    }
    const point: [number, number] = [Number(t), Number(rps)];
    const last = points.at(-1);
    if (last && point[0] < last[0]) {
      return `${name}:${i + 1}: time ${point[0]} comes before the previous line's ${last[0]}`;
    }
    points.push(point);
  }
  if (points.length === 0) return `${name}: no "seconds,rps" lines`;
  const lengthSeconds = points.at(-1)![0];
  return {
    rpsAt(t) {
      let rps = points[0]![1];
      for (const [at, value] of points) {
        if (at > t) break;
        rps = value;
      }
      return rps;
    },
    lengthSeconds,
    label: name.split('/').at(-1) ?? name,
  };
}

function firstContentLine(lines: readonly string[]): number {
  return lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

const truncate = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
