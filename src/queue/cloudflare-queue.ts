import type { SweepBatch } from '../api/sweep-batch.ts';
import { groupsUnder, type SweepQueue } from './sweep-queue.ts';

// The Worker producer's queue: a Cloudflare Queue producer binding (wrangler.toml [[queues.producers]]).
// sendBatch takes at most 100 messages and 256 KB in all (Cloudflare Queues limits), so batches are grouped
// under both. Bodies go as `json` rather than the default structured clone: plain data, readable by any
// consumer and by `wrangler queues` tooling when a message lands in the dead-letter queue.

const MAX_MESSAGES = 100;
/** Under the 256 KB a sendBatch call may carry, with room for each message's overhead. */
const MAX_BATCH_BYTES = 200_000;

/** The part of a Queue producer binding fhpa uses (@cloudflare/workers-types' Queue). */
export interface QueueProducerBinding {
  sendBatch(messages: Iterable<{ body: unknown; contentType?: 'json' }>): Promise<unknown>;
}

export function isQueueProducer(value: unknown): value is QueueProducerBinding {
  return typeof (value as Partial<QueueProducerBinding> | undefined)?.sendBatch === 'function';
}

export function cloudflareSweepQueue(binding: QueueProducerBinding): SweepQueue {
  return {
    async send(batches: readonly SweepBatch[]) {
      const sized = batches.map((batch) => ({ batch, bytes: JSON.stringify(batch).length }));
      for (const group of groupsUnder(sized, MAX_MESSAGES, MAX_BATCH_BYTES)) {
        await binding.sendBatch(group.map(({ batch }) => ({ body: batch, contentType: 'json' as const })));
      }
    },
  };
}
