import { z } from 'zod';
import { fieldPath } from '../api/field-path.ts';
import { emptyHistory, type History } from '../engine/history-types.ts';
import { HistoryStoreError, type StoredHistory } from './history-store.ts';

// How one history is stored, shared by the embedded and the DynamoDB store so both accept, reject and cap
// exactly the same data. A stored record is five plain fields (DynamoDB attributes of the same names):
//   version        optimistic-concurrency counter, +1 per save
//   schemaVersion  SCHEMA_VERSION of the fhpa that wrote `history`
//   history        compact JSON (below)
//   updatedAt      epoch ms of the save
//   ttl            epoch SECONDS after which the history is dropped (DynamoDB TTL's unit)
//
// Compact JSON: {"t":T,"r":[dt,n,dt,n,…],"u":[…],"d":[…],"z":I} where r/u/d are the recommendations, scale-up and
// scale-down events as flat (time delta, value) pairs; each list's first delta is from T (the oldest time in
// the history), every later one from the previous entry of that list. At the 15 s cadence a recommendation
// costs ~9 bytes ("15000,12,") instead of ~50 as a JSON object, which keeps a 1 h window at 3 WRU per write.
// "z" (optional, absolute epoch ms) is the scale-to-zero idle-since time; items written before it existed read
// as never idle, and an fhpa that predates it reads newer items (zod drops the unknown key) without it, so the
// schema version stays 1 and both stores keep reading each other's items.
//
// Two more optional fields are fhpa's own: "f", the count of evaluations in a row that computed no metric (the
// fallback annotation), and "s", [time, desired, current] of the last ShadowRecommendation Event. Items written
// before them read as 0 and none; an older fhpa reading a newer item ignores them (zod drops unknown keys), so
// SCHEMA_VERSION stays 1 and both stores (embedded, DynamoDB) keep reading each other's items. "w" is lastScale
// (time, replicas) and "p", beside it after a rescale, the (resourceVersion, replicas) of the scale the write
// was made against and when the history was saved (src/engine/unlanded-scale.ts); the same holds for both.
//
// Size: keeping lists to the longest window is the engine's job (horizontal.go's
// stabilizeRecommendationWithBehaviors and storeScaleEvent overwrite entries older than the longest window or
// policy period in place, so lists are bounded but unsorted). The codec only enforces a hard cap of MAX_ENTRIES_PER_LIST newest
// entries per list, so a runaway writer can never approach DynamoDB's 400 KB item limit:
//   realistic, a 3600 s window at a 15 s cadence: 240 recommendations + 8 scale events encode to 2,264 bytes,
//   a 2,361-byte item: 1 RRU per strongly consistent read (≤ 4 KB), 3 WRU per write (1 KB units);
//   worst case at the cap, 3 × 1024 entries of 17-character deltas and 10-digit replicas: < 90 KB.
// (Both measured in test/store/history-codec.test.ts.)

export const SCHEMA_VERSION = 1;
export const MAX_ENTRIES_PER_LIST = 1024;

export interface HistoryRecord {
  version: number;
  schemaVersion: number;
  history: string;
  updatedAt: number;
  ttl: number;
}

// What the engine hands over; validated on save so a bug upstream fails loudly instead of being stored as
// something the next load must discard.
// Replica counts are int32 in Kubernetes (autoscaling/v2 and the scale subresource); times must be valid
// JavaScript dates (0 … 8.64e15 ms), which also keeps every delta a safe integer.
const replicas = z.int().nonnegative().max(2_147_483_647);
const timestamp = z.number().min(0).max(8.64e15);
// Opaque to clients (Kubernetes: "must not be parsed"); etcd's are decimal revisions. Bounded, as the item is.
const resourceVersion = z.string().min(1).max(256);
const historySchema = z.object({
  recommendations: z.array(z.object({ timestamp, replicas })),
  scaleUpEvents: z.array(z.object({ timestamp, replicaChange: replicas })),
  scaleDownEvents: z.array(z.object({ timestamp, replicaChange: replicas })),
  idleSince: timestamp.optional(),
  metricFailures: z.int().nonnegative().max(1_000_000).optional(),
  shadowEvent: z.object({ timestamp, desiredReplicas: replicas, currentReplicas: replicas }).optional(),
  lastScale: z
    .object({
      timestamp,
      replicas,
      writtenAgainst: z.object({ resourceVersion, replicas, savedAt: timestamp }).optional(),
    })
    .optional(),
});

