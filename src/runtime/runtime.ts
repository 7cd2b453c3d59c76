import type { Hono } from 'hono';
import { createApp } from '../app/app.ts';
import type { PipelineMetrics } from '../app/prometheus.ts';
import { ConfigError, credentialsFrom, type Env, parseEnv, sweepOptionsFrom } from '../config.ts';
import type { Connection } from '../karmada/connection.ts';
import type { Transport } from '../karmada/transport.ts';
import { createLogger, type Logger } from '../log.ts';
import type { PipelineDeps } from '../pipeline/types.ts';
import type { DynamoConnector } from '../store/config.ts';
import { buildDeps } from './deps.ts';

export interface Runtime {
  env: Env;
  deps: PipelineDeps;
  app: Hono;
  log: Logger;
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
}

/** Parses configuration, builds the dependencies and the app: the one start-up path of every runtime. */
export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const env = parseEnv(opts.rawEnv);
  const log =
    opts.log ?? createLogger({ level: env.FHPA_LOG_LEVEL, ...(opts.clock ? { now: opts.clock } : {}) });
  const deps = await buildDeps({
    env,
    rawEnv: opts.rawEnv,
    connection: await opts.connection(env),
    ...(opts.transport ? { transport: opts.transport } : {}),
    dynamo: opts.dynamo,
    log,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.metrics ? { observer: opts.metrics, restObserver: opts.metrics } : {}),
  });
  const app = createApp({
    deps: () => deps,
    credentials: credentialsFrom(env),
    maxBodyBytes: env.FHPA_MAX_BODY_BYTES,
    sweep: sweepOptionsFrom(env),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    admissionLookupTimeoutMs: env.FHPA_ADMISSION_LOOKUP_TIMEOUT,
  });
  return { env, deps, app, log };
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
