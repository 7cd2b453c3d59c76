import { AwsClient } from 'aws4fetch';
import { buildApp } from 'fauxqs';

// A real SQS-compatible server for tests: fauxqs (npm), an in-memory implementation of SQS's JSON protocol
// (queues, visibility timeouts, receive counts, redrive to a dead-letter queue), started on loopback only
// (fauxqs's own startFauxqs listens on every interface, so its app is bound here instead). fhpa's producer
// sends to it as to SQS; `poll` then plays the Lambda event source mapping: ReceiveMessage, the event Lambda
// builds from the messages, the consumer's batchItemFailures, and DeleteMessage for every other message.

export const SQS_TEST_CREDENTIALS = { accessKeyId: 'AKIDFHPATEST', secretAccessKey: 'fhpa-test-secret' };
const REGION = 'us-east-1';

export interface SqsMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody: string;
  Attributes?: Record<string, string>;
}

export interface SqsServer {
  endpoint: string;
  region: string;
  createQueue(name: string, attributes?: Record<string, string>): Promise<{ url: string; arn: string }>;
  receive(queueUrl: string, max?: number): Promise<SqsMessage[]>;
  /** One poll of an event source mapping: receive, invoke, delete what the function did not report failed. */
  poll(
    queue: { url: string; arn: string },
    handler: (event: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>,
    max?: number,
  ): Promise<{ received: number; failed: string[] }>;
  stop(): Promise<void>;
}

export async function startSqsServer(): Promise<SqsServer> {
  const app = buildApp({ logger: false, defaultRegion: REGION });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const endpoint = `http://127.0.0.1:${port}/`;
  const aws = new AwsClient({ ...SQS_TEST_CREDENTIALS, region: REGION, service: 'sqs', retries: 0 });

  async function call<T>(action: string, body: Record<string, unknown>): Promise<T> {
    const res = await aws.fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AmazonSQS.${action}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${action}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  const server: SqsServer = {
    endpoint,
    region: REGION,
    async createQueue(name, attributes = {}) {
      const { QueueUrl } = await call<{ QueueUrl: string }>('CreateQueue', {
        QueueName: name,
        Attributes: attributes,
      });
      const { Attributes } = await call<{ Attributes: { QueueArn: string } }>('GetQueueAttributes', {
        QueueUrl,
        AttributeNames: ['QueueArn'],
      });
      return { url: QueueUrl, arn: Attributes.QueueArn };
    },
    async receive(queueUrl, max = 10) {
      const { Messages } = await call<{ Messages?: SqsMessage[] }>('ReceiveMessage', {
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        AttributeNames: ['All'],
      });
      return Messages ?? [];
    },
    async poll(queue, handler, max = 10) {
      const messages = await server.receive(queue.url, max);
      if (messages.length === 0) return { received: 0, failed: [] };
      // The record shape Lambda gives an SQS-triggered function (developer guide, "Using Lambda with Amazon SQS").
      const event = {
        Records: messages.map((m) => ({
          messageId: m.MessageId,
          receiptHandle: m.ReceiptHandle,
          body: m.Body,
          attributes: m.Attributes ?? {},
          messageAttributes: {},
          md5OfBody: m.MD5OfBody,
          eventSource: 'aws:sqs',
          eventSourceARN: queue.arn,
          awsRegion: REGION,
        })),
      };
      const { batchItemFailures } = await handler(event);
      const failed = batchItemFailures.map((f) => f.itemIdentifier);
      for (const m of messages) {
        if (!failed.includes(m.MessageId)) {
          await call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle });
        }
      }
      return { received: messages.length, failed };
    },
    stop: () => app.close(),
  };
  return server;
}
