import type { RunEvent, Sample } from './run.ts';

// The demo's live timeline, a line per thing that happened, in the order it happened: what a user of the
// walkthrough pieces together from `hey`, Alertmanager's log, `kubectl describe federatedhpa` and
// `karmadactl get pods`. Pure: events in, lines out.

const clock = (t: number) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, '0')}`;

const rate = (rps: number) => (rps < 1 ? `${rps.toFixed(3)} req/s` : `${rps.toFixed(0)} req/s`);

/** Milli-units as Kubernetes writes them: 66m, 2 (2000m), 1500m. */
const milli = (v: number | undefined) => {
  if (v === undefined) return '-';
  const m = Math.round(v * 1000);
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
};

function podsLine(s: Sample, metricName: string | undefined): string {
  const clusters = Object.entries(s.byCluster)
    .map(([name, c]) => `${name} ${c.ready}/${c.pods}`)
    .join('  ');
  const metric = metricName ? `  ${metricName}/pod ${milli(s.metric)}` : '';
  return `replicas ${String(s.desired).padStart(2)}  ready/pods: ${clusters}${metric}`;
}

/** One line for an event, or undefined for one not worth a line (a sweep that changed nothing). */
export function eventLine(e: RunEvent, metricName: string | undefined): string | undefined {
  const at = clock(e.t).padStart(5);
  switch (e.kind) {
    case 'load':
      return e.previous === undefined
        ? `${at}  load      ${rate(e.rps)} (idle: Prometheus' scrapes)`
        : `${at}  load      ${rate(e.previous)} -> ${rate(e.rps)}`;
    case 'alert':
      return `${at}  alert     ${e.alerts.join(', ')} -> POST /alerts ${e.httpStatus}: ${e.outcomes.join(', ')}`;
    case 'sweep':
      return e.outcome === 'unchanged' ? undefined : `${at}  sweep     POST /sweep: ${e.outcome}`;
    case 'rescale':
      return `${at}  rescale   ${e.from} -> ${e.to}  (${e.message})`;
    case 'pods':
      return `${at}  pods      ${podsLine(e.sample, metricName)}`;
    case 'setup':
      return `${at}  setup     ${e.message}`;
  }
}
