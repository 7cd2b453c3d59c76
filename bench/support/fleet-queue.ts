import type { SweepBatch } from '../../src/api/sweep-batch.ts';
import type { DeliveredMessage } from '../../src/pipeline/fanout-consume.ts';
import type { SweepQueue } from '../../src/queue/sweep-queue.ts';

// The fleet benchmark's queue: at-least-once like Cloudflare Queues and SQS, in memory so that the figures
// are fhpa's and the simulator's, not a queue server's. Messages carry JSON text as SQS does. Every
// `duplicateEvery`th message sent is enqueued twice, right after itself, so the next two deliveries (two
// consumers at once) hand the same batch out: the duplicates the queue engines are allowed to make. A message
// a consumer asks to retry goes to the back, until `maxRetries`, then to the dead letters.

export interface FleetQueue extends SweepQueue {
  /** Up to `max` messages, removed from the queue until settled. */
  take(max: number): DeliveredMessage[];
  /** Ends a delivery: the messages named in `retryIds` go back (or to the dead letters), the rest are acked. */
  settle(delivered: readonly DeliveredMessage[], retryIds: readonly string[]): void;
  readonly sent: number;
  readonly duplicated: number;
  readonly retried: number;
  readonly deadLettered: number;
}

export function fleetQueue(opts: { duplicateEvery: number; maxRetries: number }): FleetQueue {
  const ready: Array<DeliveredMessage & { attempts: number }> = [];
  const attempts = new Map<string, number>();
  let head = 0;
  let ids = 0;
  const counts = { sent: 0, duplicated: 0, retried: 0, deadLettered: 0 };
  return {
    async send(batches: readonly SweepBatch[]) {
      for (const batch of batches) {
        const body = JSON.stringify(batch);
        ready.push({ id: `m${ids++}`, body, attempts: 0 });
        counts.sent++;
        if (opts.duplicateEvery > 0 && counts.sent % opts.duplicateEvery === 0) {
          ready.push({ id: `m${ids++}`, body, attempts: 0 });
          counts.duplicated++;
        }
      }
    },
    take(max) {
      const out = ready.slice(head, head + max);
      head += out.length;
      if (head > 4096 && head * 2 > ready.length) {
        ready.splice(0, head);
        head = 0;
      }
      for (const m of out) attempts.set(m.id, m.attempts);
      return out;
    },
    settle(delivered, retryIds) {
      const again = new Set(retryIds);
      for (const m of delivered) {
        const tried = attempts.get(m.id) ?? 0;
        attempts.delete(m.id);
        if (!again.has(m.id)) continue;
        if (tried >= opts.maxRetries) counts.deadLettered++;
        else {
          counts.retried++;
          ready.push({ id: m.id, body: m.body, attempts: tried + 1 });
        }
      }
    },
    get sent() {
      return counts.sent;
    },
    get duplicated() {
      return counts.duplicated;
    },
    get retried() {
      return counts.retried;
    },
    get deadLettered() {
      return counts.deadLettered;
    },
  };
}
