import { describe, expect, it } from 'vitest';
import type { History } from '../../src/engine/history-types.ts';
import {
  buildRecord,
  encodeHistory,
  MAX_ENTRIES_PER_LIST,
  readRecord,
  recordVersion,
  SCHEMA_VERSION,
} from '../../src/store/history-codec.ts';

// The stored form itself: exact encodings, the cap on unsorted lists (Kubernetes' horizontal.go overwrites
// stale entries in place, so the newest entry is not always last), and the item sizes history-codec.ts
// documents, measured the way DynamoDB counts (developerguide/CapacityUnitCalculations.html: attribute name
// bytes + value bytes; a number takes about one byte per two significant digits, plus one).

const T0 = 1_732_000_000_000;
const empty: History = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };

function itemBytes(fields: Record<string, string | number>): number {
  let total = 0;
  for (const [name, value] of Object.entries(fields)) {
    total += Buffer.byteLength(name);
    if (typeof value === 'string') total += Buffer.byteLength(value);
    else total += Math.ceil(String(Math.abs(value)).replace(/^0+|0+$/g, '').length / 2) + 1;
  }
  return total;
}

describe('encodeHistory', () => {
  it.each([
    { what: 'an empty history', history: empty, text: '{"t":0,"r":[],"u":[],"d":[]}' },
    {
      what: 'deltas from the oldest time, then from the previous entry of each list',
      history: {
        recommendations: [
          { timestamp: T0 + 15_000, replicas: 3 },
          { timestamp: T0 + 30_000, replicas: 4 },
        ],
        scaleUpEvents: [{ timestamp: T0, replicaChange: 2 }],
        scaleDownEvents: [],
      },
      text: '{"t":1732000000000,"r":[15000,3,15000,4],"u":[0,2],"d":[]}',
    },
    {
      what: 'an unsorted list (an entry overwritten in place), with a negative delta',
      history: {
        ...empty,
        recommendations: [
          { timestamp: T0 + 60_000, replicas: 5 },
          { timestamp: T0, replicas: 2 },
        ],
      },
      text: '{"t":1732000000000,"r":[60000,5,-60000,2],"u":[],"d":[]}',
    },
  ])('encodes $what', ({ history, text }) => {
    const encoded = encodeHistory(history);
    expect(encoded.text).toBe(text);
    expect(encoded.history).toEqual(history);
    const record = { version: 1, schemaVersion: SCHEMA_VERSION, history: text };
    expect(readRecord(record, T0)).toEqual({ stored: { history, version: 1 } });
  });

  it('keeps the newest entries of an unsorted list over the cap, in their original order, later ties first', () => {
    // 1030 entries, the six oldest spread through the list (T0 … T0+5 s); entry 600 ties with entry 500 at
    // T0+5 s and was recorded later, so entry 500 is the sixth one dropped.
    const times = Array.from({ length: MAX_ENTRIES_PER_LIST + 6 }, (_, i) => T0 + 1_000 * (i + 10));
    for (const [n, i] of [0, 100, 200, 300, 400, 500].entries()) times[i] = T0 + n * 1_000;
    times[600] = T0 + 5_000;
    const recommendations = times.map((timestamp, i) => ({ timestamp, replicas: i }));
    const encoded = encodeHistory({ ...empty, recommendations });
    const dropped = new Set([0, 100, 200, 300, 400, 500]);
    expect(encoded.history.recommendations).toEqual(recommendations.filter((_, i) => !dropped.has(i)));
    expect(encoded.dropped).toEqual({ recommendations: 6, scaleUpEvents: 0, scaleDownEvents: 0 });
  });

  it(`measures a realistic item: 3600 s window at 15 s → 2,264-byte history, 2,361-byte item: 1 RRU, 3 WRU`, () => {
    const realistic: History = {
      recommendations: Array.from({ length: 240 }, (_, i) => ({
        timestamp: T0 - 3_585_000 + i * 15_000,
        replicas: 10 + ((i * 7) % 90),
      })),
      scaleUpEvents: Array.from({ length: 4 }, (_, i) => ({
        timestamp: T0 - 900_000 + i * 60_000,
        replicaChange: 4,
      })),
      scaleDownEvents: Array.from({ length: 4 }, (_, i) => ({
        timestamp: T0 - 1_800_000 + i * 300_000,
        replicaChange: 2,
      })),
    };
    const encoded = encodeHistory(realistic);
    const record = buildRecord(encoded, 41, T0, 604_800);
    const bytes = itemBytes({ pk: 'karmada-prod-eu-1/shop-frontend/checkout-api', ...record });
    expect(encoded.text.length).toBe(2_264);
    expect(bytes).toBe(2_361);
    expect(Math.ceil(bytes / 4096)).toBe(1); // RRU, strongly consistent
    expect(Math.ceil(bytes / 1024)).toBe(3); // WRU
  });

  it('keeps the worst item at the cap below 90 KB (a quarter of DynamoDB’s 400 KB)', () => {
    const worst = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ timestamp: i % 2 ? 0 : 8.64e15, value: 2_147_483_647 }));
    const encoded = encodeHistory({
      recommendations: worst(MAX_ENTRIES_PER_LIST + 50).map((e) => ({
        timestamp: e.timestamp,
        replicas: e.value,
      })),
      scaleUpEvents: worst(MAX_ENTRIES_PER_LIST).map((e) => ({
        timestamp: e.timestamp,
        replicaChange: e.value,
      })),
      scaleDownEvents: worst(MAX_ENTRIES_PER_LIST).map((e) => ({
        timestamp: e.timestamp,
        replicaChange: e.value,
      })),
    });
    const bytes = itemBytes({
      pk: `${'s'.repeat(63)}/${'n'.repeat(63)}/${'x'.repeat(253)}`,
      ...buildRecord(encoded, 1, T0, 1),
    });
    expect(bytes).toBe(87_237);
  });

  it.each([
    {
      what: 'a timestamp before 1970',
      history: { ...empty, recommendations: [{ timestamp: -1, replicas: 1 }] },
      message: 'recommendations[0].timestamp: Too small: expected number to be >=0',
    },
    {
      what: 'replicas beyond int32',
      history: { ...empty, recommendations: [{ timestamp: 0, replicas: 2 ** 31 }] },
      message: 'recommendations[0].replicas: Too big: expected number to be <=2147483647',
    },
  ])('refuses $what', ({ history, message }) => {
    expect(() => encodeHistory(history)).toThrowError(`refusing to store an invalid history: ${message}`);
  });
});

