import { AwsClient } from 'aws4fetch';
import { z } from 'zod';
import type { SweepBatch } from '../api/sweep-batch.ts';
import type { AwsCredentials } from '../store/config.ts';
import { groupsUnder, type SweepQueue } from './sweep-queue.ts';

// The Lambda producer's queue: SQS SendMessageBatch in the AWS JSON protocol (X-Amz-Target
// AmazonSQS.SendMessageBatch, application/x-amz-json-1.0), SigV4-signed by aws4fetch. One operation does not
// justify @aws-sdk/client-sqs in the Lambda bundle (its protocol stack and middleware add hundreds of KB to a
// cold start); aws4fetch is already there for Secrets Manager.
//
// SendMessageBatch takes at most 10 entries and 256 KiB in all (SQS quotas), so batches are grouped under
// both; an entry SQS reports in `Failed` with SenderFault false (a throttle or its own error) is sent again,
// a few times, and anything still refused throws: the scheduled invocation fails loudly rather than leaving
// part of the fleet unswept without a word.

const MAX_ENTRIES = 10;
/** Under SQS's 262,144-byte limit on a whole SendMessageBatch payload, with room for the entry ids. */
const MAX_BATCH_BYTES = 250_000;
const ATTEMPTS = 3;
/** SendMessageBatch calls in flight: a 100,000-FederatedHPA fleet is 400 calls of 10 batches of 25. */
const IN_FLIGHT = 8;

const responseSchema = z.object({
  Successful: z.array(z.object({ Id: z.string() })).optional(),
  Failed: z
    .array(z.object({ Id: z.string(), SenderFault: z.boolean().optional(), Code: z.string().optional() }))
    .optional(),
});

export interface SqsQueueOptions {
  queueUrl: string;
  region: string;
  credentials: AwsCredentials;
  /** An SQS-compatible endpoint (tests); default https://sqs.<region>.amazonaws.com/. */
  endpoint?: string;
  fetchImpl?: (req: Request) => Promise<Response>;
}

export function sqsSweepQueue(opts: SqsQueueOptions): SweepQueue {
  const aws = new AwsClient({ ...opts.credentials, region: opts.region, service: 'sqs', retries: 2 });
  const endpoint = opts.endpoint ?? `https://sqs.${opts.region}.amazonaws.com/`;
  const fetchImpl = opts.fetchImpl ?? ((req: Request) => fetch(req));

  async function sendGroup(bodies: string[]): Promise<void> {
    let pending = bodies.map((body, i) => ({ Id: String(i), MessageBody: body }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const req = await aws.sign(endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'AmazonSQS.SendMessageBatch',
        },
        body: JSON.stringify({ QueueUrl: opts.queueUrl, Entries: pending }),
      });
      const res = await fetchImpl(req);
      const text = await res.text();
      // The body names the AWS error type (QueueDoesNotExist, AccessDenied); it holds no credential.
      if (!res.ok) throw new Error(`SQS SendMessageBatch: HTTP ${res.status} ${text.slice(0, 300)}`);
      let parsed: z.infer<typeof responseSchema>;
      try {
        parsed = responseSchema.parse(JSON.parse(text));
      } catch {
        throw new Error(`SQS SendMessageBatch: unreadable answer ${text.slice(0, 120)}`);
      }
      const failed = parsed.Failed ?? [];
      const fatal = failed.find((f) => f.SenderFault);
      if (fatal) throw new Error(`SQS SendMessageBatch refused a batch: ${fatal.Code ?? 'sender fault'}`);
      if (failed.length > 0 && attempt >= ATTEMPTS) {
        throw new Error(
          `SQS SendMessageBatch: ${failed.length} batches not accepted after ${ATTEMPTS} attempts`,
        );
      }
      const again = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => again.has(e.Id));
    }
  }

  return {
    async send(batches: readonly SweepBatch[]) {
      // ASCII only (DNS names, digits): a body's length is its size in bytes.
      const bodies = batches.map((b) => JSON.stringify(b)).map((body) => ({ body, bytes: body.length }));
      const groups = groupsUnder(bodies, MAX_ENTRIES, MAX_BATCH_BYTES).map((g) => g.map((e) => e.body));
      for (let i = 0; i < groups.length; i += IN_FLIGHT) {
        await Promise.all(groups.slice(i, i + IN_FLIGHT).map(sendGroup));
      }
    },
  };
}
