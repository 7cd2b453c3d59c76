import type { WorkloadKind } from './members.ts';

// What the simulated control plane lets tests and benchmarks watch without going through its API: the
// request log and counters, every applied scale write, and (for benchmarks) the response bodies it sends.

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  /** Simulated time the request arrived, ms. */
  at: number;
  /** Wall-clock duration, ms. */
  durationMs: number;
}

export interface ScaleWrite {
  method: 'PUT' | 'PATCH';
  kind: WorkloadKind;
  namespace: string;
  name: string;
  replicas: number;
  /** Simulated time of the write, ms. */
  at: number;
  /** Wall-clock time (Date.now()) the write was applied: what latency benchmarks compare against. */
  receivedAt: number;
}

export interface Counters {
  requests: number;
  /** Writes received on a template's /scale (before faults are injected), and those applied. */
  scaleWrites: { put: number; patch: number; applied: number };
}

export class SimObservers {
  readonly requestLog: RequestLogEntry[] = [];
  readonly counters: Counters = { requests: 0, scaleWrites: { put: 0, patch: 0, applied: 0 } };
  private readonly scaleListeners = new Set<(w: ScaleWrite) => void>();
  private readonly responseTaps = new Set<(body: string) => void>();

  constructor(
    private readonly now: () => number,
    /** How many requests the log keeps (oldest dropped first). */
    private readonly logLimit: number,
  ) {}

  onScaleWrite(listener: (w: ScaleWrite) => void): () => void {
    this.scaleListeners.add(listener);
    return () => this.scaleListeners.delete(listener);
  }

  recordScaleWrite(w: Omit<ScaleWrite, 'at' | 'receivedAt'>): void {
    this.counters.scaleWrites.applied += 1;
    const event: ScaleWrite = { ...w, at: this.now(), receivedAt: Date.now() };
    for (const listener of this.scaleListeners) listener(event);
  }

  /**
   * Hands every response body the server sends to `listener` (benchmarks: the CPU floor of parsing what a
   * client received, bench/support/cpu-floor.ts). Copying a body costs the simulator's thread, not the client's.
   */
  tapResponses(listener: (body: string) => void): () => void {
    this.responseTaps.add(listener);
    return () => this.responseTaps.delete(listener);
  }

  get tapped(): boolean {
    return this.responseTaps.size > 0;
  }

  tapResponse(body: string): void {
    for (const listener of this.responseTaps) listener(body);
  }

  logRequest(entry: RequestLogEntry): void {
    this.counters.requests += 1;
    this.requestLog.push(entry);
    if (this.requestLog.length > this.logLimit)
      this.requestLog.splice(0, this.requestLog.length - this.logLimit);
  }
}
