import type { RunEvent, Sample } from './run.ts';

// The run's outcome as one JSON object, the last line of `npm run demo` and `fhpa simulate`: what the seed
// walkthrough shows by eye (10 replicas, 5 in each cluster, back to 1 after the load), as numbers a test and
// a script can check. Pure.

export interface Summary {
  peakReplicas: number;
  /** Ready pods per cluster when the peak was first fully ready (or, if never, pods at the peak). */
  peakByCluster: Record<string, number>;
  finalReplicas: number;
  /** From the load's first rise to the peak being fully ready; null if it never was. */
  secondsToPeak: number | null;
  /** From the load's last fall to the replicas reaching their final value for good; null without a fall. */
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
  const firstAtPeak =
    samples.find((s) => s.desired === peakReplicas && total(s, (c) => c.ready) === peakReplicas) ??
    samples.find((s) => s.desired === peakReplicas);
  const peakByCluster = Object.fromEntries(
    Object.entries(firstAtPeak?.byCluster ?? {}).map(([name, c]) => [
      name,
      firstAtPeak === undefined ? 0 : c.ready,
    ]),
  );
  const loads = events.filter((e): e is Extract<RunEvent, { kind: 'load' }> => e.kind === 'load');
  const rise = loads.find((e) => e.previous !== undefined && e.rps > e.previous);
  const fall = loads.findLast((e) => e.previous !== undefined && e.rps < e.previous);
  const fullyReady = samples.find(
    (s) =>
      rise !== undefined &&
      s.t >= rise.t &&
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
    finalReplicas,
    secondsToPeak: rise && fullyReady ? fullyReady.t - rise.t : null,
    secondsToFinal: fall && settled ? Math.max(0, settled.t - fall.t) : null,
    rescales: events.filter((e) => e.kind === 'rescale').length,
    alertsSent: events.filter((e) => e.kind === 'alert').length,
    sweeps: events.filter((e) => e.kind === 'sweep').length,
  };
}
