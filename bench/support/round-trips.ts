import { performance } from 'node:perf_hooks';
import type { Transport } from '../../src/karmada/transport.ts';

// Round trips on an evaluation's critical path, measured at fhpa's side of the wire: a transport that notes
// when each Karmada request was sent and when its answer arrived, and the longest chain of requests each
// sent after the one before it had answered. Requests in flight together (Promise.all) overlap and count
// once; a read that waited for another's answer adds one.

export interface TimedRequest {
  method: string;
  path: string;
  sentAt: number;
  answeredAt: number;
}

/** `inner` with every request timed into `log` (performance.now(), ms). */
export function timedTransport(inner: Transport, log: TimedRequest[]): Transport {
  return async (req) => {
    const sentAt = performance.now();
    const res = await inner(req);
    // The answer counts as arrived when its body is read; clone so the caller still reads it.
    await res.clone().arrayBuffer();
    log.push({ method: req.method, path: new URL(req.url).pathname, sentAt, answeredAt: performance.now() });
    return res;
  };
}

/**
 * The number of sequential round trips up to and including `last` (e.g. the scale PATCH): 1 + the longest
 * chain of requests that answered before it was sent, each answered before the next was sent.
 */
export function roundTripsTo(requests: readonly TimedRequest[], last: TimedRequest): number {
  const sorted = [...requests].sort((a, b) => a.sentAt - b.sentAt);
  const depth = new Map<TimedRequest, number>();
  for (const r of sorted) {
    let before = 0;
    for (const q of sorted) {
      if (q === r || q.answeredAt > r.sentAt) continue;
      before = Math.max(before, depth.get(q) ?? 1);
    }
    depth.set(r, before + 1);
  }
  return depth.get(last) ?? 0;
}
