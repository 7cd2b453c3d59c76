import { Worker } from 'node:worker_threads';
import { startSimulator } from '../../src/sim/index.ts';
import { startDynalite } from '../../test/support/dynalite.ts';
import { threadCpuSeconds } from './cpu-floor.ts';
import { applyFleet, countByKind } from './sweep-fleet.ts';

// The simulated Karmada of the sweep benchmark, with its fleet set up, either on a worker thread (the
// default) or on the benchmark's own thread. Karmada's API server is another machine in production, so the
// simulator's work (routing, rendering, JSON, the added latency's timers) should not be counted as fhpa's:
// on the worker it runs on its own core and event loop, and fhpa's sweep has the main thread to itself, as a
// Lambda or Worker invocation has its own CPU. `inline` keeps both on one thread, for comparison.

export interface SweepSimOptions {
  count: number;
  perNamespace: number;
  loadedEvery: number;
  latencyMs: number;
  /** Also serve a DynamoDB (dynalite) on the simulator's thread, so its work is not counted as fhpa's. */
  dynalite?: boolean;
  /**
   * Requests kept in the log that report() reads by kind; default every request of a sweep. The fleet
   * benchmark keeps few: 100,000 FederatedHPAs are millions of requests, counted without keeping them.
   */
  requestLogLimit?: number;
}

export interface SweepSimReport {
  /** Requests answered since mark(), in total and by what they were for. */
  requests: number;
  byKind: Record<string, number>;
  /** CPU seconds the simulator's thread used since mark() (null without procfs). */
  cpuSeconds: number | null;
  /** Every response body sent since mark(): the CPU floor's input (bench/support/cpu-floor.ts). */
  bodies: string[];
}

export interface SweepSim {
  url: string;
  token: string;
  /** Simulated time after the set-up, ms: the clock stands still while the sweep runs. */
  now: number;
  /** The dynalite endpoint, when one was asked for. */
  dynamoEndpoint?: string;
  namespaces: string[];
  loaded: number;
  setupSeconds: number;
  /** Starts counting requests. */
  mark(): Promise<void>;
  report(): Promise<SweepSimReport>;
  close(): Promise<void>;
}

/** What a started simulator tells the benchmark, whether it runs inline or on the worker thread. */
export type SweepSimInfo = Omit<SweepSim, 'mark' | 'report' | 'close'>;

export function sweepSimInfo(started: Awaited<ReturnType<typeof startSweepSim>>): SweepSimInfo {
  const { sim, fleet, setupSeconds, dynamoEndpoint } = started;
  return {
    url: sim.url,
    token: sim.token,
    now: sim.clock.now(),
    ...(dynamoEndpoint ? { dynamoEndpoint } : {}),
    namespaces: fleet.namespaces,
    loaded: fleet.loaded,
    setupSeconds,
  };
}

/** Messages between the benchmark and the worker (sweep-sim-worker.ts). */
export type ToWorker = { type: 'mark' } | { type: 'report' } | { type: 'close' };
export type FromWorker =
  | ({ type: 'ready' } & SweepSimInfo)
  | { type: 'marked' }
  | ({ type: 'report' } & SweepSimReport)
  | { type: 'closed' }
  | { type: 'failed'; message: string };

/** Starts the simulator and sets up the fleet: what the worker does, and what `inline` does here. */
export async function startSweepSim(opts: SweepSimOptions, log?: (line: string) => void) {
  const sim = await startSimulator({
    clusters: ['member1', 'member2'],
    faults: [{ name: 'api-latency', path: '/**', latencyMs: opts.latencyMs, latencyMode: 'real' }],
    // Every request of the sweep is kept, so the log can say what each was for.
    requestLogLimit: opts.requestLogLimit ?? opts.count * 40 + 1_000,
  });
  const dynalite = opts.dynalite ? await startDynalite() : undefined;
  const started = performance.now();
  const fleet = applyFleet(sim, { ...opts, ...(log ? { log } : {}) });
  const setupSeconds = (performance.now() - started) / 1000;
  let from = 0;
  let before = 0;
  let cpuBefore: number | null = null;
  let bodies: string[] = [];
  sim.tapResponses((body) => bodies.push(body));
  const control = {
    mark() {
      bodies = [];
      from = sim.requestLog.length;
      before = sim.counters.requests;
      cpuBefore = threadCpuSeconds();
    },
    report(): SweepSimReport {
      const cpu = threadCpuSeconds();
      return {
        requests: sim.counters.requests - before,
        byKind: countByKind(sim.requestLog.slice(from)),
        cpuSeconds: cpu !== null && cpuBefore !== null ? cpu - cpuBefore : null,
        bodies,
      };
    },
  };
  const close = async () => {
    await sim.close();
    await dynalite?.stop();
  };
  return {
    sim,
    fleet,
    setupSeconds,
    control,
    close,
    ...(dynalite ? { dynamoEndpoint: dynalite.endpoint } : {}),
  };
}

export async function inlineSweepSim(opts: SweepSimOptions, log: (line: string) => void): Promise<SweepSim> {
  const started = await startSweepSim(opts, log);
  const { control, close } = started;
  return {
    ...sweepSimInfo(started),
    mark: async () => control.mark(),
    report: async () => control.report(),
    close,
  };
}

export async function workerSweepSim(opts: SweepSimOptions): Promise<SweepSim> {
  // Loader hooks registered with `--import tsx` do not reach worker threads on Node 20, so the worker first
  // registers tsx itself, then imports its TypeScript entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./sweep-sim-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: opts });
  const pending: ((m: FromWorker) => void)[] = [];
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure = err;
    for (const resolve of pending.splice(0)) resolve({ type: 'failed', message: err.message });
  };
  worker.on('message', (m: FromWorker) => pending.shift()?.(m));
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`simulator worker exited (code ${code})`)));
  const next = () =>
    new Promise<FromWorker>((resolve) => {
      if (failure) resolve({ type: 'failed', message: failure.message });
      else pending.push(resolve);
    });
  const ask = async <T extends FromWorker['type']>(message: ToWorker | undefined, want: T) => {
    const reply = next();
    if (message) worker.postMessage(message);
    const m = await reply;
    if (m.type === 'failed') throw new Error(`simulator worker: ${m.message}`);
    if (m.type !== want) throw new Error(`simulator worker answered ${m.type}, expected ${want}`);
    return m as Extract<FromWorker, { type: T }>;
  };

  const { type: _ready, ...info } = await ask(undefined, 'ready');
  return {
    ...info,
    mark: async () => {
      await ask({ type: 'mark' }, 'marked');
    },
    report: async () => {
      const { requests, byKind, cpuSeconds, bodies } = await ask({ type: 'report' }, 'report');
      return { requests, byKind, cpuSeconds, bodies };
    },
    close: async () => {
      if (failure) return;
      await ask({ type: 'close' }, 'closed');
      await worker.terminate();
    },
  };
}
