// Summary statistics and timing helpers shared by the benchmarks. Pure functions over arrays of numbers,
// plus two measuring helpers that read the monotonic clock (process.hrtime.bigint) and the heap.

/**
 * The p-th percentile by the nearest-rank method: the smallest sample such that at least p% of the samples
 * are less than or equal to it, i.e. sorted[ceil(p / 100 × n) − 1] (p = 0 gives the minimum). Always an
 * observed value, never an interpolation: p99 of 100 samples is the 99th smallest, p99 of 10 samples is the
 * largest (too few samples for a tail figure). NaN for no samples; p outside [0, 100] is a RangeError.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within [0, 100], got ${p}`);
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The middle sample, or the mean of the two middle samples for an even count. NaN for no samples. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  return samples.reduce((a, b) => a + b, 0) / samples.length;
}

/** Rounds for a JSON figure: 3 significant decimals are more than a noisy machine can back. */
export function round(n: number, decimals = 3): number {
  const k = 10 ** decimals;
  return Math.round(n * k) / k;
}

export interface MeasureOptions {
  /** Untimed calls first, so the JIT and caches are warm (default 10). */
  warmup?: number;
  /** Timed calls; when `durationMs` is set as well, whichever ends first. */
  iterations?: number;
  /** Keep calling until this much time has passed (at least one timed call). */
  durationMs?: number;
}

export interface Measurement {
  iterations: number;
  medianUs: number;
  p99Us: number;
  meanUs: number;
  minUs: number;
  maxUs: number;
}

/**
 * Times `fn` call by call on the monotonic clock. Without `iterations` or `durationMs` it makes 100 timed
 * calls. Each call is awaited, so async work is timed to completion.
 */
export async function measure(fn: () => unknown, opts: MeasureOptions = {}): Promise<Measurement> {
  const warmup = opts.warmup ?? 10;
  const iterations = opts.iterations ?? (opts.durationMs === undefined ? 100 : Number.POSITIVE_INFINITY);
  const deadline =
    opts.durationMs === undefined
      ? undefined
      : process.hrtime.bigint() + BigInt(Math.round(opts.durationMs * 1e6));
  for (let i = 0; i < warmup; i++) await fn();
  const us: number[] = [];
  do {
    const start = process.hrtime.bigint();
    await fn();
    const end = process.hrtime.bigint();
    us.push(Number(end - start) / 1e3);
  } while (us.length < iterations && (deadline === undefined || process.hrtime.bigint() < deadline));
  return {
    iterations: us.length,
    medianUs: round(median(us)),
    p99Us: round(percentile(us, 99)),
    meanUs: round(mean(us)),
    minUs: round(percentile(us, 0)),
    maxUs: round(percentile(us, 100)),
  };
}

export interface HeapDelta<T> {
  result: T;
  /** heapUsed after − before; after a full GC on both sides when `gcExposed`, else a rough upper bound. */
  heapDeltaBytes: number;
  /** True when node ran with --expose-gc, so the delta is retained memory rather than garbage. */
  gcExposed: boolean;
}

/** The heap a call leaves behind: run node with `--expose-gc` for a figure worth reporting. */
export async function heapDelta<T>(fn: () => T | Promise<T>): Promise<HeapDelta<T>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const result = await fn();
  gc?.();
  return { result, heapDeltaBytes: process.memoryUsage().heapUsed - before, gcExposed: gc !== undefined };
}
