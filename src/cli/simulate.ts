// `fhpa simulate [-f FILE]... [--shape S | --trace CSV] [--out FILE]`: tune behavior before applying it.

import { parseArgs } from 'node:util';
import { type FederatedHPA, federatedHPASchema } from '../api/federatedhpa.ts';
import { fieldPath } from '../api/field-path.ts';
import { compareTimelines } from '../chart/compare.ts';
import { renderTimeline } from '../chart/timeline.ts';
import { rulesFor } from '../demo/alert-rules.ts';
import { runTimeline } from '../demo/chart.ts';
import { type LoadTrace, parseTraceCsv, SHAPES, type Shape, shapeTrace } from '../demo/load-trace.ts';
import { runScenario } from '../demo/run.ts';
import { SEED_LOAD, SEED_TIMING, seedFederatedHPA, type WorkloadSpec } from '../demo/scenario.ts';
import { startInProcessStack } from '../demo/stack.ts';
import { loadFell, type Summary, summarize, summaryLine } from '../demo/summary.ts';
import { readManifests } from '../validation/manifests.ts';
import { argumentError, type CliIO, type Command, parseArgsMessage } from './io.ts';

export const SIMULATE_USAGE = `Usage: fhpa simulate [-f FILE]... [--shape ${SHAPES.join('|')} | --trace CSV] [options]

Runs FederatedHPAs against a load trace on the simulated federation, with the real engine, webhook,
alert receiver and sweep (in-process, on simulated time), and writes a chart of load, metric, desired and
ready replicas per cluster. Give up to 4 specs with -f to compare them on one chart.

  -f, --file FILE     a FederatedHPA (YAML or JSON); default: the seed walkthrough's
  --shape SHAPE       step (default), ramp, spike or sine, between --base-rps and --peak-rps
  --trace CSV         a load trace instead: "seconds,rps" lines, each rate holding until the next
  --peak-rps N        default ${SEED_LOAD.rps};   --base-rps N  default ${SEED_LOAD.idleRps}
  --seconds N         length of the run (default 180; with --trace, the trace's length + 60)
  --clusters A,B,...  member clusters, divided by equal static weights (default member1,member2)
  --no-alerts         scheduled sweeps only, no Alertmanager notifications
  --out FILE          the chart (SVG), default simulate.svg

The last line of output is one JSON object: the summary of the run (or {"runs": [...]} for several).
Exit status 0 after a run, 2 for bad arguments or a spec the admission webhook refuses.`;

interface Parsed {
  files: string[];
  shape: Shape;
  trace?: string;
  peakRps: number;
  baseRps: number;
  seconds?: number;
  clusters: string[];
  alerts: boolean;
  out: string;
}

function parse(args: string[]): Parsed | string {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        file: { type: 'string', short: 'f', multiple: true },
        shape: { type: 'string' },
        trace: { type: 'string' },
        'peak-rps': { type: 'string' },
        'base-rps': { type: 'string' },
        seconds: { type: 'string' },
        clusters: { type: 'string' },
        'no-alerts': { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    return parseArgsMessage(err);
  }
  if (values.help) return 'help';
  const num = (name: string, fallback: number, min: number, max: number): number | string => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    return Number.isFinite(n) && n >= min && n <= max ? n : `--${name}: a number from ${min} to ${max}`;
  };
  const shape = (values.shape as string | undefined) ?? 'step';
  if (!SHAPES.includes(shape as Shape)) return `--shape: one of ${SHAPES.join(', ')}`;
  if (values.shape !== undefined && values.trace !== undefined) return '--shape and --trace: give one';
  const peakRps = num('peak-rps', SEED_LOAD.rps, 0, 1e6);
  const baseRps = num('base-rps', SEED_LOAD.idleRps, 0, 1e6);
  const seconds = values.seconds === undefined ? undefined : num('seconds', 180, 30, 86_400);
  for (const v of [peakRps, baseRps, seconds]) if (typeof v === 'string') return v;
  if (typeof seconds === 'number' && !Number.isInteger(seconds)) return '--seconds: a whole number';
  const clusters = ((values.clusters as string | undefined) ?? 'member1,member2')
    .split(',')
    .map((c) => c.trim());
  if (clusters.some((c) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(c)) || clusters.length > 20)
    return '--clusters: 1 to 20 comma-separated cluster names (lowercase letters, digits, -)';
  const files = (values.file as string[] | undefined) ?? [];
  if (files.length > 4) return '-f: at most 4 specs on one chart';
  return {
    files,
    shape: shape as Shape,
    ...(values.trace !== undefined ? { trace: values.trace as string } : {}),
    peakRps: peakRps as number,
    baseRps: baseRps as number,
    ...(typeof seconds === 'number' ? { seconds } : {}),
    clusters,
    alerts: values['no-alerts'] !== true,
    out: (values.out as string | undefined) ?? 'simulate.svg',
  };
}

