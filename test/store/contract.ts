import { beforeEach, describe, expect, it } from 'vitest';
import type { History } from '../../src/engine/history-types.ts';
import { MAX_ENTRIES_PER_LIST } from '../../src/store/history-codec.ts';
import {
  HistoryConflictError,
  type HistoryKey,
  type HistoryStore,
  HistoryStoreError,
} from '../../src/store/history-store.ts';

// The one specification every HistoryStore meets (embedded, DynamoDB over the SDK, DynamoDB over fetch): the
// pipeline relies on exactly these semantics, whichever store runs. Modelled on Powertools idempotency's
// persistence tests (aws-powertools/powertools-lambda-typescript
// packages/idempotency/tests/unit/persistence/DynamoDbPersistenceLayer.test.ts), but against real stores.

export interface ContractHarness {
  store: HistoryStore;
  /** Everything the store reported through onWarning. */
  warnings: string[];
  /** The store's clock (epoch ms), settable. */
  clock: { now: number };
  ttlSeconds: number;
  /** Writes a record as another writer left it: strings, numbers and booleans (DynamoDB S, N, BOOL). */
  plant(key: HistoryKey, fields: Record<string, string | number | boolean>): Promise<void>;
  /** The stored record as plain fields (S → string, N → number), or undefined. */
  peek(key: HistoryKey): Promise<Record<string, unknown> | undefined>;
}

export const T0 = 1_732_000_000_000;

export const sample: History = {
  recommendations: [
    { timestamp: T0 - 30_000, replicas: 4 },
    { timestamp: T0 - 15_000, replicas: 6 },
    { timestamp: T0, replicas: 5 },
  ],
  scaleUpEvents: [{ timestamp: T0 - 15_000, replicaChange: 2 }],
  scaleDownEvents: [{ timestamp: T0, replicaChange: 1 }],
};

const empty: History = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
const VALID_DOC = '{"t":0,"r":[0,1],"u":[],"d":[]}';

let scopes = 0;

