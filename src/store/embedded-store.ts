import type { History } from '../engine/history-types.ts';
import { EmbeddedLeaseStore } from './embedded-leases.ts';
import { buildRecord, encodeHistory, readRecord, recordVersion } from './history-codec.ts';
import {
  HistoryConflictError,
  type HistoryKey,
  type HistoryStore,
  historyKeyString,
  type StoredHistory,
} from './history-store.ts';
import { ignoredMessage, reportCap } from './store-warnings.ts';

export interface EmbeddedStoreOptions {
  /** Epoch ms; the demo and tests pass a simulated clock. */
  clock: () => number;
  /** Seconds a history outlives its last save (FHPA_HISTORY_TTL_SECONDS). */
  ttlSeconds: number;
  onWarning: (message: string) => void;
  /**
   * The records, keyed by keyString. Injected so tests can plant what another writer left, and the demo can
   * show what is stored; values are whatever was put there, read through the same codec as DynamoDB items.
   */
  records?: Map<string, unknown>;
}

// The default store (no table configured): the same records, codec, cap, TTL and version guard as the DynamoDB
// store, in a Map. Records hold the history as its encoded string, so nothing the caller keeps a reference to
// can change what is stored, and every load hands out fresh arrays. Check and write happen with no await in
// between, so concurrent evaluations in one process race exactly as they would on a conditional put.
// Expired records read as empty and are overwritten by the next save; a record per deleted FederatedHPA stays
// in memory until the process ends (a few hundred bytes each).
export class EmbeddedHistoryStore implements HistoryStore {
  readonly records: Map<string, unknown>;
  // Apart from the histories, so the demo's view of stored histories shows only histories.
  private readonly leaseStore = new EmbeddedLeaseStore();

  constructor(private readonly options: EmbeddedStoreOptions) {
    this.records = options.records ?? new Map();
  }

  keyString(key: HistoryKey): string {
    return historyKeyString(key);
  }

  leases(): EmbeddedLeaseStore {
    return this.leaseStore;
  }

  async load(key: HistoryKey): Promise<StoredHistory> {
    return this.read(historyKeyString(key));
  }

  async loadMany(keys: readonly HistoryKey[]): Promise<Map<string, StoredHistory>> {
    const out = new Map<string, StoredHistory>();
    for (const key of keys) {
      const k = historyKeyString(key);
      if (!out.has(k)) out.set(k, this.read(k));
    }
    return out;
  }

  async save(key: HistoryKey, history: History, expectedVersion: number): Promise<StoredHistory> {
    const k = historyKeyString(key);
    const encoded = encodeHistory(history);
    const existing = this.records.get(k);
    // The same test as DynamoDB's condition: no record (or one without a numeric version) for 0, else equality.
    if (recordVersion(existing) !== expectedVersion) {
      throw new HistoryConflictError(k, expectedVersion, this.read(k));
    }
    const record = buildRecord(encoded, expectedVersion, this.options.clock(), this.options.ttlSeconds);
    this.records.set(k, record);
    reportCap(k, encoded, this.options.onWarning);
    return { history: encoded.history, version: record.version };
  }

  private read(k: string): StoredHistory {
    const reading = readRecord(this.records.get(k), this.options.clock());
    if (reading.problem) this.options.onWarning(ignoredMessage(k, reading.problem));
    return reading.stored;
  }
}
