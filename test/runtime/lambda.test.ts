import { readFileSync } from 'node:fs';
import type { APIGatewayProxyResult, LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler, resetLambdaRuntime, scheduled } from '../../src/runtime/lambda.ts';
import type { ScaleWrite, Simulator } from '../../src/sim/index.ts';
import { type DynaliteServer, dynaliteEnv, initDynaliteTable, startDynalite } from '../support/dynalite.ts';
import { startLoadedWalkthrough } from '../support/seed.ts';

// src/runtime/lambda.ts as AWS invokes it: the event shapes a Function URL (payload 2.0), an API Gateway
// REST API (payload 1.0, binary media types on) and EventBridge Scheduler deliver (fixtures/), the
// configuration read from process.env at cold start, the simulated Karmada over loopback HTTP and the
// DynamoDB history store on dynalite (a Lambda refuses the embedded one). Nothing is mocked between the event
// and the scale PATCH the simulator receives.

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;

/** The token the fixtures' Authorization headers carry (what Alertmanager's http_config sends). */
const ALERTMANAGER_TOKEN = 'fhpa-fixture-alertmanager-token-0123456789';
const lambdaContext = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'fhpa-HttpFunction-1A2B3C4D5E6F',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fhpa-HttpFunction-1A2B3C4D5E6F',
  memoryLimitInMB: '512',
  awsRequestId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  logGroupName: '/aws/lambda/fhpa-HttpFunction-1A2B3C4D5E6F',
  logStreamName: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
  getRemainingTimeInMillis: () => 29_000,
} as unknown as LambdaContext;

interface UrlEvent {
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}
const functionUrlAlert = () => fixture<UrlEvent>('function-url-alert.json');
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

// Whatever the test process inherited must not leak into the cold start.
const CLEARED = Object.keys(process.env).filter((k) => k.startsWith('FHPA_') || k.startsWith('AWS_'));

let sim: Simulator;
let writes: ScaleWrite[];
let dynalite: DynaliteServer;
/** One scope per test, so no test sees another's stabilization history in the shared table. */
let scope = 0;
beforeAll(async () => {
  dynalite = await startDynalite();
  await initDynaliteTable(dynalite.endpoint, 'fhpa-lambda');
});
afterAll(() => dynalite?.stop());
beforeEach(async () => {
  scope += 1;
  resetLambdaRuntime();
  for (const k of CLEARED) vi.stubEnv(k, undefined);
  sim = await startLoadedWalkthrough(); // wall-clock time, as Lambda's Date.now
  writes = [];
  sim.onScaleWrite((w) => writes.push(w));
});
afterEach(async () => {
  resetLambdaRuntime();
  vi.unstubAllEnvs();
  await sim.close();
});

