import { createKarmadaAdapter } from '../../src/karmada/adapter.ts';
import type { Transport } from '../../src/karmada/transport.ts';
import { silentLogger } from '../../src/log.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/sim/index.ts';
import { EmbeddedHistoryStore } from '../../src/store/embedded-store.ts';
import type { HistoryStore } from '../../src/store/history-store.ts';

export interface Harness {
  sim: Simulator;
  deps: PipelineDeps;
  store: HistoryStore;
  close(): Promise<void>;
}

/**
 * The simulated Karmada over real loopback HTTP, fhpa's adapter pointed at it, and a history store (the
 * embedded one unless given): the production pipeline with nothing mocked. Time is the simulator's clock.
 */
export async function startHarness(
  opts: {
    sim?: SimulatorOptions;
    store?: HistoryStore;
    retries?: number;
    /** The token fhpa sends (default the simulator's admin token). */
    token?: (sim: Simulator) => string;
    /** Rewrites what the simulator answers (a Karmada that returns impossible state). */
    transport?: Transport;
  } = {},
): Promise<Harness> {
  const sim = await startSimulator({ clusters: ['member1', 'member2'], ...opts.sim });
  const clock = () => sim.clock.now();
  const store =
    opts.store ?? new EmbeddedHistoryStore({ clock, ttlSeconds: 7 * 86_400, onWarning: () => {} });
  const karmada = createKarmadaAdapter({
    connection: { server: sim.url, token: opts.token?.(sim) ?? sim.token },
    timeoutMs: 2_000,
    ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
    ...(opts.transport ? { transport: opts.transport } : {}),
  });
  const deps: PipelineDeps = { karmada, store, clock, scope: 'test', log: silentLogger };
  return { sim, deps, store, close: () => sim.close() };
}
