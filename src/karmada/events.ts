import { z } from 'zod';
import type { AdapterContext } from './context.ts';
import { isAlreadyExists, isNotFound } from './errors.ts';
import { describeResource } from './paths.ts';
import { MERGE_PATCH } from './rest-client.ts';

// Kubernetes Events on a FederatedHPA or CronFederatedHPA (SuccessfulRescale, FailedGetScale,
// FailedComputeMetricsReplicas, ... with the reasons Karmada's controllers use), recorded as client-go's
// recorder does behind its EventCorrelator (tools/record/events_cache.go):
// - the same event again (same source, object, type, reason and message: getEventKey) bumps count and
//   lastTimestamp on the Event that already says it (eventObserve → a PATCH), instead of a new Event;
// - a spam filter per source and object (EventSourceObjectSpamFilter: a token bucket of 25, refilled one every
//   5 minutes) drops what is over it.
// fhpa's invocations are short-lived and share no memory, so where client-go names an Event by the time it was
// first seen and keeps the name in an LRU cache, fhpa derives the name from the event key
// (`{object}.{16 hex digits of its SHA-256}`): any invocation finds an earlier one's Event (create → 409
// AlreadyExists → PATCH it, which answers its count → PATCH the count), and a warm one remembers name and count and patches straight away.
// Best effort, as the recorder: failures go to onWarning, never thrown.
// Departures: similar events differing only by message are not combined into "(combined from similar
// events): ..." (EventAggregator); the spam filter and the cache live as long as the adapter (client-go's, as
// long as the process).

export interface EventObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
}

export interface RecordOptions {
  /**
   * Record the event once while its Event lives (until the API server's event TTL, 1 h by default): for a
   * failure found again on every tick (a CronFederatedHPA rule that cannot start), which Karmada's controller
   * reports only when it reconciles the object.
   */
  once?: boolean;
}

/** events.k8s.io/v1 validation caps `note` at 1 kB; fhpa keeps core/v1 messages within the same bound. */
const MAX_MESSAGE = 1024;
const EVENTS = { group: '', version: 'v1', resource: 'events' };
/** events_cache.go: maxLruCacheEntries, defaultSpamBurst, defaultSpamQPS. */
const CACHE_ENTRIES = 4096;
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;

export interface EventRecorder {
  record(
    obj: EventObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    now: number,
    opts?: RecordOptions,
  ): Promise<void>;
}

interface Observation {
  name: string;
  count: number;
}

const eventSchema = z.looseObject({ count: z.number().int().optional() });

/** A Map that forgets its least recently used entries past `limit` (groupcache/lru as client-go uses it). */
class Lru<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly limit: number) {}
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.#map.delete(key);
    this.#map.set(key, v);
    if (this.#map.size > this.limit) this.#map.delete(this.#map.keys().next().value as string);
  }
}

/** flowcontrol's token bucket, on the caller's clock. */
function tryAccept(bucket: { tokens: number; at: number }, now: number): boolean {
  bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + Math.max(0, now - bucket.at) / SPAM_REFILL_MS);
  bucket.at = Math.max(bucket.at, now);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

async function nameFor(obj: EventObject, key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  const hex = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${obj.name}.${hex}`;
}

export function createEventRecorder(ctx: AdapterContext, component = 'fhpa'): EventRecorder {
  const seen = new Lru<Observation>(CACHE_ENTRIES);
  const spam = new Lru<{ tokens: number; at: number }>(CACHE_ENTRIES);
  const at = (now: number) => new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const collection = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/events`;
  const describe = (ns: string, name?: string) =>
    describeResource(EVENTS, { namespace: ns, ...(name ? { name } : {}) });

  const create = async (obj: EventObject, body: Record<string, unknown>) =>
    ctx.client.request({
      verb: 'create',
      path: collection(obj.namespace),
      resource: describe(obj.namespace),
      body,
      schema: z.unknown(),
      retry: false,
    });
  // The Event another invocation created, read by a PATCH of its lastTimestamp (so the role needs no `get`).
  const read = (ns: string, name: string, now: number) =>
    ctx.client.request({
      verb: 'patch',
      path: `${collection(ns)}/${encodeURIComponent(name)}`,
      resource: describe(ns, name),
      contentType: MERGE_PATCH,
      body: { lastTimestamp: at(now) },
      schema: eventSchema,
      retry: false,
    });
  const bump = (ns: string, name: string, count: number, now: number) =>
    ctx.client.request({
      verb: 'patch',
      path: `${collection(ns)}/${encodeURIComponent(name)}`,
      resource: describe(ns, name),
      contentType: MERGE_PATCH,
      body: { count, lastTimestamp: at(now) },
      schema: z.unknown(),
      retry: false,
    });

  return {
    async record(obj, type, reason, message, now, opts = {}) {
      const text = truncate(message);
      const source = [component, obj.kind, obj.namespace, obj.name, obj.uid ?? '', obj.apiVersion];
      const spamKey = source.join('\u0000');
      const key = [...source, type, reason, text].join('\u0000');
      const bucket = spam.get(spamKey) ?? { tokens: SPAM_BURST, at: now };
      spam.set(spamKey, bucket);
      const known = seen.get(key);
      if (opts.once && known) return;
      if (!tryAccept(bucket, now)) return;
      const name = known?.name ?? (await nameFor(obj, key));
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: obj.namespace },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          namespace: obj.namespace,
          name: obj.name,
          ...(obj.uid ? { uid: obj.uid } : {}),
        },
        reason,
        message: text,
        type,
        source: { component },
        firstTimestamp: at(now),
        lastTimestamp: at(now),
        count: 1,
        reportingComponent: component,
      };
      try {
        if (known) {
          try {
            await bump(obj.namespace, name, known.count + 1, now);
            seen.set(key, { name, count: known.count + 1 });
            return;
          } catch (err) {
            // Gone (the API server's event TTL): a new Event, as recordToSink does after a failed patch.
            if (!isNotFound(err)) throw err;
          }
        }
        try {
          await create(obj, event);
          seen.set(key, { name, count: 1 });
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          // Another invocation recorded it first: count on its Event.
          if (opts.once) return seen.set(key, { name, count: 1 });
          const count = ((await read(obj.namespace, name, now)).count ?? 1) + 1;
          await bump(obj.namespace, name, count, now);
          seen.set(key, { name, count });
        }
      } catch (err) {
        ctx.warn(
          `event ${reason} on ${obj.kind} ${obj.namespace}/${obj.name} not recorded: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    },
  };
}

function truncate(message: string): string {
  const chars = [...message];
  return chars.length <= MAX_MESSAGE ? message : `${chars.slice(0, MAX_MESSAGE - 3).join('')}...`;
}
