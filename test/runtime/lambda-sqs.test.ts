import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sqsSweepQueue } from '../../src/queue/sqs.ts';
import { resetLambdaRuntime, scheduled, sweepQueue } from '../../src/runtime/lambda.ts';
import type { ScaleWrite, Simulator } from '../../src/sim/index.ts';
import { type DynaliteServer, dynaliteEnv, initDynaliteTable, startDynalite } from '../support/dynalite.ts';
import { startLoadedWalkthrough } from '../support/seed.ts';
import { SQS_TEST_CREDENTIALS, type SqsServer, startSqsServer } from '../support/sqs-server.ts';

// The fanned-out sweep on AWS: the EventBridge Scheduler function enqueues batches on SQS, and the SQS
// function (`sweepQueue`, an event source mapping with ReportBatchItemFailures) evaluates them. The queue is a
// real SQS-compatible server (fauxqs, test/support/sqs-server.ts) spoken to over signed HTTP, the events are
// SQS's event shape (the AWS documentation's example, fixtures/sqs-event.json, and events built from received
// messages as the event source mapping builds them), Karmada is the simulator.

const fixture = () =>
  JSON.parse(readFileSync(new URL('./fixtures/sqs-event.json', import.meta.url), 'utf8')) as {
    Records: Array<{ messageId: string; body: string }>;
  };
const batch = (...names: string[]) =>
  JSON.stringify({ v: 1, sweptAt: Date.now(), refs: names.map((name) => ({ namespace: 'default', name })) });
const context = { getRemainingTimeInMillis: () => 60_000 };

const CLEARED = Object.keys(process.env).filter((k) => k.startsWith('FHPA_') || k.startsWith('AWS_'));

let sim: Simulator;
let sqs: SqsServer | undefined;
let writes: ScaleWrite[];
// A Lambda refuses the embedded store: the histories live in DynamoDB (dynalite), one scope per test.
let dynalite: DynaliteServer;
let scope = 0;
beforeAll(async () => {
  dynalite = await startDynalite();
  await initDynaliteTable(dynalite.endpoint, 'fhpa-sqs');
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
  await Promise.all([sim.close(), sqs?.stop()]);
  sqs = undefined;
});

function configure(extra: Record<string, string> = {}) {
  const env: Record<string, string> = {
    FHPA_KARMADA_SERVER: sim.url,
    FHPA_KARMADA_TOKEN: sim.token,
    FHPA_SCOPE: `lambda-sqs-test-${scope}`,
    FHPA_LOG_LEVEL: 'error',
    FHPA_STORE: 'dynamodb',
    ...dynaliteEnv(dynalite.endpoint, 'fhpa-sqs'),
    FHPA_SWEEPS_PER_TICK: '1',
    ...extra,
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
}

describe('Lambda SQS consumer (sweepQueue)', () => {
  it("evaluates the batches of AWS's example event and acks a body that is not a batch", async () => {
    configure();
    const event = fixture();
    event.Records[0]!.body = batch('sample-app'); // the second keeps the documentation's body, "test"
    expect(await sweepQueue(event, context)).toEqual({ batchItemFailures: [] });
    expect(writes).toEqual([expect.objectContaining({ method: 'PATCH', name: 'sample-app', replicas: 5 })]);
  });

  it('reports only the message whose FederatedHPA failed retryably in batchItemFailures', async () => {
    configure({ FHPA_KARMADA_TIMEOUT_MS: '500' });
    sim.faults.addRule({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/default/deployments/sample-app/scale',
      errorRate: 1,
      errorStatus: 503,
    });
    const event = fixture();
    event.Records[0]!.body = batch('sample-app'); // its scale PATCH is answered 503: retry
    event.Records[1]!.body = batch('deleted-meanwhile'); // gone since the listing: nothing to retry
    expect(await sweepQueue(event, context)).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }],
    });
    expect(writes).toEqual([]);
  });

  it('acks an event that is not an SQS event, and throws (the whole batch retried) when misconfigured', async () => {
    configure();
    expect(await sweepQueue({ detail: 'not sqs' }, context)).toEqual({ batchItemFailures: [] });
    resetLambdaRuntime();
    configure({ FHPA_SWEEP_BATCH_SIZE: '500' });
    await expect(sweepQueue(fixture(), context)).rejects.toThrow(
      /FHPA_SWEEP_BATCH_SIZE: must be at most 100/,
    );
  });
});

