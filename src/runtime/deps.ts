import { type Env, engineOptionsFrom } from '../config.ts';
import { createKarmadaAdapter } from '../karmada/adapter.ts';
import type { Connection } from '../karmada/connection.ts';
import type { RestObserver } from '../karmada/rest-client.ts';
import type { Transport } from '../karmada/transport.ts';
import type { Logger } from '../log.ts';
import { scaleWriteInFlightMs } from '../pipeline/scale-write.ts';
import type { PipelineDeps, PipelineObserver } from '../pipeline/types.ts';
import { prometheusEndpointsFrom } from '../prometheus/endpoints.ts';
import { createPromqlSource } from '../prometheus/promql-source.ts';
import { createHistoryStore, type DynamoConnector, type StoreConfig } from '../store/config.ts';

// Assembles the pipeline's dependencies from parsed configuration. Runtimes differ only in what they pass:
// the Karmada connection (a URL and token everywhere; a kubeconfig on Node and Lambda), the HTTP transport
// (fetch on Workers, node:https with private CAs on Node) and the DynamoDB transport (SDK or signed fetch).
export interface RuntimeParts {
  env: Env;
  store: StoreConfig;
  connection: Connection;
  transport?: Transport;
  /** How this runtime reaches DynamoDB (connect-sdk.ts or connect-fetch.ts), when a table is configured. */
  dynamo: DynamoConnector;
  log: Logger;
  clock?: () => number;
  observer?: PipelineObserver;
  /** Told about every request to the Karmada API server (Prometheus metrics). */
  restObserver?: RestObserver;
}

export async function buildDeps(parts: RuntimeParts): Promise<PipelineDeps> {
  const { env, log } = parts;
  const store = await createHistoryStore(parts.store, {
    connect: parts.dynamo,
    onWarning: (message) => log.warn(message, { component: 'store' }),
  });
  const karmada = createKarmadaAdapter({
    connection: parts.connection,
    ...(parts.transport ? { transport: parts.transport } : {}),
    timeoutMs: env.FHPA_KARMADA_TIMEOUT_MS,
    onWarning: (message: string) => log.warn(message, { component: 'karmada' }),
    ...(parts.restObserver ? { observer: parts.restObserver } : {}),
  });
  const endpoints = prometheusEndpointsFrom(env);
  const promql =
    endpoints.size > 0
      ? createPromqlSource(endpoints, parts.transport, (message) =>
          log.warn(message, { component: 'prometheus' }),
        )
      : undefined;
  return {
    karmada,
    store,
    ...(promql ? { promql } : {}),
    clock: parts.clock ?? Date.now,
    scope: env.FHPA_SCOPE,
    engineOptions: engineOptionsFrom(env),
    mode: env.FHPA_MODE,
    scaleWriteInFlightMs: scaleWriteInFlightMs(env.FHPA_KARMADA_TIMEOUT_MS),
    log,
    ...(parts.observer ? { observer: parts.observer } : {}),
  };
}

/** A connection from FHPA_KARMADA_* variables alone (every runtime; the only way on Workers). */
export function connectionFromEnv(env: Env): Connection | undefined {
  if (!env.FHPA_KARMADA_SERVER) return undefined;
  return {
    server: env.FHPA_KARMADA_SERVER,
    ...(env.FHPA_KARMADA_TOKEN ? { token: env.FHPA_KARMADA_TOKEN } : {}),
    ...(env.FHPA_KARMADA_CA_DATA ? { caData: env.FHPA_KARMADA_CA_DATA } : {}),
    ...(env.FHPA_KARMADA_INSECURE_SKIP_TLS_VERIFY ? { insecureSkipTLSVerify: true } : {}),
  };
}
