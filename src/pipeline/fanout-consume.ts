import { type FederatedHPARef, parseSweepBatch } from '../api/sweep-batch.ts';
import { type SweepResult, sweep } from './sweep.ts';
import type { EvaluationResult, PipelineDeps } from './types.ts';

// The consumer half of a fanned-out sweep: the messages one queue invocation delivered (a Cloudflare Queue
// batch, an SQS event) are evaluated together by the sweep over just their FederatedHPAs (sweep's `only`), so
// they share its bulk reads.
// Each message gets a verdict: `retry` when one of its FederatedHPAs failed in a way a later attempt can fix
// (the queue redelivers it, and after max retries moves it to the dead-letter queue), else `ack`. A message
// fhpa cannot read is acked and logged: retrying it could never succeed and would only hold the queue.
//
// Redelivery is safe, which is what makes at-least-once queues usable here. A retried message re-evaluates the
// FederatedHPAs of its batch that had succeeded too, and a queue may deliver any message twice, even to two
// consumers at once. Each evaluation reads the scale and history afresh and saves history under its version
// guard before it PATCHes under the scale's resourceVersion (evaluate.ts), so of two evaluations racing on one
// FederatedHPA only one can record and apply a scale, and one after an applied scale starts from it: a duplicate
// costs API reads, never a second scale. The same FederatedHPA named twice in one delivery is evaluated once.

export interface DeliveredMessage {
  id: string;
  body: unknown;
}

export interface ConsumeOptions {
  concurrency?: number;
  /** Epoch ms after which no new evaluation starts; those not started are retried. */
  deadline?: number;
}

export interface ConsumeResult {
  /** Messages to deliver again (SQS batchItemFailures, Cloudflare message.retry()); all others are done. */
  retry: string[];
  /** Messages acked unread because they are not a sweep batch fhpa understands. */
  dropped: string[];
  /** FederatedHPAs named more than once in this delivery (evaluated once). */
  duplicates: number;
  results: EvaluationResult[];
}

export async function consumeSweepBatches(
  deps: PipelineDeps,
  messages: readonly DeliveredMessage[],
  opts: ConsumeOptions = {},
): Promise<ConsumeResult> {
  const dropped: string[] = [];
  const wanted = new Map<string, FederatedHPARef>();
  const refsOf = new Map<string, string[]>();
  let duplicates = 0;
  let oldest: number | undefined;
  for (const m of messages) {
    const parsed = parseSweepBatch(m.body);
    if (!parsed.ok) {
      deps.log.warn('sweep message dropped', { messageId: m.id, error: parsed.error });
      dropped.push(m.id);
      continue;
    }
    const keys: string[] = [];
    for (const ref of parsed.batch.refs) {
      const key = `${ref.namespace}/${ref.name}`;
      if (wanted.has(key)) duplicates++;
      else wanted.set(key, ref);
      keys.push(key);
    }
    refsOf.set(m.id, keys);
    oldest = Math.min(oldest ?? parsed.batch.sweptAt, parsed.batch.sweptAt);
  }

  let swept: SweepResult;
  try {
    swept = await sweep(deps, { ...opts, only: [...wanted.values()] });
  } catch (err) {
    // Listing the batch's FederatedHPAs failed (Karmada unreachable): every readable message is retried.
    deps.log.warn('sweep batch not evaluated', { error: err instanceof Error ? err.message : String(err) });
    return { retry: [...refsOf.keys()], dropped, duplicates, results: [] };
  }
  const byKey = new Map(swept.results.map((r) => [`${r.namespace}/${r.name}`, r]));
  const retry = [...refsOf]
    .filter(([, keys]) => keys.some((k) => byKey.get(k)?.outcome === 'failed' && byKey.get(k)?.retryable))
    .map(([id]) => id);

  deps.log.info('sweep batch done', {
    messages: messages.length,
    evaluated: swept.evaluated,
    skippedForDeadline: swept.skippedForDeadline,
    outcomes: swept.countsByOutcome,
    retry: retry.length,
    dropped: dropped.length,
    duplicates,
    // How long the oldest batch waited between the producer's listing and this evaluation.
    ...(oldest !== undefined ? { queuedMs: Math.max(0, deps.clock() - oldest) } : {}),
  });
  return { retry, dropped, duplicates, results: swept.results };
}
