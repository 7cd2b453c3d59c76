import { handle } from 'hono/aws-lambda';
import { type SqsBatchResponse, sqsEventSchema } from '../api/sqs-event.ts';
import { type Env, fanOutOptionsFrom, sweepOptionsFrom } from '../config.ts';
import { nodeTransport } from '../karmada/node-transport.ts';
import { consumeSweepBatches } from '../pipeline/fanout-consume.ts';
import { runFanOutScheduled, runTicks } from '../pipeline/scheduled.ts';
import { sqsSweepQueue } from '../queue/sqs.ts';
import type { SweepQueue } from '../queue/sweep-queue.ts';
import { sdkConnector } from '../store/connect-sdk.ts';
import { loadSecretEnv } from './aws-secret.ts';
import { nodeConnection } from './node-connection.ts';
import { createRuntime, misconfigured, type Runtime } from './runtime.ts';

// AWS Lambda glue: a Function URL / API Gateway handler, an EventBridge Scheduler handler and an SQS handler
// (the consumer of a fanned-out sweep) over one runtime, built at cold start (module scope, so warm invocations
// reuse clients and sockets). Secrets come from one Secrets Manager secret because Lambda's environment holds
// 4 KB in total.

type LambdaRuntime = Runtime & { sweepQueue?: SweepQueue };
let runtime: Promise<LambdaRuntime> | undefined;

/** FHPA_SWEEP_QUEUE_URL's queue, signed with the function's role credentials (Lambda puts them in the environment). */
function sweepQueueOf(env: Env, rawEnv: Record<string, string | undefined>): SweepQueue | undefined {
  if (!env.FHPA_SWEEP_QUEUE_URL) return undefined;
  const region = rawEnv.AWS_REGION ?? rawEnv.AWS_DEFAULT_REGION;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = rawEnv;
  if (!region || !accessKeyId || !secretAccessKey) {
    throw new Error(
      'AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: required by FHPA_SWEEP_QUEUE_URL',
    );
  }
  return sqsSweepQueue({
    queueUrl: env.FHPA_SWEEP_QUEUE_URL,
    region,
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(rawEnv.AWS_SESSION_TOKEN ? { sessionToken: rawEnv.AWS_SESSION_TOKEN } : {}),
    },
    ...(env.FHPA_SQS_ENDPOINT ? { endpoint: env.FHPA_SQS_ENDPOINT } : {}),
  });
}

function get(): Promise<LambdaRuntime> {
  runtime ??= (async () => {
    const rawEnv: Record<string, string | undefined> = { ...process.env };
    if (rawEnv.FHPA_SECRET_ARN) Object.assign(rawEnv, await loadSecretEnv(rawEnv.FHPA_SECRET_ARN, rawEnv));
    const rt = await createRuntime({
      rawEnv,
      connection: nodeConnection,
      transport: nodeTransport(),
      dynamo: sdkConnector,
      durableStoreRequiredOn: 'Lambda',
    });
    const sweepQueue = sweepQueueOf(rt.env, rawEnv);
    return sweepQueue ? { ...rt, sweepQueue } : rt;
  })().catch((err) => {
    runtime = undefined;
    throw err;
  });
  return runtime;
}

type LambdaHttpHandler = ReturnType<typeof handle>;
let httpHandler: LambdaHttpHandler | undefined;

export const handler = async (...args: Parameters<LambdaHttpHandler>) => {
  let rt: Runtime;
  try {
    rt = await get();
  } catch (err) {
    const res = misconfigured(err);
    return {
      statusCode: res.status,
      headers: { 'content-type': 'application/json' },
      body: await res.text(),
    };
  }
  httpHandler ??= handle(rt.app);
  return httpHandler(...args);
};

interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/**
 * EventBridge Scheduler target: FHPA_SWEEPS_PER_TICK sweeps, FHPA_SWEEP_INTERVAL apart, within the timeout. With
 * FHPA_SWEEP_QUEUE_URL each sweep only lists and enqueues; the SQS consumer (`sweepQueue`) evaluates.
 */
export const scheduled = async (_event: unknown, context?: LambdaContext) => {
  const rt = await get();
  const remaining = context?.getRemainingTimeInMillis() ?? 60_000;
  const ticks = {
    ...sweepOptionsFrom(rt.env), // FHPA_SWEEP_CONCURRENCY, _NAMESPACE, _LABEL_SELECTOR, _SHARD, as /sweep honours them
    ticks: rt.env.FHPA_SWEEPS_PER_TICK,
    intervalMs: rt.env.FHPA_SWEEP_INTERVAL,
    deadline: rt.deps.clock() + remaining - 5_000,
  };
  const queue = rt.sweepQueue;
  if (queue) {
    const fanOut = fanOutOptionsFrom(rt.env);
    const summaries = await runTicks(rt.deps, {
      ...ticks,
      tick: () => runFanOutScheduled(rt.deps, queue, fanOut),
    });
    return summaries.map((s) => ({ ...s.fanOut, cron: s.cron }));
  }
  const summaries = await runTicks(rt.deps, ticks);
  return summaries.map((s) => ({
    evaluated: s.sweep.evaluated,
    outcomes: s.sweep.countsByOutcome,
    cron: s.cron,
  }));
};

/**
 * SQS event source mapping target (FunctionResponseTypes: ReportBatchItemFailures): the batches of a fanned-out
 * sweep. Messages whose FederatedHPAs failed retryably are reported in batchItemFailures and come back after
 * the visibility timeout (then to the dead-letter queue); the rest are deleted. A configuration error throws,
 * so the whole batch is retried rather than dropped.
 */
export const sweepQueue = async (event: unknown, context?: LambdaContext): Promise<SqsBatchResponse> => {
  const rt = await get();
  const parsed = sqsEventSchema.safeParse(event);
  if (!parsed.success) {
    // Not an SQS event (a test invoke, a misrouted trigger): nothing to retry or delete.
    const issue = parsed.error.issues[0];
    rt.log.error('sweep queue event is not an SQS event', {
      error: `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
    });
    return { batchItemFailures: [] };
  }
  const remaining = context?.getRemainingTimeInMillis() ?? 60_000;
  const result = await consumeSweepBatches(
    rt.deps,
    parsed.data.Records.map((r) => ({ id: r.messageId, body: r.body })),
    { concurrency: rt.env.FHPA_SWEEP_CONCURRENCY, deadline: rt.deps.clock() + remaining - 5_000 },
  );
  return { batchItemFailures: result.retry.map((id) => ({ itemIdentifier: id })) };
};

/** For tests: forget the cached runtime so the next call re-reads the environment. */
export function resetLambdaRuntime(): void {
  runtime = undefined;
  httpHandler = undefined;
}