export function historyStoreContract(makeHarness: () => Promise<ContractHarness>): void {
  let h: ContractHarness;
  let key: HistoryKey;
  let k: string;
  beforeEach(async () => {
    h = await makeHarness();
    // A scope per test: the DynamoDB harnesses share one table.
    key = { scope: `contract-${++scopes}`, namespace: 'shop', name: 'web' };
    k = `${key.scope}/shop/web`;
  });

  describe('load and save', () => {
    it('loads version 0 and an empty history for a FederatedHPA never saved', async () => {
      expect(await h.store.load(key)).toEqual({ history: empty, version: 0 });
      expect(h.warnings).toEqual([]);
    });

    it('round-trips a history, incrementing the version on every save', async () => {
      expect(await h.store.save(key, sample, 0)).toEqual({ history: sample, version: 1 });
      expect(await h.store.load(key)).toEqual({ history: sample, version: 1 });
      const next = { ...sample, recommendations: sample.recommendations.slice(1) };
      expect(await h.store.save(key, next, 1)).toEqual({ history: next, version: 2 });
      expect(await h.store.load(key)).toEqual({ history: next, version: 2 });
      expect(h.warnings).toEqual([]);
    });

    it('round-trips lastScale with the scale a rescale was written against, and without it', async () => {
      const lastScale = {
        timestamp: T0,
        replicas: 5,
        writtenAgainst: { resourceVersion: '8812', replicas: 3, savedAt: T0 + 40 },
      };
      expect(await h.store.save(key, { ...sample, lastScale }, 0)).toMatchObject({ version: 1 });
      expect(await h.store.load(key)).toEqual({ history: { ...sample, lastScale }, version: 1 });
      const plain = { ...sample, lastScale: { timestamp: T0, replicas: 5 } };
      await h.store.save(key, plain, 1);
      expect(await h.store.load(key)).toEqual({ history: plain, version: 2 });
      expect(h.warnings).toEqual([]);
    });

    it('keys items by scope/namespace/name, so control planes sharing a table never see each other', async () => {
      const other = { ...key, scope: `${key.scope}-b` };
      expect(h.store.keyString(key)).toBe(k);
      await h.store.save(key, sample, 0);
      expect(await h.store.load(other)).toEqual({ history: empty, version: 0 });
    });

    it('rejects a key part containing "/" (it would make the key ambiguous)', () => {
      expect(() => h.store.keyString({ ...key, namespace: 'a/b' })).toThrowError(
        new HistoryStoreError('history key namespace "a/b" must be 1-253 characters without "/" or spaces'),
      );
    });

    it('copies on the way in and out: mutating what was saved or loaded changes nothing stored', async () => {
      const mine = structuredClone(sample);
      const saved = await h.store.save(key, mine, 0);
      mine.recommendations[0]!.replicas = 99;
      saved.history.scaleUpEvents.push({ timestamp: T0, replicaChange: 9 });
      const loaded = await h.store.load(key);
      loaded.history.recommendations.length = 0;
      expect(await h.store.load(key)).toEqual({ history: sample, version: 1 });
    });

    it('stores timestamps as whole milliseconds', async () => {
      const fractional = { ...empty, recommendations: [{ timestamp: T0 + 0.6, replicas: 2 }] };
      const rounded = { ...empty, recommendations: [{ timestamp: T0 + 1, replicas: 2 }] };
      expect(await h.store.save(key, fractional, 0)).toEqual({ history: rounded, version: 1 });
      expect((await h.store.load(key)).history).toEqual(rounded);
    });

    it.each([
      {
        what: 'negative replicas',
        history: { ...empty, recommendations: [{ timestamp: T0, replicas: -1 }] },
        message: 'recommendations[0].replicas: Too small: expected number to be >=0',
      },
      {
        what: 'a NaN timestamp',
        history: { ...empty, scaleDownEvents: [{ timestamp: Number.NaN, replicaChange: 1 }] },
        message: 'scaleDownEvents[0].timestamp: Invalid input: expected number, received NaN',
      },
      {
        what: 'fractional replicas',
        history: { ...empty, scaleUpEvents: [{ timestamp: T0, replicaChange: 1.5 }] },
        message: 'scaleUpEvents[0].replicaChange: Invalid input: expected int, received number',
      },
    ])(
      'refuses to store a history with $what, naming the field, and stores nothing',
      async ({ history, message }) => {
        await expect(h.store.save(key, history, 0)).rejects.toThrowError(
          new HistoryStoreError(`refusing to store an invalid history: ${message}`),
        );
        expect(await h.store.load(key)).toEqual({ history: empty, version: 0 });
      },
    );
  });

  describe('conditional writes', () => {
    it('fails a second writer from the same version with the winner’s history and version in the error', async () => {
      const winner = { ...sample, scaleDownEvents: [] };
      await h.store.save(key, winner, 0);
      const err = await h.store.save(key, sample, 0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HistoryConflictError);
      expect(err).toMatchObject({ key: k, expectedVersion: 0, current: { history: winner, version: 1 } });
      expect((err as Error).message).toBe(`history of ${k} changed: expected version 0, found 1`);
      expect(await h.store.load(key)).toEqual({ history: winner, version: 1 });
    });

    it('fails a stale writer (version moved on since its read)', async () => {
      await h.store.save(key, empty, 0);
      await h.store.save(key, sample, 1);
      await expect(h.store.save(key, empty, 1)).rejects.toMatchObject({
        expectedVersion: 1,
        current: { history: sample, version: 2 },
      });
    });

    it('fails a writer expecting an item that does not exist, reporting version 0', async () => {
      await expect(h.store.save(key, sample, 5)).rejects.toMatchObject({
        expectedVersion: 5,
        current: { history: empty, version: 0 },
      });
    });

    // 50 invocations evaluate one FederatedHPA at once (an alert storm plus the cron tick), each appending a
    // recommendation with the pipeline's retry: on conflict, recompute from the history in the error.
    it('loses no update when 50 writers race on one item', async () => {
      let conflicts = 0;
      const writer = async (i: number) => {
        let stored = await h.store.load(key);
        for (;;) {
          const mine = { timestamp: T0 + i, replicas: i };
          const next = { ...stored.history, recommendations: [...stored.history.recommendations, mine] };
          try {
            return await h.store.save(key, next, stored.version);
          } catch (err) {
            if (!(err instanceof HistoryConflictError)) throw err;
            conflicts++;
            stored = err.current;
          }
        }
      };
      await Promise.all(Array.from({ length: 50 }, (_, i) => writer(i)));
      const final = await h.store.load(key);
      expect(final.version).toBe(50);
      expect(final.history.recommendations.map((r) => r.replicas).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i),
      );
      expect(conflicts).toBeGreaterThan(0);
    });
  });

  describe('loadMany', () => {
    it('reads 250 keys (three DynamoDB batches), duplicates once, absent ones as version 0', async () => {
      const keys = Array.from({ length: 250 }, (_, i) => ({ ...key, name: `web-${i}` }));
      for (const [i, kk] of keys.entries()) {
        if (i % 2 === 0)
          await h.store.save(kk, { ...empty, recommendations: [{ timestamp: T0, replicas: i }] }, 0);
      }
      const got = await h.store.loadMany([...keys, keys[0]!, keys[1]!]);
      expect(got.size).toBe(250);
      for (const [i, kk] of keys.entries()) {
        expect(got.get(h.store.keyString(kk))).toEqual(
          i % 2 === 0
            ? { history: { ...empty, recommendations: [{ timestamp: T0, replicas: i }] }, version: 1 }
            : { history: empty, version: 0 },
        );
      }
      expect(await h.store.loadMany([])).toEqual(new Map());
    });
  });

  describe('size cap', () => {
    it(`keeps the newest ${MAX_ENTRIES_PER_LIST} entries of a list and reports what it dropped`, async () => {
      const recommendations = Array.from({ length: 1100 }, (_, i) => ({
        timestamp: T0 + i * 1000,
        replicas: i % 7,
      }));
      const saved = await h.store.save(key, { ...empty, recommendations }, 0);
      expect(saved.history.recommendations).toEqual(recommendations.slice(76));
      expect(h.warnings).toEqual([
        `history of ${k} exceeded the per-list cap; dropped 76 oldest recommendations`,
      ]);
      expect(await h.store.load(key)).toEqual(saved);
    });
  });

  describe('TTL', () => {
    it('writes ttl (epoch seconds) = save time + TTL, refreshed by every save', async () => {
      await h.store.save(key, sample, 0);
      expect(await h.peek(key)).toMatchObject({
        version: 1,
        schemaVersion: 1,
        updatedAt: T0,
        ttl: Math.floor(T0 / 1000) + h.ttlSeconds,
      });
      h.clock.now = T0 + 60_000;
      await h.store.save(key, sample, 1);
      expect(await h.peek(key)).toMatchObject({ version: 2, ttl: Math.floor(T0 / 1000) + 60 + h.ttlSeconds });
    });

    it('reads an expired item (not yet deleted) as empty, keeping its version for the next save', async () => {
      await h.store.save(key, sample, 0);
      h.clock.now = (Math.floor(T0 / 1000) + h.ttlSeconds) * 1000 - 1;
      expect(await h.store.load(key)).toEqual({ history: sample, version: 1 });
      h.clock.now += 1;
      expect(await h.store.load(key)).toEqual({ history: empty, version: 1 });
      expect(await h.store.save(key, sample, 1)).toEqual({ history: sample, version: 2 });
      expect(h.warnings).toEqual([]);
    });
  });

  describe('corrupt, foreign and other-schema items', () => {
    it.each<{
      what: string;
      fields: Record<string, string | number | boolean>;
      version: number;
      problem: string;
    }>([
      {
        what: 'history that is not JSON',
        fields: { version: 3, schemaVersion: 1, history: 'not json' },
        version: 3,
        problem: 'is not an fhpa history: history: is not JSON',
      },
      {
        what: 'an odd-length pair list',
        fields: { version: 4, schemaVersion: 1, history: '{"t":0,"r":[1],"u":[],"d":[]}' },
        version: 4,
        problem: 'is not an fhpa history: history.r: must hold (time delta, value) pairs',
      },
      {
        what: 'negative replicas',
        fields: { version: 4, schemaVersion: 1, history: '{"t":0,"r":[0,-1],"u":[],"d":[]}' },
        version: 4,
        problem: 'is not an fhpa history: history.r: values must not be negative',
      },
      {
        what: 'a missing list',
        fields: { version: 2, schemaVersion: 1, history: '{"t":0,"r":[]}' },
        version: 2,
        problem: 'is not an fhpa history: history.u: Invalid input: expected array, received undefined',
      },
      {
        what: 'history of the wrong type',
        fields: { version: 2, schemaVersion: 1, history: true },
        version: 2,
        problem: 'is not an fhpa history: history: Invalid input: expected string, received boolean',
      },
      {
        what: 'no schemaVersion',
        fields: { version: 5, history: VALID_DOC },
        version: 5,
        problem: 'is not an fhpa history: schemaVersion: Invalid input: expected 1',
      },
      {
        what: 'an older schema',
        fields: { version: 7, schemaVersion: 0, history: '[[1,2]]' },
        version: 7,
        problem: 'was written by an older fhpa (schemaVersion 0; this one reads 1)',
      },
      {
        what: 'a newer schema',
        fields: { version: 7, schemaVersion: 2, history: VALID_DOC },
        version: 7,
        problem: 'was written by a newer fhpa (schemaVersion 2; this one reads 1)',
      },
      {
        what: 'no version (someone else’s item)',
        fields: { owner: 'billing' },
        version: 0,
        problem: 'has no numeric "version"',
      },
      {
        what: 'a version of the wrong type',
        fields: { version: 'seven', schemaVersion: 1, history: VALID_DOC },
        version: 0,
        problem: 'has no numeric "version"',
      },
    ])(
      'reports an item with $what, reads it as empty, and the next save replaces it',
      async ({ fields, version, problem }) => {
        await h.plant(key, fields);
        const warning = `stored history of ${k} ${problem}; starting from an empty history, the next save replaces it`;
        expect(await h.store.load(key)).toEqual({ history: empty, version });
        expect(h.warnings).toEqual([warning]);
        expect((await h.store.loadMany([key])).get(k)).toEqual({ history: empty, version });
        expect(h.warnings).toEqual([warning, warning]);
        expect(await h.store.save(key, sample, version)).toEqual({ history: sample, version: version + 1 });
        expect(await h.store.load(key)).toEqual({ history: sample, version: version + 1 });
        expect(h.warnings).toHaveLength(2);
      },
    );

    it('still guards a replacement: of two writers replacing one foreign item only the first wins', async () => {
      await h.plant(key, { owner: 'billing' });
      await h.store.save(key, sample, 0);
      await expect(h.store.save(key, empty, 0)).rejects.toMatchObject({
        current: { history: sample, version: 1 },
      });
    });
  });
}
