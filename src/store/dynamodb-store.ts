import type { History } from '../engine/history-types.ts';
import { type Backoff, backoffDelay, defaultBackoff } from './backoff.ts';
import {
  ConditionalCheckFailed,
  type ConditionalPut,
  type DynamoApi,
  DynamoApiError,
  type Item,
  KEY_ATTRIBUTE,
} from './dynamodb-api.ts';
import { DynamoLeaseStore } from './dynamodb-leases.ts';
import { buildRecord, encodeHistory, type HistoryRecord, readRecord } from './history-codec.ts';
import {
  HistoryConflictError,
  type HistoryKey,
  type HistoryStore,
  HistoryStoreError,
  historyKeyString,
  type StoredHistory,
} from './history-store.ts';
import { ignoredMessage, reportCap } from './store-warnings.ts';

export interface DynamoStoreOptions {
  api: DynamoApi;
  table: string;
  /** Epoch ms. */
  clock: () => number;
  /** Seconds a history outlives its last save; DynamoDB's TTL then deletes the item. */
  ttlSeconds: number;
  onWarning: (message: string) => void;
  backoff?: Backoff;
  /** BatchGetItem calls per 100 keys before unprocessed keys are given up on (left to load()). */
  maxBatchRounds?: number;
}

/** BatchGetItem's limit per call (API_BatchGetItem.html). */
export const BATCH_GET_LIMIT = 100;

// One item per FederatedHPA, `pk` = keyString (scope/namespace/name), the record's fields as attributes.
// One evaluation costs one strongly consistent GetItem (1 RRU: items stay under 4 KB for a 1 h window, see
// history-codec.ts) and one conditional PutItem (⌈item KB⌉ WRU, 3 for a 1 h window at 15 s). A sweep reads
// 100 histories per BatchGetItem (still 1 RRU per item). A lost race costs no extra read on DynamoDB, which
// returns the winner's item with the failure (ReturnValuesOnConditionCheckFailure: ALL_OLD); dynalite ignores
// that parameter, so there, and on any endpoint that returns no item, the store re-reads once.
export class DynamoHistoryStore implements HistoryStore {
  private readonly backoff: Backoff;
  private readonly maxBatchRounds: number;

  constructor(private readonly options: DynamoStoreOptions) {
    this.backoff = options.backoff ?? defaultBackoff();
    this.maxBatchRounds = options.maxBatchRounds ?? 8;
  }

  keyString(key: HistoryKey): string {
    return historyKeyString(key);
  }

  leases(): DynamoLeaseStore {
    return new DynamoLeaseStore({ api: this.options.api, table: this.options.table });
  }

  async load(key: HistoryKey): Promise<StoredHistory> {
    const k = historyKeyString(key);
    const item = await this.call(`load history of ${k}`, () =>
      this.options.api.getItem(this.options.table, keyItem(k)),
    );
    return this.read(k, item);
  }

