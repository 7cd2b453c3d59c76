import { MAX_REFS_PER_BATCH, SWEEP_BATCH_VERSION, type SweepBatch } from '../api/sweep-batch.ts';
import type { SweepQueue } from '../queue/sweep-queue.ts';
import { shardOf } from './concurrency.ts';
import type { PipelineDeps } from './types.ts';

// The producer half of a fanned-out sweep: list the FederatedHPAs once, cut them into batches small enough for
// one consumer invocation, and hand the batches to a queue (Cloudflare Queues on Workers, SQS on Lambda:
// src/queue/). The consumers (fanout-consume.ts) evaluate them. Only references travel: a consumer reads each
// FederatedHPA itself, so a batch that waited in the queue never acts on a spec that changed meanwhile.

export interface FanOutOptions {
  namespace?: string;
  labelSelector?: string;
  shard?: { index: number; count: number };
  /** FederatedHPAs per message (FHPA_SWEEP_BATCH_SIZE). */
  batchSize: number;
}

export interface FanOutResult {
  listed: number;
  enqueued: number;
  batches: number;
}

/** Cuts refs into batches of at most `size` (capped by the message format's MAX_REFS_PER_BATCH), in order. */
export function batchesOf(
  refs: ReadonlyArray<{ namespace: string; name: string }>,
  size: number,
  sweptAt: number,
): SweepBatch[] {
  const per = Math.max(1, Math.min(size, MAX_REFS_PER_BATCH));
  const batches: SweepBatch[] = [];
  for (let i = 0; i < refs.length; i += per) {
    batches.push({ v: SWEEP_BATCH_VERSION, sweptAt, refs: refs.slice(i, i + per) });
  }
  return batches;
}

export async function fanOutSweep(
  deps: PipelineDeps,
  queue: SweepQueue,
  opts: FanOutOptions,
): Promise<FanOutResult> {
  const sweptAt = deps.clock();
  const all = await deps.karmada.listFederatedHPAs({
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
  });
  const refs = all.map((f) => ({
    namespace: f.metadata.namespace ?? 'default',
    name: f.metadata.name ?? '',
  }));
  const mine = opts.shard
    ? refs.filter((r) => shardOf(`${r.namespace}/${r.name}`, opts.shard!.count) === opts.shard!.index)
    : refs;
  const batches = batchesOf(mine, opts.batchSize, sweptAt);
  if (batches.length > 0) await queue.send(batches);
  return { listed: all.length, enqueued: mine.length, batches: batches.length };
}
