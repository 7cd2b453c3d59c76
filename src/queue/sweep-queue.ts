import type { SweepBatch } from '../api/sweep-batch.ts';

// The port between a fanned-out sweep's producer (src/pipeline/fanout-produce.ts) and the queue engine that
// carries its batches to consumers: Cloudflare Queues (cloudflare-queue.ts) or SQS (sqs.ts). Each engine's
// limits (messages per send call, bytes per call) are the adapter's business; the producer only cuts batches.

/** Where batches go. Resolves once the queue has accepted every batch; throws if it refused any. */
export interface SweepQueue {
  send(batches: readonly SweepBatch[]): Promise<void>;
}
