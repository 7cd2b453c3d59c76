import type { RunEvent } from './run.ts';

// Where a run's load changed, as a person reads a chart: a ramp or a sine changes the rate every second, but
// it is one rise or one fall. Changes closer together than LOAD_RUN_GAP_SECONDS, in one direction, are one.
// The chart marks each (chart.ts) and the summary times from them (summary.ts). Pure.

export const LOAD_RUN_GAP_SECONDS = 5;

export interface LoadChange {
  /** Seconds of the first and the last step of the change. */
  from: number;
  to: number;
  up: boolean;
  steps: number;
}

export function loadChanges(events: readonly RunEvent[]): LoadChange[] {
  const changes: LoadChange[] = [];
  for (const e of events) {
    if (e.kind !== 'load' || e.previous === undefined || e.rps === e.previous) continue;
    const up = e.rps > e.previous;
    const last = changes.at(-1);
    if (last && last.up === up && e.t - last.to <= LOAD_RUN_GAP_SECONDS) {
      last.to = e.t;
      last.steps++;
    } else changes.push({ from: e.t, to: e.t, up, steps: 1 });
  }
  return changes;
}
