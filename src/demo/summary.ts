import { loadChanges } from './load-changes.ts';
import type { RunEvent, Sample } from './run.ts';

// The run's outcome as one JSON object, the last line of `npm run demo` and `fhpa simulate`: what the seed
// walkthrough shows by eye (10 replicas, 5 in each cluster, back to 1 after the load), as numbers a test and
// a script can check. Pure.

export interface Summary {
  /** The most replicas desired (the scale's spec.replicas). */
  peakReplicas: number;
  /**
   * Pods per cluster at the peak (the division of peakReplicas): when the peak was first fully ready, or, if
   * never, when the most of it was. Pods, not ready pods, so the parts add up to the peak they divide.
   */
  peakByCluster: Record<string, number>;
  /** The most pods ready at once while the peak was desired: peakReplicas when it was ever fully ready. */
  peakReady: number;
  finalReplicas: number;
  /** From the load's first rise to the peak being fully ready; null if it never was. */
  secondsToPeak: number | null;
  /**
   * From the load's last fall to the replicas reaching their final value for good; null without a fall, or
   * when they reached it before the load fell (nothing came back down).
   */
  secondsToFinal: number | null;
  rescales: number;
  alertsSent: number;
  sweeps: number;
}

const total = (s: Sample, pick: (c: { pods: number; ready: number }) => number) =>
  Object.values(s.byCluster).reduce((sum, c) => sum + pick(c), 0);

export function summarize(samples: readonly Sample[], events: readonly RunEvent[]): Summary {
  const last = samples.at(-1);
  const peakReplicas = Math.max(0, ...samples.map((s) => s.desired));
  const atPeak = samples.filter((s) => s.desired === peakReplicas);
  const readyOf = (s: Sample) => total(s, (c) => c.ready);
  const peakReady = Math.max(0, ...atPeak.map(readyOf));
  const mostReady = atPeak.find((s) => readyOf(s) === peakReady);
  const peakByCluster = Object.fromEntries(
    Object.entries(mostReady?.byCluster ?? {}).map(([name, c]) => [name, c.pods]),
  );
  // From where the first rise and the last fall began (a ramp's fall is one change, not its last second).
  const changes = loadChanges(events);
  const rise = changes.find((c) => c.up);
  const fall = changes.findLast((c) => !c.up);
  const fullyReady = samples.find(
    (s) =>
      rise !== undefined &&
      s.t >= rise.from &&
      s.desired === peakReplicas &&
      total(s, (c) => c.ready) === peakReplicas,
  );
  const finalReplicas = last?.desired ?? 0;
  let settled: Sample | undefined;
  for (const s of samples) {
    if (s.desired !== finalReplicas || total(s, (c) => c.pods) !== finalReplicas) settled = undefined;
    else settled ??= s;
  }
  return {
    peakReplicas,
    peakByCluster,
    peakReady,
    finalReplicas,
    secondsToPeak: rise && fullyReady ? fullyReady.t - rise.from : null,
    secondsToFinal: fall && settled && settled.t >= fall.from ? settled.t - fall.from : null,
    rescales: events.filter((e) => e.kind === 'rescale').length,
    alertsSent: events.filter((e) => e.kind === 'alert').length,
    sweeps: events.filter((e) => e.kind === 'sweep').length,
  };
}

/**
 * The summary for a person, one line (`loadFell`: whether the run's load ever fell, see loadChanges): which numbers are desired replicas and which are ready pods, and why a
 * time is missing. `peak 10 replicas (member1 5, member2 5), all ready 30 s after the load rose; 1 at the end,
 * 10 s after the load fell; 3 rescales`.
 */
export function summaryLine(s: Summary, loadFell: boolean): string {
  const split = Object.entries(s.peakByCluster)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  const ready =
    s.secondsToPeak !== null
      ? `all ready ${s.secondsToPeak} s after the load rose`
      : s.peakReady === s.peakReplicas
        ? 'all ready'
        : `never all ready (at most ${s.peakReady} ready)`;
  const final =
    s.secondsToFinal !== null
      ? `${s.secondsToFinal} s after the load fell`
      : loadFell
        ? 'not reached after the load fell (secondsToFinal null)'
        : 'the load never fell';
  return `peak ${s.peakReplicas} replicas (${split}), ${ready}; ${s.finalReplicas} at the end, ${final}; ${s.rescales} rescales`;
}

/** Whether a run's load ever fell, for summaryLine. */
export const loadFell = (events: readonly RunEvent[]) => loadChanges(events).some((c) => !c.up);