const pairs = z
  .array(z.int())
  .max(2 * MAX_ENTRIES_PER_LIST, { message: `must hold at most ${MAX_ENTRIES_PER_LIST} entries` })
  .refine((a) => a.length % 2 === 0, { message: 'must hold (time delta, value) pairs' })
  .refine((a) => a.every((v, i) => i % 2 === 0 || v >= 0), { message: 'values must not be negative' });

/** The compact document, parsed from the `history` string; exported for the codec's tests. */
export const compactHistorySchema = z.object({
  t: z.int(),
  r: pairs,
  u: pairs,
  d: pairs,
  z: z.int().min(0).max(8.64e15).optional(),
  f: z.int().nonnegative().optional(),
  s: z.tuple([z.int(), z.int().nonnegative(), z.int().nonnegative()]).optional(),
  /** lastScale: (time, replicas). */
  w: z.tuple([z.int().min(0).max(8.64e15), z.int().nonnegative()]).optional(),
  /** lastScale.writtenAgainst: the scale a rescale was written against (resourceVersion, replicas), saved at. */
  p: z.tuple([resourceVersion, z.int().nonnegative(), z.int().min(0).max(8.64e15)]).optional(),
});

const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not JSON' });
    return z.NEVER;
  }
});

const storedFieldsSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  history: jsonText.pipe(compactHistorySchema),
});

type Entry = { timestamp: number; value: number };

/** Keeps the newest `max` entries (in their original order), since the engine may keep lists unsorted. */
function newest(entries: Entry[], max: number): Entry[] {
  if (entries.length <= max) return entries;
  // Newest first; among equal times the later entry wins, as it was recorded later.
  const order = entries
    .map((_, i) => i)
    .sort((a, b) => entries[b]!.timestamp - entries[a]!.timestamp || b - a);
  const keep = new Set(order.slice(0, max));
  return entries.filter((_, i) => keep.has(i));
}

function flatten(entries: Entry[], base: number): number[] {
  const out: number[] = [];
  let previous = base;
  for (const e of entries) {
    out.push(e.timestamp - previous, e.value);
    previous = e.timestamp;
  }
  return out;
}

function unflatten(flat: number[], base: number): Entry[] {
  const out: Entry[] = [];
  let previous = base;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    previous += flat[i]!;
    out.push({ timestamp: previous, value: flat[i + 1]! });
  }
  return out;
}

export interface EncodedHistory {
  text: string;
  /** The history as it will read back: timestamps rounded to whole ms, lists capped. */
  history: History;
  /** Entries dropped by the cap, per list; all zero in normal operation. */
  dropped: { recommendations: number; scaleUpEvents: number; scaleDownEvents: number };
}

/** Encodes the engine's history; throws HistoryStoreError naming the field when it is not a valid history. */
export function encodeHistory(input: History): EncodedHistory {
  const parsed = historySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HistoryStoreError(
      `refusing to store an invalid history: ${fieldPath(issue.path)}: ${issue.message}`,
    );
  }
  // Whole milliseconds: a simulated clock may hand out fractions, and deltas must stay exact integers.
  const lists = {
    recommendations: input.recommendations.map((e) => ({
      timestamp: Math.round(e.timestamp),
      value: e.replicas,
    })),
    scaleUpEvents: input.scaleUpEvents.map((e) => ({
      timestamp: Math.round(e.timestamp),
      value: e.replicaChange,
    })),
    scaleDownEvents: input.scaleDownEvents.map((e) => ({
      timestamp: Math.round(e.timestamp),
      value: e.replicaChange,
    })),
  };
  const kept = {
    recommendations: newest(lists.recommendations, MAX_ENTRIES_PER_LIST),
    scaleUpEvents: newest(lists.scaleUpEvents, MAX_ENTRIES_PER_LIST),
    scaleDownEvents: newest(lists.scaleDownEvents, MAX_ENTRIES_PER_LIST),
  };
  const all = [...kept.recommendations, ...kept.scaleUpEvents, ...kept.scaleDownEvents];
  const base = all.length === 0 ? 0 : Math.min(...all.map((e) => e.timestamp));
  const doc = {
    t: base,
    r: flatten(kept.recommendations, base),
    u: flatten(kept.scaleUpEvents, base),
    d: flatten(kept.scaleDownEvents, base),
    ...(input.idleSince !== undefined ? { z: Math.round(input.idleSince) } : {}),
    ...(input.metricFailures ? { f: input.metricFailures } : {}),
    ...(input.shadowEvent
      ? {
          s: [
            Math.round(input.shadowEvent.timestamp),
            input.shadowEvent.desiredReplicas,
            input.shadowEvent.currentReplicas,
          ] as [number, number, number],
        }
      : {}),
    ...(input.lastScale
      ? { w: [Math.round(input.lastScale.timestamp), input.lastScale.replicas] as [number, number] }
      : {}),
    ...(input.lastScale?.writtenAgainst
      ? {
          p: [
            input.lastScale.writtenAgainst.resourceVersion,
            input.lastScale.writtenAgainst.replicas,
            Math.round(input.lastScale.writtenAgainst.savedAt),
          ] as [string, number, number],
        }
      : {}),
  };
  return {
    text: JSON.stringify(doc),
    history: toHistory(doc),
    dropped: {
      recommendations: lists.recommendations.length - kept.recommendations.length,
      scaleUpEvents: lists.scaleUpEvents.length - kept.scaleUpEvents.length,
      scaleDownEvents: lists.scaleDownEvents.length - kept.scaleDownEvents.length,
    },
  };
}

