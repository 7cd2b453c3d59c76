// Axis ticks on "nice" numbers: steps of 1, 2 or 5 times a power of ten, as in Heckbert's "Nice numbers for
// graph labels" (Graphics Gems, 1990) and d3-array's ticks(). Unlike d3, the bounds are widened outwards to
// whole steps, so the data always lies inside the axis and the top gridline is labelled.

export interface Ticks {
  /** Axis bounds, both multiples of `step`. */
  min: number;
  max: number;
  step: number;
  /** min, min + step, …, max. */
  values: number[];
}

const MANTISSAS = [1, 2, 5] as const;

/** Decimal places needed to print multiples of `step` exactly (0.2 → 1, 0.05 → 2, 5 → 0). */
export function stepDecimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** Removes the binary noise of i × step (0.30000000000000004 → 0.3). */
function clean(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

/** Multiples of `step` from index `first` to `last`, printed exactly. */
function multiples(first: number, last: number, step: number): number[] {
  const decimals = stepDecimals(step);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(clean(i * step, decimals));
  return values;
}

/**
 * The smallest step of 1, 2 or 5 × 10^k (at least 1 when `integer`) for which `intervals(step)` is at most
 * `max`, searching upwards from the largest power of ten below span / max (every smaller step is too fine).
 */
function smallestStep(
  span: number,
  max: number,
  integer: boolean,
  intervals: (step: number) => number,
): number {
  let exponent = Math.floor(Math.log10(span / max));
  if (integer) exponent = Math.max(0, exponent);
  for (;;) {
    for (const m of MANTISSAS) {
      const step = clean(m * 10 ** exponent, stepDecimals(m * 10 ** exponent));
      if (intervals(step) <= max) return step;
    }
    exponent++;
  }
}

// 1e-9 of a step absorbs binary noise, so 0.3 / 0.1 counts as 3 and not 2.9999999999999996
const floorSteps = (v: number, step: number) => Math.floor(v / step + 1e-9);
const ceilSteps = (v: number, step: number) => Math.ceil(v / step - 1e-9);

/**
 * Nice ticks covering [lo, hi] with at most `maxIntervals` intervals. `integer` forbids steps below 1 (replica
 * counts). A degenerate range (lo = hi) widens to [0, 1] at zero, else by half the value's magnitude each way.
 * Non-finite bounds fall back to [0, 1], so an empty panel still draws an axis.
 */
export function niceTicks(lo: number, hi: number, maxIntervals = 5, integer = false): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const half = lo === 0 ? 0 : Math.abs(lo) / 2;
    [lo, hi] = lo === 0 ? [0, 1] : [lo - half, hi + half];
  }
  const max = Math.max(1, Math.floor(maxIntervals));
  const step = smallestStep(hi - lo, max, integer, (s) => ceilSteps(hi, s) - floorSteps(lo, s));
  const values = multiples(floorSteps(lo, step), ceilSteps(hi, step), step);
  return { min: values[0]!, max: values[values.length - 1]!, step, values };
}

/**
 * Nice ticks inside [lo, hi] without widening it: for a time axis, whose bounds are the run's own start and
 * end, empty space after the last sample would read as "nothing happened". A degenerate range gets
 * niceTicks' widened ticks.
 */
export function ticksWithin(lo: number, hi: number, maxIntervals = 5): { step: number; values: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo === hi) {
    const { step, values } = niceTicks(lo, hi, maxIntervals);
    return { step, values };
  }
  if (lo > hi) [lo, hi] = [hi, lo];
  const max = Math.max(1, Math.floor(maxIntervals));
  const step = smallestStep(hi - lo, max, false, (s) => floorSteps(hi, s) - ceilSteps(lo, s));
  return { step, values: multiples(ceilSteps(lo, step), floorSteps(hi, step), step) };
}

/**
 * A tick label: as many decimals as the step needs, thousands as "k" once the step is a multiple of 1,000
 * (so labels stay short on a 64 px margin: 12000 → "12k", 2500 with step 500 → "2500").
 */
export function formatTick(value: number, step: number): string {
  if (step >= 1000 && step % 1000 === 0 && value !== 0) return `${value / 1000}k`;
  const s = value.toFixed(stepDecimals(step));
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}
