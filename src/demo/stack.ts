import { createApp } from '../app/app.ts';
import { createKarmadaAdapter } from '../karmada/adapter.ts';
import { silentLogger } from '../log.ts';
import { startNodeServer } from '../node-server.ts';
import type { PipelineDeps } from '../pipeline/types.ts';
import { createSimulatorApp, SimState, startSimulator } from '../sim/index.ts';
import { EmbeddedHistoryStore } from '../store/embedded-store.ts';
import type { Endpoint } from './endpoint.ts';

// What the demo and `fhpa simulate` run against: the simulated Karmada control plane and fhpa's own app,
// wired as in production (the Karmada adapter over HTTP, the embedded history store, the Hono app with its
// real routes and bearer auth). Two forms: served on loopback sockets (`npm run demo`, so every request
// really crosses HTTP), and in-process (`fhpa simulate`: the same Request/Response through each app's fetch,
// faster for long traces and safe to run beside anything).

export interface StackOptions {
  clusters: readonly string[];
  /** Wall clock instead of simulated time (served form only). */
  realtime?: boolean;
  /** Simulated seconds from pod creation to Ready (the simulator's default is 5). */
  podStartupDelaySeconds?: number;
}

export interface Stack {
  sim: Endpoint;
  fhpa: Endpoint;
  mode: 'simulated' | 'realtime';
  clusters: readonly string[];
  close(): Promise<void>;
}

/** History records expire a week after their last save, as FHPA_HISTORY_TTL_SECONDS' default. */
const HISTORY_TTL_SECONDS = 7 * 86_400;
const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** fhpa's Node server default FHPA_KARMADA_TIMEOUT_MS is 10 s; loopback answers in milliseconds. */
const KARMADA_TIMEOUT_MS = 5_000;

function pipelineDeps(karmada: Endpoint, clock: () => number): PipelineDeps {
  return {
    karmada: createKarmadaAdapter({
      connection: { server: karmada.url, token: karmada.token },
      ...(karmada.fetch ? { transport: karmada.fetch } : {}),
      timeoutMs: KARMADA_TIMEOUT_MS,
    }),
    store: new EmbeddedHistoryStore({ clock, ttlSeconds: HISTORY_TTL_SECONDS, onWarning: () => {} }),
    clock,
    scope: 'demo',
    log: silentLogger,
  };
}

/** A random bearer token for the fhpa webhook routes, as FHPA_AUTH_TOKEN would be. */
const newToken = () => `fhpa-demo-${crypto.randomUUID()}`;

/** The simulator and fhpa's Node server, each on 127.0.0.1 at a free port. */
export async function startServedStack(opts: StackOptions): Promise<Stack> {
  const mode = opts.realtime ? 'realtime' : 'simulated';
  const sim = await startSimulator({
    clusters: [...opts.clusters],
    clock: mode,
    ...(opts.podStartupDelaySeconds !== undefined
      ? { podStartupDelaySeconds: opts.podStartupDelaySeconds }
      : {}),
  });
  const karmada: Endpoint = { url: sim.url, token: sim.token };
  // Simulated time: fhpa's clock is the simulator's (the only thing not carried over HTTP, as a real
  // deployment shares the wall clock with its API server). Real time: the wall clock, as in production.
  const deps = pipelineDeps(karmada, mode === 'simulated' ? () => sim.clock.now() : Date.now);
  const token = newToken();
  const app = createApp({
    deps: () => deps,
    credentials: { bearerToken: token },
    maxBodyBytes: WEBHOOK_BODY_LIMIT,
  });
  let server: Awaited<ReturnType<typeof startNodeServer>>;
  try {
    server = await startNodeServer({
      app,
      port: 0,
      host: '127.0.0.1',
      log: silentLogger,
      shutdownGraceMs: 1_000,
    });
  } catch (err) {
    await sim.close();
    throw err;
  }
  return {
    sim: karmada,
    fhpa: { url: server.url, token },
    mode,
    clusters: opts.clusters,
    async close() {
      await server.close();
      await sim.close();
    },
  };
}

/** The same two apps without sockets: requests go straight to each app's fetch. Simulated time only. */
export function startInProcessStack(opts: Omit<StackOptions, 'realtime'>): Stack {
  const state = new SimState({
    clusters: [...opts.clusters],
    clock: 'simulated',
    ...(opts.podStartupDelaySeconds !== undefined
      ? { podStartupDelaySeconds: opts.podStartupDelaySeconds }
      : {}),
  });
  const simApp = createSimulatorApp(state);
  const karmada: Endpoint = {
    url: 'http://karmada.sim',
    token: state.token,
    fetch: async (req) => simApp.fetch(req),
  };
  const deps = pipelineDeps(karmada, () => state.now());
  const token = newToken();
  const app = createApp({
    deps: () => deps,
    credentials: { bearerToken: token },
    maxBodyBytes: WEBHOOK_BODY_LIMIT,
  });
  return {
    sim: karmada,
    fhpa: { url: 'http://fhpa.local', token, fetch: async (req) => app.fetch(req) },
    mode: 'simulated',
    clusters: opts.clusters,
    close: async () => {},
  };
}
