import type { Hono } from 'hono';
import { createApp } from '../app/app.ts';
import { hasCredentials } from '../app/auth.ts';
import type { PipelineMetrics } from '../app/prometheus.ts';
import type { SweepScope } from '../app/scheduled-route.ts';
import { ConfigError, credentialsFrom, type Env, parseEnv } from '../config.ts';
import type { Connection } from '../karmada/connection.ts';
import type { Transport } from '../karmada/transport.ts';
import { createLogger, type Logger } from '../log.ts';
import type { PipelineDeps } from '../pipeline/types.ts';
import { type DynamoConnector, describeStore, parseStoreConfig, type StoreConfig } from '../store/config.ts';
import { buildDeps } from './deps.ts';
import { type LeaseHolder, sweepScope } from './sweep-scope.ts';

export interface Runtime {
  env: Env;
  deps: PipelineDeps;
  app: Hono;
  log: Logger;
  /** What a sweep of this replica covers now: the same for POST /sweep and the Node server's loop. */
  sweepScope: () => SweepScope;
  /** The Node server's lease keeper, once it has one: from then on sweeps cover what it holds. */
  useLeases(keeper: LeaseHolder): void;
}

export interface RuntimeOptions {
  rawEnv: Record<string, string | undefined>;
  /** How to reach Karmada, given the parsed environment (each runtime has its own ways). */
  connection: (env: Env) => Promise<Connection>;
  transport?: Transport;
  dynamo: DynamoConnector;
  clock?: () => number;
  metrics?: PipelineMetrics;
  log?: Logger;
  /**
   * Refuse the embedded store, naming this platform (Lambda): where every instance is short-lived and many run
   * at once, histories kept in one process's memory are lost or split, and scale-downs stop being stabilized.
   */
  durableStoreRequiredOn?: string;
  /** Log the configuration at start-up (default true; one-shot CLI commands say nothing). */
  announce?: boolean;
}

/** Parses configuration, builds the dependencies and the app: the one start-up path of every runtime. */
export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const env = parseEnv(opts.rawEnv);
  const store = parseStoreConfig(opts.rawEnv);
  if (store.kind === 'embedded' && opts.durableStoreRequiredOn)
    throw new ConfigError([
      `FHPA_STORE: the embedded store keeps histories in one process's memory, which ${opts.durableStoreRequiredOn} does not keep; set FHPA_STORE=dynamodb and FHPA_DYNAMODB_TABLE`,
    ]);
  const log =
    opts.log ?? createLogger({ level: env.FHPA_LOG_LEVEL, ...(opts.clock ? { now: opts.clock } : {}) });
  const connection = await opts.connection(env);
  const deps = await buildDeps({
    env,
    store,
    connection,
    ...(opts.transport ? { transport: opts.transport } : {}),
    dynamo: opts.dynamo,
    log,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.metrics ? { observer: opts.metrics, restObserver: opts.metrics } : {}),
  });
  let keeper: LeaseHolder | undefined;
  const scope = sweepScope(env, () => keeper);
  const app = createApp({
    deps: () => deps,
    credentials: credentialsFrom(env),
    maxBodyBytes: env.FHPA_MAX_BODY_BYTES,
    sweep: scope,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    admissionLookupTimeoutMs: env.FHPA_ADMISSION_LOOKUP_TIMEOUT,
  });
  if (opts.announce !== false) logStartup(log, env, store, connection);
  return {
    env,
    deps,
    app,
    log,
    sweepScope: scope,
    useLeases: (k) => {
      keeper = k;
    },
  };
}

/** What an operator checks first: which Karmada and which store, and whether anyone can trigger (no secrets). */
function logStartup(log: Logger, env: Env, store: StoreConfig, connection: Connection): void {
  log.info('fhpa configured', {
    karmada: serverWithoutCredentials(connection.server),
    store: describeStore(store),
    scope: env.FHPA_SCOPE,
    mode: env.FHPA_MODE,
  });
  // Without credentials the trigger routes fail closed (401 to everyone): say so once, instead of silently.
  if (!hasCredentials(credentialsFrom(env)))
    log.warn(
      'no trigger credentials set (FHPA_AUTH_TOKEN, or FHPA_AUTH_BASIC_USER and FHPA_AUTH_BASIC_PASSWORD): /alerts, /evaluate and /sweep answer 401 to every request',
    );
}

/** The server URL without user info, query or fragment (a URL may carry credentials). */
export function serverWithoutCredentials(server: string): string {
  try {
    const u = new URL(server);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** A configuration problem is the operator's to fix: 503 with the variable names (never their values). */
export function misconfigured(err: unknown): Response {
  const problems =
    err instanceof ConfigError ? err.problems : [err instanceof Error ? err.message : String(err)];
  return new Response(JSON.stringify({ error: 'fhpa is not configured', problems }), {
    status: 503,
    headers: { 'Content-Type': 'application/json', 'Retry-After': '60' },
  });
}
