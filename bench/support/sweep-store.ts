import type { History } from '../../src/engine/history-types.ts';
import {
  HistoryConflictError,
  type HistoryKey,
  type HistoryStore,
  type StoredHistory,
} from '../../src/store/history-store.ts';

// A HistoryStore that counts what goes through it, for the sweep benchmark's reads and writes per evaluation.
// A decorator over the port rather than a hook in either store, so the embedded and DynamoDB stores are
// counted the same way and neither knows it is measured. Failed calls count too: they cost a round trip.

export interface StoreCounts {
  /** Single-history reads (`load`), the fallback when a batch left a key out or there was no batch. */
  loadCalls: number;
  /** Batch reads (`loadMany`), and the keys they asked for in total. */
  loadManyCalls: number;
  loadManyItems: number;
  /** Conditional writes (`save`), and those refused because the version moved. */
  saveCalls: number;
  saveConflicts: number;
}

export interface CountingStore extends HistoryStore {
  readonly counts: StoreCounts;
  /** Zeroes the counts (after a warm-up). */
  reset(): void;
}

export function countingStore(inner: HistoryStore): CountingStore {
  const zero = (): StoreCounts => ({
    loadCalls: 0,
    loadManyCalls: 0,
    loadManyItems: 0,
    saveCalls: 0,
    saveConflicts: 0,
  });
  const counts = zero();
  return {
    counts,
    reset: () => Object.assign(counts, zero()),
    keyString: (key: HistoryKey) => inner.keyString(key),
    load(key: HistoryKey): Promise<StoredHistory> {
      counts.loadCalls += 1;
      return inner.load(key);
    },
    loadMany(keys: readonly HistoryKey[]): Promise<Map<string, StoredHistory>> {
      counts.loadManyCalls += 1;
      counts.loadManyItems += keys.length;
      return inner.loadMany(keys);
    },
    async save(key: HistoryKey, history: History, expectedVersion: number): Promise<StoredHistory> {
      counts.saveCalls += 1;
      try {
        return await inner.save(key, history, expectedVersion);
      } catch (err) {
        if (err instanceof HistoryConflictError) counts.saveConflicts += 1;
        throw err;
      }
    },
    close: () => inner.close?.(),
  };
}