  async loadMany(keys: readonly HistoryKey[]): Promise<Map<string, StoredHistory>> {
    // BatchGetItem rejects a request that names one key twice ("Provided list of item keys contains duplicates").
    const unique = [...new Set(keys.map(historyKeyString))];
    const out = new Map<string, StoredHistory>();
    let unread = 0;
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      const chunk = unique.slice(i, i + BATCH_GET_LIMIT);
      const wanted = new Set(chunk);
      let pending = chunk.map(keyItem);
      for (let round = 0; ; round++) {
        const batch = pending;
        const result = await this.call(`load ${batch.length} histories`, () =>
          this.options.api.batchGetItem(this.options.table, batch),
        );
        for (const item of result.items) {
          const k = item[KEY_ATTRIBUTE]?.S;
          if (k !== undefined && wanted.has(k)) out.set(k, this.read(k, item));
        }
        pending = result.unprocessed;
        if (pending.length === 0 || round + 1 >= this.maxBatchRounds) break;
        // As API_BatchGetItem.html advises: unprocessed keys mean throttling, so back off before asking again.
        await this.backoff.sleep(backoffDelay(round, this.backoff));
      }
      const left = new Set(pending.map((item) => item[KEY_ATTRIBUTE]?.S));
      unread += left.size;
      for (const k of chunk) {
        if (!out.has(k) && !left.has(k)) out.set(k, this.read(k, undefined));
      }
    }
    if (unread > 0) {
      this.options.onWarning(
        `${unread} histories were still unprocessed after ${this.maxBatchRounds} BatchGetItem round${this.maxBatchRounds === 1 ? '' : 's'}; they are left to single reads`,
      );
    }
    return out;
  }

  async save(key: HistoryKey, history: History, expectedVersion: number): Promise<StoredHistory> {
    const k = historyKeyString(key);
    const encoded = encodeHistory(history);
    const record = buildRecord(encoded, expectedVersion, this.options.clock(), this.options.ttlSeconds);
    try {
      await this.options.api.putItem({
        table: this.options.table,
        item: recordItem(k, record),
        ...versionCondition(expectedVersion),
      });
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailed)) throw this.wrap(`save history of ${k}`, err);
      const current = err.item ? this.read(k, err.item) : await this.load(key);
      throw new HistoryConflictError(k, expectedVersion, current);
    }
    reportCap(k, encoded, this.options.onWarning);
    return { history: encoded.history, version: record.version };
  }

  close(): void {
    this.options.api.close();
  }

  private read(k: string, item: Item | undefined): StoredHistory {
    const reading = readRecord(item && itemRecord(item), this.options.clock());
    if (reading.problem) this.options.onWarning(ignoredMessage(k, reading.problem));
    return reading.stored;
  }

  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      throw this.wrap(what, err);
    }
  }

  private wrap(what: string, err: unknown): HistoryStoreError {
    const hint =
      err instanceof DynamoApiError && err.code === 'ResourceNotFoundException'
        ? ` (is table "${this.options.table}" created? \`fhpa store init\` creates it)`
        : '';
    return new HistoryStoreError(`${what}: ${err instanceof Error ? err.message : String(err)}${hint}`, {
      cause: err,
    });
  }
}

export const keyItem = (k: string): Item => ({ [KEY_ATTRIBUTE]: { S: k } });

function recordItem(k: string, r: HistoryRecord): Item {
  return {
    [KEY_ATTRIBUTE]: { S: k },
    version: { N: String(r.version) },
    schemaVersion: { N: String(r.schemaVersion) },
    history: { S: r.history },
    updatedAt: { N: String(r.updatedAt) },
    ttl: { N: String(r.ttl) },
  };
}

/** An item as a plain record for the codec: S, N and BOOL as JS values, other types kept as is (and rejected). */
export function itemRecord(item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (typeof value.S === 'string') out[name] = value.S;
    else if (typeof value.N === 'string') out[name] = Number(value.N);
    else if (typeof value.BOOL === 'boolean') out[name] = value.BOOL;
    else out[name] = value;
  }
  return out;
}

// Optimistic locking (developerguide/BestPractices_OptimisticLocking.html). Version 0 means "nothing fhpa can
// read is there": no item, or a foreign one without a numeric version, which the put may then replace. Any
// numeric version must match exactly, so of two writers that read the same version only the first succeeds.
export function versionCondition(expected: number): Pick<ConditionalPut, 'condition' | 'names' | 'values'> {
  if (expected === 0) {
    return {
      condition: 'attribute_not_exists(#pk) OR NOT attribute_type(#version, :number)',
      names: { '#pk': KEY_ATTRIBUTE, '#version': 'version' },
      values: { ':number': { S: 'N' } },
    };
  }
  return {
    condition: '#version = :expected',
    names: { '#version': 'version' },
    values: { ':expected': { N: String(expected) } },
  };
}