/** The FederatedHPAs of a file; a message naming the file and the field when there is none or it is malformed. */
async function readSpecs(io: CliIO, file: string): Promise<FederatedHPA[] | string> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (err) {
    return `${file}: ${err instanceof Error ? err.message : String(err)}`;
  }
  const read = readManifests(text);
  if (!read.ok) return `${file}: ${read.message}`;
  const specs: FederatedHPA[] = [];
  for (const obj of read.objects) {
    if ((obj as { kind?: unknown })?.kind !== 'FederatedHPA') continue;
    const parsed = federatedHPASchema.safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return `${file}: ${fieldPath(issue?.path ?? []) || '(root)'}: ${issue?.message ?? 'invalid'}`;
    }
    specs.push(parsed.data);
  }
  return specs.length > 0 ? specs : `${file}: no FederatedHPA in it`;
}

export const simulate: Command = async (args, io) => {
  const opts = parse(args);
  if (opts === 'help') {
    io.out(SIMULATE_USAGE);
    return 0;
  }
  if (typeof opts === 'string') {
    return argumentError(io, 'simulate', opts);
  }
  const specs: Array<{ name: string; fhpa: FederatedHPA }> = [];
  for (const file of opts.files) {
    const read = await readSpecs(io, file);
    if (typeof read === 'string') {
      io.err(`fhpa simulate: ${read}`);
      return 2;
    }
    for (const fhpa of read) specs.push({ name: `${fhpa.metadata.name ?? file}`, fhpa });
  }
  if (specs.length === 0) specs.push({ name: 'sample-app (seed)', fhpa: seedFederatedHPA() });
  if (specs.length > 4) {
    io.err('fhpa simulate: at most 4 FederatedHPAs on one chart');
    return 2;
  }

  let trace: LoadTrace;
  let seconds: number;
  if (opts.trace !== undefined) {
    let text: string;
    try {
      text = await io.readFile(opts.trace);
    } catch (err) {
      io.err(`fhpa simulate: ${opts.trace}: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
    const parsed = parseTraceCsv(text, opts.trace);
    if (typeof parsed === 'string') {
      io.err(`fhpa simulate: ${parsed}`);
      return 2;
    }
    trace = parsed;
    seconds = opts.seconds ?? Math.ceil(trace.lengthSeconds) + 60;
  } else {
    seconds = opts.seconds ?? 180;
    trace = shapeTrace(opts.shape, {
      seconds,
      peakRps: opts.peakRps,
      baseRps: opts.baseRps,
      startSecond: SEED_LOAD.startSecond,
      stepSeconds: SEED_LOAD.seconds,
    });
  }

  const started = Date.now();
  const runs: Array<{
    name: string;
    fhpa: FederatedHPA;
    summary: Summary;
    loadFell: boolean;
    timeline: ReturnType<typeof runTimeline>;
  }> = [];
  for (const [i, { name, fhpa }] of specs.entries()) {
    const workload: WorkloadSpec = {
      namespace: fhpa.metadata.namespace ?? 'default',
      name: fhpa.spec.scaleTargetRef.name,
      kind: fhpa.spec.scaleTargetRef.kind === 'StatefulSet' ? 'StatefulSet' : 'Deployment',
      replicas: Math.max(1, fhpa.spec.minReplicas ?? 1),
      clusters: opts.clusters,
    };
    const stack = startInProcessStack({ clusters: opts.clusters });
    try {
      const result = await runScenario({
        stack,
        workload,
        fhpa,
        trace,
        timing: SEED_TIMING,
        seconds,
        alerts: opts.alerts && typeof rulesFor(fhpa) !== 'string',
        onStep: (t) => {
          if (Date.now() - started > 1_000)
            io.progress?.(progressBar((i + t / seconds) / specs.length, name));
        },
      });
      for (const e of result.events)
        if (e.kind === 'setup' && e.message.includes('warning:')) io.err(`${name}: ${e.message.trim()}`);
      const summary = summarize(result.samples, result.events);
      runs.push({
        name,
        fhpa,
        summary,
        loadFell: loadFell(result.events),
        timeline: runTimeline(fhpa, result.samples, result.events, `${name}: ${trace.label} load`),
      });
    } catch (err) {
      io.progress?.('');
      const message = err instanceof Error ? err.message : String(err);
      io.err(`fhpa simulate: ${name}: ${message}`);
      return err instanceof Error && err.name === 'AdmissionDeniedError' ? 2 : 1;
    } finally {
      await stack.close();
    }
  }
  io.progress?.('');

  const [only] = runs;
  const chart =
    runs.length === 1 && only
      ? only.timeline
      : compareTimelines(
          runs.map((r) => ({ name: r.name, timeline: r.timeline })),
          `${runs.map((r) => r.name).join(' vs ')}: ${trace.label} load`,
        );
  try {
    await (io.writeFile ?? defaultWriteFile)(opts.out, renderTimeline(chart));
  } catch (err) {
    io.err(`fhpa simulate: --out ${opts.out}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  for (const r of runs) {
    io.out(`${r.name}: ${summaryLine(r.summary, r.loadFell)}`);
  }
  io.out(`chart: ${opts.out}`);
  io.out(
    JSON.stringify(
      runs.length === 1 && only ? only.summary : { runs: runs.map((r) => ({ name: r.name, ...r.summary })) },
    ),
  );
  return 0;
};

const defaultWriteFile = async (path: string, text: string) =>
  (await import('node:fs/promises')).writeFile(path, text);

function progressBar(fraction: number, label: string): string {
  const width = 30;
  const done = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(done)}${'-'.repeat(width - done)}] ${Math.round(fraction * 100)}% ${label}`;
}
