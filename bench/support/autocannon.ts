import { createRequire } from 'node:module';

// autocannon (npm) drives the HTTP load. It ships no type declarations, so this file types the part of its
// programmatic API the benchmarks use (autocannon/README.md "API"), and nothing else.

export interface CannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface CannonOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Requests each connection cycles through, in order. */
  requests: CannonRequest[];
  /** Requests per second over all connections (0: as fast as possible). */
  overallRate?: number;
  /** Requests sent before the measurement (autocannon's `warmup`), none by default. */
  warmup?: { connections: number; duration: number };
  /**
   * Worker threads generating the load (autocannon's `workers`); 0 runs it on this thread, sharing the event
   * loop with an in-process server.
   */
  workers?: number;
}

/** A latency or rate histogram summary: fractional percentiles are named p97_5 and so on. */
export interface CannonHistogram {
  average: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  p99_9: number;
  total: number;
}

export interface CannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
  /** Milliseconds per request. */
  latency: CannonHistogram;
  /** Requests per second, sampled each second. */
  requests: CannonHistogram & { sent: number };
}

type Autocannon = (opts: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Runs one load test and resolves to autocannon's result. */
export function runCannon(opts: CannonOptions): Promise<CannonResult> {
  return autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.duration,
    requests: opts.requests,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    ...(opts.warmup ? { warmup: opts.warmup } : {}),
    ...(opts.workers ? { workers: opts.workers } : {}),
  });
}

/** Completed requests per second over the whole run (total / duration), steadier than the per-second mean. */
export function completedPerSecond(r: CannonResult): number {
  const completed = Object.values(r.statusCodeStats).reduce((n, s) => n + s.count, 0);
  return r.duration > 0 ? completed / r.duration : 0;
}