describe('fanned-out sweep over an SQS-compatible server', () => {
  it('the scheduled function enqueues, the SQS function scales, a redelivered batch scales nothing more', async () => {
    sqs = await startSqsServer();
    const queue = await sqs.createQueue('fhpa-sweep', { VisibilityTimeout: '0' });
    configure({
      FHPA_SWEEP_QUEUE_URL: queue.url,
      FHPA_SQS_ENDPOINT: sqs.endpoint,
      AWS_REGION: sqs.region,
      AWS_ACCESS_KEY_ID: SQS_TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SQS_TEST_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: 'session-token',
    });
    const summaries = await scheduled({}, context);
    expect(summaries).toEqual([
      { listed: 1, enqueued: 1, batches: 1, cron: expect.objectContaining({ cronFederatedHPAs: 0 }) },
    ]);
    expect(writes).toEqual([]); // the producer only enqueues

    // A duplicate: the same body sent again, as SQS's at-least-once delivery may hand it over twice.
    const [sent] = await sqs.receive(queue.url);
    await sqsSweepQueue({
      queueUrl: queue.url,
      region: sqs.region,
      credentials: SQS_TEST_CREDENTIALS,
      endpoint: sqs.endpoint,
    }).send([JSON.parse(sent!.Body)]);

    const handler = (event: unknown) => sweepQueue(event, context);
    expect(await sqs.poll(queue, handler)).toEqual({ received: 2, failed: [] });
    expect(await sqs.poll(queue, handler)).toEqual({ received: 0, failed: [] });
    expect(writes).toEqual([expect.objectContaining({ method: 'PATCH', name: 'sample-app', replicas: 5 })]);
  });

  it('a batch that keeps failing is redriven to the dead-letter queue after maxReceiveCount', async () => {
    sqs = await startSqsServer();
    const dlq = await sqs.createQueue('fhpa-sweep-dlq');
    const queue = await sqs.createQueue('fhpa-sweep', {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    configure({ FHPA_KARMADA_TIMEOUT_MS: '500' });
    sim.faults.addRule({
      method: 'GET',
      path: '/apis/autoscaling.karmada.io/**',
      errorRate: 1,
      errorStatus: 503,
    });
    await sqsSweepQueue({
      queueUrl: queue.url,
      region: sqs.region,
      credentials: SQS_TEST_CREDENTIALS,
      endpoint: sqs.endpoint,
    }).send([JSON.parse(batch('sample-app'))]);
    const handler = (event: unknown) => sweepQueue(event, context);
    const first = await sqs.poll(queue, handler);
    const second = await sqs.poll(queue, handler);
    expect([first.failed.length, second.failed.length]).toEqual([1, 1]);
    expect(await sqs.poll(queue, handler)).toEqual({ received: 0, failed: [] });
    const dead = await sqs.receive(dlq.url);
    expect(dead.map((m) => JSON.parse(m.Body).refs)).toEqual([
      [{ namespace: 'default', name: 'sample-app' }],
    ]);
  });
});

describe('SQS producer', () => {
  it('sends many batches in SendMessageBatch calls of at most 10, every batch once', async () => {
    sqs = await startSqsServer();
    const queue = await sqs.createQueue('fhpa-many');
    const calls: number[] = [];
    const producer = sqsSweepQueue({
      queueUrl: queue.url,
      region: sqs.region,
      credentials: SQS_TEST_CREDENTIALS,
      endpoint: sqs.endpoint,
      fetchImpl: async (req) => {
        calls.push((JSON.parse(await req.clone().text()) as { Entries: unknown[] }).Entries.length);
        return fetch(req);
      },
    });
    const batches = Array.from({ length: 23 }, (_, i) => ({
      v: 1 as const,
      sweptAt: 1,
      refs: [{ namespace: 'default', name: `app-${i}` }],
    }));
    await producer.send(batches);
    // Sent concurrently (signing takes varying time), so in any order.
    expect(calls.sort((a, b) => a - b)).toEqual([3, 10, 10]);
    const received: string[] = [];
    for (let m = await sqs.receive(queue.url); m.length > 0; m = await sqs.receive(queue.url)) {
      received.push(...m.map((x) => (JSON.parse(x.Body) as { refs: Array<{ name: string }> }).refs[0]!.name));
    }
    expect(received.sort()).toEqual(batches.map((b) => b.refs[0]!.name).sort());
  });

  it('throws, naming the AWS error, when SQS refuses the call', async () => {
    sqs = await startSqsServer();
    const producer = sqsSweepQueue({
      queueUrl: `${sqs.endpoint}000000000000/no-such-queue`,
      region: sqs.region,
      credentials: SQS_TEST_CREDENTIALS,
      endpoint: sqs.endpoint,
    });
    await expect(
      producer.send([{ v: 1, sweptAt: 1, refs: [{ namespace: 'a', name: 'b' }] }]),
    ).rejects.toThrow(/SQS SendMessageBatch: HTTP 400 .*QueueDoesNotExist/);
  });
});
