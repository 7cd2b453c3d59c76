import { handle } from 'hono/aws-lambda';
import { sweepOptionsFrom } from '../config.ts';
import { nodeTransport } from '../karmada/node-transport.ts';
import { runTicks } from '../pipeline/scheduled.ts';
import { sdkConnector } from '../store/connect-sdk.ts';
import { loadSecretEnv } from './aws-secret.ts';
import { nodeConnection } from './node-connection.ts';
import { createRuntime, misconfigured, type Runtime } from './runtime.ts';

// AWS Lambda glue: a Function URL / API Gateway handler and an EventBridge Scheduler handler over one runtime,
// built at cold start (module scope, so warm invocations reuse clients and sockets). Secrets come from one
// Secrets Manager secret because Lambda's environment holds 4 KB in total.

let runtime: Promise<Runtime> | undefined;

function get(): Promise<Runtime> {
  runtime ??= (async () => {
    const rawEnv: Record<string, string | undefined> = { ...process.env };
    if (rawEnv.FHPA_SECRET_ARN) Object.assign(rawEnv, await loadSecretEnv(rawEnv.FHPA_SECRET_ARN, rawEnv));
    return createRuntime({
      rawEnv,
      connection: nodeConnection,
      transport: nodeTransport(),
      dynamo: sdkConnector,
    });
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

/** EventBridge Scheduler target: FHPA_SWEEPS_PER_TICK sweeps, FHPA_SWEEP_INTERVAL apart, within the timeout. */
export const scheduled = async (_event: unknown, context?: LambdaContext) => {
  const rt = await get();
  const remaining = context?.getRemainingTimeInMillis() ?? 60_000;
  const summaries = await runTicks(rt.deps, {
    ...sweepOptionsFrom(rt.env), // FHPA_SWEEP_CONCURRENCY, _NAMESPACE, _LABEL_SELECTOR, _SHARD, as /sweep honours them
    ticks: rt.env.FHPA_SWEEPS_PER_TICK,
    intervalMs: rt.env.FHPA_SWEEP_INTERVAL,
    deadline: rt.deps.clock() + remaining - 5_000,
  });
  return summaries.map((s) => ({
    evaluated: s.sweep.evaluated,
    outcomes: s.sweep.countsByOutcome,
    cron: s.cron,
  }));
};

/** For tests: forget the cached runtime so the next call re-reads the environment. */
export function resetLambdaRuntime(): void {
  runtime = undefined;
  httpHandler = undefined;
}