describe('buildRecord', () => {
  it('increments the version and sets ttl in epoch seconds from the save time', () => {
    expect(buildRecord(encodeHistory(empty), 6, T0 + 999, 3600)).toEqual({
      version: 7,
      schemaVersion: 1,
      history: '{"t":0,"r":[],"u":[],"d":[]}',
      updatedAt: T0 + 999,
      ttl: T0 / 1000 + 3600,
    });
  });
});

describe('recordVersion', () => {
  it.each([
    { record: undefined, version: 0 },
    { record: 'text', version: 0 },
    { record: { version: 'seven' }, version: 0 },
    { record: { version: Number.NaN }, version: 0 },
    { record: { version: 12 }, version: 12 },
  ])('reads $record as version $version, as the conditional write sees it', ({ record, version }) => {
    expect(recordVersion(record)).toBe(version);
  });
});

describe('readRecord', () => {
  it('reads a record that is not an object as empty with version 0, reporting it', () => {
    expect(readRecord('garbage', T0)).toEqual({
      stored: { history: empty, version: 0 },
      problem: 'is not a record',
    });
  });

  it('reports a foreign document with too many entries, naming the list', () => {
    const r = `[${Array.from({ length: 2 * MAX_ENTRIES_PER_LIST + 2 }, () => 1).join(',')}]`;
    const record = { version: 3, schemaVersion: 1, history: `{"t":0,"r":${r},"u":[],"d":[]}` };
    expect(readRecord(record, T0).problem).toBe(
      `is not an fhpa history: history.r: must hold at most ${MAX_ENTRIES_PER_LIST} entries`,
    );
  });
});

