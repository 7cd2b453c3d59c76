import { createApp } from '../../src/app/app.ts';
import type { PipelineMetrics } from '../../src/app/prometheus.ts';
import { createKarmadaAdapter, type KarmadaAdapterOptions } from '../../src/karmada/adapter.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import { type RunningServer, startNodeServer } from '../../src/node-server.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/sim/index.ts';
import { EmbeddedHistoryStore } from '../../src/store/embedded-store.ts';
import type { HistoryStore } from '../../src/store/history-store.ts';

// fhpa as it runs on Node (the Hono app behind startNodeServer, over loopback HTTP) in front of the simulated
// Karmada, with the embedded history store unless one is given: what the alert-latency and fuzz runs send
// requests to. Time is the simulator's clock, so tests and benchmarks decide when time passes.

/** The bearer token Alertmanager is configured with in these runs (never a real credential). */
export const BENCH_TOKEN = 'fhpa-bench-alertmanager-token-0123456789';

export interface FhpaStack {
  sim: Simulator;
  deps: PipelineDeps;
  server: RunningServer;
  close(): Promise<void>;
}

export async function startFhpaStack(
  opts: {
    sim?: SimulatorOptions;
    store?: HistoryStore;
    adapter?: Partial<Omit<KarmadaAdapterOptions, 'connection'>>;
    maxBodyBytes?: number;
    /** The pipeline's and the server's logger (default: silent). */
    log?: Logger;
    /** Counts evaluations and mounts /metrics, as the Node runtime does. */
    metrics?: PipelineMetrics;
  } = {},
): Promise<FhpaStack> {
  const sim = await startSimulator({ clusters: ['member1', 'member2'], ...opts.sim });
  const clock = () => sim.clock.now();
  const log = opts.log ?? silentLogger;
  const deps: PipelineDeps = {
    karmada: createKarmadaAdapter({
      connection: { server: sim.url, token: sim.token },
      timeoutMs: 2_000,
      ...opts.adapter,
    }),
    store: opts.store ?? new EmbeddedHistoryStore({ clock, ttlSeconds: 3600, onWarning: () => {} }),
    clock,
    scope: 'bench',
    log,
    ...(opts.metrics ? { observer: opts.metrics } : {}),
  };
  const app = createApp({
    deps: () => deps,
    credentials: { bearerToken: BENCH_TOKEN },
    maxBodyBytes: opts.maxBodyBytes ?? 64 * 1024,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
  const server = await startNodeServer({
    app,
    port: 0,
    host: '127.0.0.1',
    log,
    shutdownGraceMs: 1_000,
  });
  return {
    sim,
    deps,
    server,
    close: async () => {
      await server.close();
      await sim.close();
    },
  };
}
