import { ConfigError, fanOutOptionsFrom, sweepOptionsFrom } from '../config.ts';
import { fetchTransport } from '../karmada/transport.ts';
import { consumeSweepBatches } from '../pipeline/fanout-consume.ts';
import { runFanOutScheduled, runTicks } from '../pipeline/scheduled.ts';
import { cloudflareSweepQueue, isQueueProducer } from '../queue/cloudflare-queue.ts';
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
/** wrangler.toml's [[queues.producers]] binding: when bound, the cron trigger fans the sweep out over it. */
const SWEEP_QUEUE_BINDING = 'SWEEP_QUEUE';
/**
 * No evaluation of a queue batch starts later than this after the batch arrived; those left are retried. Far
 * inside a consumer's 15-minute wall-clock limit: a batch of 4 messages of 25 takes seconds.
 */
const QUEUE_BATCH_DEADLINE_MS = 120_000;

/** A delivered message of a Queue consumer batch (@cloudflare/workers-types' Message), as fhpa uses it. */
interface QueueMessage {
  readonly id: string;
  readonly body: unknown;
  ack(): void;
  retry(): void;
}

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
      const ticks = {
        ...sweepOptionsFrom(rt.env), // FHPA_SWEEP_CONCURRENCY = 6 in wrangler.toml: the Worker's connection cap
        ticks: rt.env.FHPA_SWEEPS_PER_TICK,
        intervalMs: rt.env.FHPA_SWEEP_INTERVAL,
        deadline: rt.deps.clock() + 55_000,
      };
      const binding = env[SWEEP_QUEUE_BINDING];
      if (isQueueProducer(binding)) {
        // Fanned out: each tick lists and enqueues; the `queue` handler below evaluates, within its own limits.
        const queue = cloudflareSweepQueue(binding);
        const fanOut = fanOutOptionsFrom(rt.env);
        ctx.waitUntil(
          runTicks(rt.deps, { ...ticks, tick: () => runFanOutScheduled(rt.deps, queue, fanOut) }),
        );
      } else {
        ctx.waitUntil(runTicks(rt.deps, ticks));
      }
    },
    /**
     * The consumer of SWEEP_QUEUE (wrangler.toml [[queues.consumers]]): each message is acked, or retried when one
     * of its FederatedHPAs failed retryably (after max_retries it goes to the dead-letter queue). A configuration
     * error throws, which retries the whole batch.
     */
    async queue(batch: { messages: readonly QueueMessage[] }, env: WorkerEnv): Promise<void> {
      const rt = await get(env);
      const result = await consumeSweepBatches(rt.deps, batch.messages, {
        concurrency: rt.env.FHPA_SWEEP_CONCURRENCY,
        deadline: rt.deps.clock() + QUEUE_BATCH_DEADLINE_MS,
      });
      const retry = new Set(result.retry);
      for (const m of batch.messages) {
        if (retry.has(m.id)) m.retry();
        else m.ack();
      }
    },
  };
}
