import type { SweepBatch } from '../api/sweep-batch.ts';

// The port between a fanned-out sweep's producer (src/pipeline/fanout-produce.ts) and the queue engine that
// carries its batches to consumers: Cloudflare Queues (cloudflare-queue.ts) or SQS (sqs.ts). Each engine's
// limits (messages per send call, bytes per call) are the adapter's business; the producer only cuts batches.

/** Where batches go. Resolves once the queue has accepted every batch; throws if it refused any. */
export interface SweepQueue {
  send(batches: readonly SweepBatch[]): Promise<void>;
}

/**
 * Splits sized items, in order, into groups of at most `maxItems` whose sizes add up to at most `maxBytes`
 * (an item larger than that alone still gets a group): the shape of every queue's batch-send limits.
 */
export function groupsUnder<T extends { bytes: number }>(
  items: readonly T[],
  maxItems: number,
  maxBytes: number,
): T[][] {
  const groups: T[][] = [];
  let bytes = 0;
  for (const item of items) {
    const last = groups.at(-1);
    if (!last || last.length >= maxItems || bytes + item.bytes > maxBytes) {
      groups.push([item]);
      bytes = item.bytes;
    } else {
      last.push(item);
      bytes += item.bytes;
    }
  }
  return groups;
}
