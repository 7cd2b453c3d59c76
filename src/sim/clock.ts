// The simulator's notion of now. Simulated mode starts at a fixed instant and moves only when told to,
// so pod readiness, metric timestamps and fault latency are reproducible; realtime mode follows the
// wall clock (for the demo), shifted by whatever advance()/set() asked for.

export interface SimClock {
  readonly mode: 'simulated' | 'realtime';
  /** Milliseconds since the Unix epoch. */
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

/** 2026-01-01T00:00:00Z: a round, recognisable start for simulated runs. */
export const DEFAULT_START_MS = Date.UTC(2026, 0, 1);

export function createClock(mode: 'simulated' | 'realtime', startMs = DEFAULT_START_MS): SimClock {
  if (mode === 'realtime') {
    let offset = 0;
    return {
      mode,
      now: () => Date.now() + offset,
      advance: (ms) => {
        offset += checked(ms);
      },
      set: (ms) => {
        offset = checked(ms) - Date.now();
      },
    };
  }
  let current = startMs;
  return {
    mode,
    now: () => current,
    advance: (ms) => {
      current += checked(ms);
    },
    set: (ms) => {
      current = checked(ms);
    },
  };
}

function checked(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`clock: not a finite number of milliseconds: ${ms}`);
  return ms;
}

/** metav1.Time's RFC 3339 form: second precision, UTC, `Z` suffix. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