function toHistory(doc: z.infer<typeof compactHistorySchema>): History {
  return {
    recommendations: unflatten(doc.r, doc.t).map((e) => ({ timestamp: e.timestamp, replicas: e.value })),
    scaleUpEvents: unflatten(doc.u, doc.t).map((e) => ({ timestamp: e.timestamp, replicaChange: e.value })),
    scaleDownEvents: unflatten(doc.d, doc.t).map((e) => ({ timestamp: e.timestamp, replicaChange: e.value })),
    ...(doc.z !== undefined ? { idleSince: doc.z } : {}),
    ...(doc.f ? { metricFailures: doc.f } : {}),
    ...(doc.s
      ? { shadowEvent: { timestamp: doc.s[0], desiredReplicas: doc.s[1], currentReplicas: doc.s[2] } }
      : {}),
    ...(doc.w
      ? {
          lastScale: {
            timestamp: doc.w[0],
            replicas: doc.w[1],
            // Without lastScale there is no write to judge: a stray "p" is ignored.
            ...(doc.p
              ? { writtenAgainst: { resourceVersion: doc.p[0], replicas: doc.p[1], savedAt: doc.p[2] } }
              : {}),
          },
        }
      : {}),
  };
}

/** The record a save writes: version expectedVersion + 1, TTL refreshed to now + ttlSeconds. */
export function buildRecord(
  encoded: EncodedHistory,
  expectedVersion: number,
  now: number,
  ttlSeconds: number,
): HistoryRecord {
  return {
    version: expectedVersion + 1,
    schemaVersion: SCHEMA_VERSION,
    history: encoded.text,
    updatedAt: Math.round(now),
    ttl: Math.floor(now / 1000) + ttlSeconds,
  };
}

/**
 * The version a stored record carries, as the conditional write sees it: 0 when there is no record or its
 * version is not a number (DynamoDB's condition `attribute_not_exists(pk) OR NOT attribute_type(version, N)`).
 */
export function recordVersion(raw: unknown): number {
  if (typeof raw !== 'object' || raw === null) return 0;
  const v = (raw as Record<string, unknown>).version;
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export interface RecordReading {
  stored: StoredHistory;
  /** Why the stored history was ignored (corrupt, foreign, other schema); absent when it was fine or expired. */
  problem?: string;
}

/**
 * Reads a stored record (undefined: none) at time `now` (epoch ms). Never throws: anything unreadable becomes
 * an empty history with the record's version, so the next save's version check still guards the replacement.
 */
export function readRecord(raw: unknown, now: number): RecordReading {
  if (raw === undefined) return { stored: { history: emptyHistory(), version: 0 } };
  const version = recordVersion(raw);
  const empty = (problem?: string): RecordReading => ({
    stored: { history: emptyHistory(), version },
    ...(problem ? { problem } : {}),
  });
  if (typeof raw !== 'object' || raw === null) return empty('is not a record');
  const fields = raw as Record<string, unknown>;
  if (typeof fields.version !== 'number' || !Number.isFinite(fields.version)) {
    return empty('has no numeric "version"');
  }
  // DynamoDB deletes expired items only "typically within two days" and returns them until then
  // (developerguide/ttl-expired-items.html): an expired history must read as no history.
  if (typeof fields.ttl === 'number' && fields.ttl * 1000 <= now) return empty();
  const sv = fields.schemaVersion;
  if (typeof sv === 'number' && sv !== SCHEMA_VERSION) {
    const who = sv < SCHEMA_VERSION ? 'an older' : 'a newer';
    return empty(`was written by ${who} fhpa (schemaVersion ${sv}; this one reads ${SCHEMA_VERSION})`);
  }
  const parsed = storedFieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return empty(`is not an fhpa history: ${fieldPath(issue.path)}: ${issue.message}`);
  }
  return { stored: { history: toHistory(parsed.data.history), version } };
}
