import { ConfigError, sweepOptionsFrom } from '../config.ts';
import { fetchTransport } from '../karmada/transport.ts';
import { runTicks } from '../pipeline/scheduled.ts';
import { fetchConnector } from '../store/connect-fetch.ts';
import { connectionFromEnv } from './deps.ts';
import { createRuntime, misconfigured, type Runtime } from './runtime.ts';

// Cloudflare Worker glue: the environment arrives with each event, so the runtime is built on first use and
// kept for the isolate's life. Karmada is reached with fetch (public CAs only: see README), through the
// KARMADA_CERT mTLS certificate binding when wrangler.toml binds one (client-certificate auth), and DynamoDB
// through signed fetch, the AWS SDK being unreliable on Workers.

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
type WorkerEnv = Record<string, unknown>;

/** A Fetcher binding, such as an mTLS certificate binding: its fetch presents the uploaded client certificate. */
interface FetcherBinding {
  fetch(request: Request): Promise<Response>;
}

/** wrangler.toml's [[mtls_certificates]] binding for Karmada's client certificate (when bound). */
const KARMADA_CERT_BINDING = 'KARMADA_CERT';

function karmadaTransport(env: WorkerEnv) {
  const cert = env[KARMADA_CERT_BINDING] as Partial<FetcherBinding> | undefined;
  // Called as a method: a Fetcher invoked with a foreign `this` throws "Illegal invocation".
  return typeof cert?.fetch === 'function'
    ? fetchTransport((req) => (cert as FetcherBinding).fetch(req))
    : fetchTransport();
}

export function createWorker() {
  let runtime: Promise<Runtime> | undefined;
  const get = (env: WorkerEnv) => {
    runtime ??= createRuntime({
      rawEnv: Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<
        string,
        string
      >,
      connection: async (e) => {
        const c = connectionFromEnv(e);
        if (!c)
          throw new ConfigError([
            'FHPA_KARMADA_SERVER: required on Workers (a kubeconfig cannot be read here)',
          ]);
        return c;
      },
      transport: karmadaTransport(env),
      dynamo: fetchConnector,
    }).catch((err) => {
      runtime = undefined; // a fixed secret should take effect on the next request, not the next deploy
      throw err;
    });
    return runtime;
  };
  return {
    async fetch(request: Request, env: WorkerEnv): Promise<Response> {
      let rt: Runtime;
      try {
        rt = await get(env);
      } catch (err) {
        return misconfigured(err);
      }
      return rt.app.fetch(request);
    },
    async scheduled(_controller: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
      const rt = await get(env);
      ctx.waitUntil(
        runTicks(rt.deps, {
          ...sweepOptionsFrom(rt.env), // FHPA_SWEEP_CONCURRENCY = 6 in wrangler.toml: the Worker's connection cap
          ticks: rt.env.FHPA_SWEEPS_PER_TICK,
          intervalMs: rt.env.FHPA_SWEEP_INTERVAL,
          deadline: rt.deps.clock() + 55_000,
        }),
      );
    },
  };
}