/** The environment template.yaml gives the function, with Karmada at the simulator. */
function configure(extra: Record<string, string> = {}) {
  const env: Record<string, string> = {
    FHPA_KARMADA_SERVER: sim.url,
    FHPA_KARMADA_TOKEN: sim.token,
    FHPA_AUTH_TOKEN: ALERTMANAGER_TOKEN,
    FHPA_SCOPE: `lambda-test-${scope}`,
    FHPA_LOG_LEVEL: 'error',
    FHPA_STORE: 'dynamodb',
    ...dynaliteEnv(dynalite.endpoint, 'fhpa-lambda'),
    ...extra,
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
}

const invoke = async (event: unknown) =>
  (await handler(event as LambdaEvent, lambdaContext)) as APIGatewayProxyResult;

describe('Lambda HTTP handler', () => {
  const cases: Array<{ name: string; event: () => unknown }> = [
    { name: 'a Function URL event (payload 2.0)', event: functionUrlAlert },
    {
      name: 'an API Gateway REST event (payload 1.0) with a base64-encoded body',
      event: () => fixture('apigateway-rest-alert-base64.json'),
    },
    {
      name: 'a Function URL event whose body Lambda base64-encoded',
      event: () => {
        const e = functionUrlAlert();
        return { ...e, body: base64(e.body), isBase64Encoded: true };
      },
    },
  ];
  it.each(cases)('scales the FederatedHPA an authenticated alert names, from $name', async ({ event }) => {
    configure();
    const res = await invoke(event());
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { evaluations: number; alerts: Array<Record<string, unknown>> };
    expect(body.evaluations).toBe(1);
    expect(body.alerts[0]).toMatchObject({
      outcome: 'scaled',
      desiredReplicas: 5,
      target: 'default/sample-app',
    });
    // The write the simulated Karmada received, and Karmada's division of it over the members.
    expect(writes).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        kind: 'Deployment',
        namespace: 'default',
        name: 'sample-app',
        replicas: 5,
      }),
    ]);
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 3, member2: 2 });
  });

  it('answers 401 to a bearer token it was not given, and writes nothing', async () => {
    configure();
    const event = functionUrlAlert();
    event.headers.authorization = 'Bearer some-other-token-0123456789abcdef';
    const res = await invoke(event);
    expect(res.statusCode).toBe(401);
    expect(writes).toEqual([]);
    expect(sim.requestLog.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('reuses the runtime built at cold start for warm invocations', async () => {
    configure();
    expect((await invoke(functionUrlAlert())).statusCode).toBe(200);
    // A changed environment is not re-read while the runtime lives...
    vi.stubEnv('FHPA_AUTH_TOKEN', 'a-token-the-fixture-does-not-send');
    expect((await invoke(functionUrlAlert())).statusCode).toBe(200);
    // ...and is after resetLambdaRuntime() (a new cold start).
    resetLambdaRuntime();
    expect((await invoke(functionUrlAlert())).statusCode).toBe(401);
  });

  const misconfigurations: Array<{
    name: string;
    env: Record<string, string>;
    unset?: string[];
    problem: string;
    secret?: string;
  }> = [
    {
      name: 'no way to reach Karmada',
      env: {},
      unset: ['FHPA_KARMADA_SERVER', 'FHPA_KARMADA_TOKEN'],
      problem:
        'FHPA_KARMADA_SERVER (with FHPA_KARMADA_TOKEN), FHPA_KUBECONFIG or FHPA_IN_CLUSTER: one is required to reach Karmada',
    },
    {
      name: 'a Karmada token without a server',
      env: { FHPA_KARMADA_TOKEN: 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl' },
      unset: ['FHPA_KARMADA_SERVER'],
      problem: 'FHPA_KARMADA_SERVER: required when FHPA_KARMADA_TOKEN is set',
      secret: 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl',
    },
    {
      name: 'an Alertmanager token too short to be safe',
      env: { FHPA_AUTH_TOKEN: 'hunter2-secret' },
      problem: 'FHPA_AUTH_TOKEN: must be at least 16 characters',
      secret: 'hunter2-secret',
    },
    {
      name: 'a DynamoDB store without a region',
      env: { FHPA_STORE: 'dynamodb', FHPA_DYNAMODB_TABLE: 'fhpa-history' },
      unset: ['AWS_REGION'],
      problem: 'AWS_REGION: required for the DynamoDB history store',
    },
    {
      // Issue 19.8: histories in one short-lived instance's memory would be lost between invocations.
      name: 'no FHPA_STORE (the embedded store)',
      env: {},
      unset: ['FHPA_STORE', 'FHPA_DYNAMODB_TABLE'],
      problem:
        "FHPA_STORE: the embedded store keeps histories in one process's memory, which Lambda does not keep; set FHPA_STORE=dynamodb and FHPA_DYNAMODB_TABLE",
    },
  ];
  it.each(misconfigurations)(
    'answers 503 naming the variable, without its value, for $name',
    async ({ env, unset, problem, secret }) => {
      configure(env);
      for (const k of unset ?? []) vi.stubEnv(k, undefined);
      const res = await invoke(functionUrlAlert());
      expect(res.statusCode).toBe(503);
      expect(res.headers).toMatchObject({ 'content-type': 'application/json' });
      expect(JSON.parse(res.body)).toEqual({ error: 'fhpa is not configured', problems: [problem] });
      if (secret) expect(res.body).not.toContain(secret);
      expect(writes).toEqual([]);
    },
  );

  it('recovers on the next invocation once the configuration is fixed', async () => {
    configure({ FHPA_AUTH_TOKEN: 'short' });
    expect((await invoke(functionUrlAlert())).statusCode).toBe(503);
    vi.stubEnv('FHPA_AUTH_TOKEN', ALERTMANAGER_TOKEN);
    expect((await invoke(functionUrlAlert())).statusCode).toBe(200);
  });
});

describe('Lambda scheduled handler (EventBridge Scheduler)', () => {
  const scheduleEvent = () => fixture<Record<string, unknown>>('eventbridge-scheduler.json');
  const sweepContext = { getRemainingTimeInMillis: () => 75_000 };

  it('runs a sweep that evaluates and scales every FederatedHPA', async () => {
    configure({ FHPA_SWEEPS_PER_TICK: '1' });
    const summaries = await scheduled(scheduleEvent(), sweepContext);
    expect(summaries).toEqual([
      {
        evaluated: 1,
        outcomes: { scaled: 1 },
        cron: expect.objectContaining({ cronFederatedHPAs: 0, due: 0 }),
      },
    ]);
    expect(writes).toEqual([expect.objectContaining({ method: 'PATCH', name: 'sample-app', replicas: 5 })]);
  });

  it('runs FHPA_SWEEPS_PER_TICK sweeps FHPA_SWEEP_INTERVAL apart, the later ones seeing the scaled workload', async () => {
    configure({ FHPA_SWEEPS_PER_TICK: '2', FHPA_SWEEP_INTERVAL: '50ms' });
    const summaries = await scheduled(scheduleEvent(), sweepContext);
    expect(summaries.map((s) => ('outcomes' in s ? s.outcomes : s))).toEqual([
      { scaled: 1 },
      { unchanged: 1 },
    ]);
    expect(writes).toHaveLength(1);
  });

  it('honours the sweep filters (FHPA_SWEEP_NAMESPACE) as POST /sweep does', async () => {
    configure({ FHPA_SWEEPS_PER_TICK: '1', FHPA_SWEEP_NAMESPACE: 'elsewhere' });
    const summaries = await scheduled(scheduleEvent(), sweepContext);
    expect(summaries).toEqual([expect.objectContaining({ evaluated: 0 })]);
    expect(writes).toEqual([]);
  });

  it('fails the invocation (so Lambda records an error) when misconfigured', async () => {
    configure({ FHPA_SWEEP_INTERVAL: 'soon' });
    await expect(scheduled(scheduleEvent(), sweepContext)).rejects.toThrow(
      /FHPA_SWEEP_INTERVAL: must be a duration/,
    );
  });
});
