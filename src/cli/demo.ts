// `fhpa demo [--realtime] [--chart FILE]`: the seed walkthrough end to end (what `npm run demo` runs).

import { parseArgs } from 'node:util';
import { runTimeline } from '../demo/chart.ts';
import { shapeTrace } from '../demo/load-trace.ts';
import { eventLine } from '../demo/report.ts';
import { runScenario } from '../demo/run.ts';
import { SEED_LOAD, SEED_TIMING, SEED_WORKLOAD, seedFederatedHPA } from '../demo/scenario.ts';
import { startServedStack } from '../demo/stack.ts';
import { loadFell, summarize, summaryLine } from '../demo/summary.ts';
import { argumentError, type Command, parseArgsMessage } from './io.ts';

export const DEMO_USAGE = `Usage: fhpa demo [--realtime] [--seconds N] [--chart FILE]

Karmada's "FederatedHPA scaling on custom metrics" walkthrough, end to end, with nothing installed: a
simulated Karmada control plane (member1 and member2, sample-app divided 1:1) and fhpa's Node server with
its embedded history store, each on a loopback port. The FederatedHPA (http_requests averageValue 700m,
min 1, max 10, stabilization 10 s) is applied through fhpa's admission webhook, load like \`hey -c 1000 -z 1m\`
is driven, Alertmanager's notifications go to POST /alerts and a scheduler calls POST /sweep every 15 s.

  --realtime     run on the wall clock (about ${Math.ceil(180 / 60)} minutes) instead of simulated time (seconds)
  --seconds N    length of the run (default 180)
  --chart FILE   also write the run as an SVG chart

The last line of output is a JSON summary. Exit status 0 when the walkthrough's outcome is reproduced
(10 replicas, 5 per cluster, back to 1), 1 when it is not.`;

export const demo: Command = async (args, io) => {
  let values: { realtime?: boolean; seconds?: string; chart?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        realtime: { type: 'boolean' },
        seconds: { type: 'string' },
        chart: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return argumentError(io, 'demo', parseArgsMessage(err));
  }
  if (values.help) {
    io.out(DEMO_USAGE);
    return 0;
  }
  const seconds = Number(values.seconds ?? 180);
  if (!Number.isInteger(seconds) || seconds < 30 || seconds > 3600) {
    return argumentError(io, 'demo', '--seconds: an integer from 30 to 3600');
  }

  const stack = await startServedStack({
    clusters: SEED_WORKLOAD.clusters,
    realtime: values.realtime === true,
  });
  try {
    const fhpa = seedFederatedHPA();
    io.out(`fhpa demo: the Karmada FederatedHPA walkthrough on a simulated Karmada (${stack.mode} time)`);
    io.out(`  karmada  ${stack.sim.url}  member clusters ${SEED_WORKLOAD.clusters.join(', ')}`);
    io.out(`  fhpa     ${stack.fhpa.url}  embedded history store, Alertmanager receiver POST /alerts`);
    io.out('  spec     http_requests averageValue 700m, min 1, max 10, stabilization 10 s up and down\n');
    const metricName = 'http_requests';
    const trace = shapeTrace('step', {
      seconds,
      peakRps: SEED_LOAD.rps,
      baseRps: SEED_LOAD.idleRps,
      startSecond: SEED_LOAD.startSecond,
      stepSeconds: SEED_LOAD.seconds,
    });
    const result = await runScenario({
      stack,
      workload: SEED_WORKLOAD,
      fhpa,
      trace,
      timing: SEED_TIMING,
      seconds,
      alerts: true,
      onEvent: (e) => {
        const line = eventLine(e, metricName);
        if (line) io.out(line);
      },
      ...(values.realtime ? { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) } : {}),
    });
    const summary = summarize(result.samples, result.events);
    if (values.chart) {
      const { renderTimeline } = await import('../chart/timeline.ts');
      const writeFile = io.writeFile ?? (await import('node:fs/promises')).writeFile;
      const title = 'sample-app: the FederatedHPA walkthrough on fhpa (npm run demo)';
      await writeFile(values.chart, renderTimeline(runTimeline(fhpa, result.samples, result.events, title)));
      io.err(`chart written to ${values.chart}`);
    }
    const reproduced =
      summary.peakReplicas === 10 &&
      summary.peakReady === 10 &&
      summary.finalReplicas === 1 &&
      SEED_WORKLOAD.clusters.every((c) => summary.peakByCluster[c] === 5);
    io.out(
      `\n${reproduced ? 'reproduced' : 'NOT reproduced'}: ${summaryLine(summary, loadFell(result.events))}`,
    );
    io.out(JSON.stringify(summary));
    return reproduced ? 0 : 1;
  } finally {
    await stack.close();
  }
};