describe('the scale-to-zero idle time', () => {
  it('round-trips as "z", and an item written before it existed reads as never idle', () => {
    const encoded = encodeHistory({ ...empty, idleSince: T0 + 0.4 });
    expect(encoded.text).toBe(`{"t":0,"r":[],"u":[],"d":[],"z":${T0}}`);
    const record = buildRecord(encoded, 0, T0, 3600);
    expect(readRecord(record, T0).stored.history).toEqual({ ...empty, idleSince: T0 });
    const old = { ...record, history: '{"t":0,"r":[],"u":[],"d":[]}' };
    expect(readRecord(old, T0)).toEqual({ stored: { history: empty, version: 1 } });
    expect(encodeHistory(empty).text).toBe('{"t":0,"r":[],"u":[],"d":[]}');
  });
});

describe("fhpa's own history fields (fallback count, last shadow Event)", () => {
  const base = {
    recommendations: [{ timestamp: 1_000, replicas: 2 }],
    scaleUpEvents: [],
    scaleDownEvents: [],
  };

  it('round-trip through the compact form', () => {
    const history = {
      ...base,
      metricFailures: 3,
      shadowEvent: { timestamp: 2_000, desiredReplicas: 5, currentReplicas: 1 },
    };
    const encoded = encodeHistory(history);
    expect(JSON.parse(encoded.text)).toMatchObject({ f: 3, s: [2_000, 5, 1] });
    const read = readRecord(buildRecord(encoded, 0, 3_000, 60), 3_000);
    expect(read).toEqual({ stored: { history, version: 1 } });
  });

  it('an item written before them still reads, as no failures and no shadow Event', () => {
    const old = {
      version: 7,
      schemaVersion: 1,
      history: '{"t":1000,"r":[0,2],"u":[],"d":[]}',
      ttl: 10,
      updatedAt: 1,
    };
    expect(readRecord(old, 3_000)).toEqual({ stored: { history: base, version: 7 } });
  });

  it('are left out when empty, so an item without them is byte-for-byte what an older fhpa wrote', () => {
    expect(encodeHistory({ ...base, metricFailures: 0 }).text).toBe('{"t":1000,"r":[0,2],"u":[],"d":[]}');
  });
});

describe('the scale a rescale was written against ("p", beside lastScale\'s "w")', () => {
  const base = {
    recommendations: [],
    scaleUpEvents: [{ timestamp: 1_000, replicaChange: 4 }],
    scaleDownEvents: [],
  };
  const written = {
    ...base,
    lastScale: {
      timestamp: 1_000,
      replicas: 5,
      writtenAgainst: { resourceVersion: '8812', replicas: 1, savedAt: 1_200 },
    },
  };

  it('round-trips through the compact form', () => {
    const encoded = encodeHistory(written);
    expect(JSON.parse(encoded.text)).toMatchObject({ w: [1_000, 5], p: ['8812', 1, 1_200] });
    expect(readRecord(buildRecord(encoded, 0, 3_000, 60), 3_000)).toEqual({
      stored: { history: written, version: 1 },
    });
  });

  it('is left out without a write; an item without it reads lastScale alone, a stray one is ignored', () => {
    const plain = { ...base, lastScale: { timestamp: 1_000, replicas: 5 } };
    expect(encodeHistory(plain).text).toBe('{"t":1000,"r":[],"u":[0,4],"d":[],"w":[1000,5]}');
    const item = (history: string) => ({ version: 2, schemaVersion: 1, history, ttl: 10, updatedAt: 1 });
    expect(readRecord(item('{"t":1000,"r":[],"u":[0,4],"d":[],"w":[1000,5]}'), 3_000)).toEqual({
      stored: { history: plain, version: 2 },
    });
    expect(readRecord(item('{"t":1000,"r":[],"u":[0,4],"d":[],"p":["8812",1,1200]}'), 3_000)).toEqual({
      stored: { history: base, version: 2 },
    });
  });

  it('refuses to store an empty or oversized resourceVersion, naming the field', () => {
    const bad = (resourceVersion: string) =>
      encodeHistory({
        ...written,
        lastScale: { ...written.lastScale, writtenAgainst: { resourceVersion, replicas: 1, savedAt: 1_200 } },
      });
    expect(() => bad('')).toThrowError(/lastScale\.writtenAgainst\.resourceVersion/);
    expect(() => bad('9'.repeat(257))).toThrowError(/lastScale\.writtenAgainst\.resourceVersion/);
  });
});
