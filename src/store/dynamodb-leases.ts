import { ConditionalCheckFailed, type DynamoApi, type Item, KEY_ATTRIBUTE } from './dynamodb-api.ts';
import { itemRecord, keyItem, versionCondition } from './dynamodb-store.ts';
import { HistoryStoreError } from './history-store.ts';
import {
  checkPartitions,
  LeaseConflictError,
  type LeaseRecord,
  type LeaseStore,
  type LeaseTable,
  leaseKey,
  type MembersRecord,
  membersKey,
  readLease,
  readMembers,
} from './lease-store.ts';

export interface DynamoLeaseStoreOptions {
  api: DynamoApi;
  table: string;
  /** BatchGetItem calls per read before unprocessed keys make the read fail (the round is retried later). */
  maxBatchRounds?: number;
}

// Leases as items of the history table (lease-store.ts has the layout). A round reads the membership record
// and every lease with one strongly consistent BatchGetItem (P + 1 items under 1 KB: P + 1 RRU); every write
// is one conditional PutItem of an item under 1 KB (1 WRU), guarded by the same version condition as a history
// save. Lease items carry no `ttl`: they are few (P + 1 per scope) and must not vanish while held.
export class DynamoLeaseStore implements LeaseStore {
  constructor(private readonly options: DynamoLeaseStoreOptions) {}

  async read(scope: string, partitions: number): Promise<LeaseTable> {
    checkPartitions(partitions);
    const keys = [membersKey(scope, partitions)];
    for (let p = 0; p < partitions; p++) keys.push(leaseKey(scope, partitions, p));
    const found = new Map<string, Record<string, unknown>>();
    let pending = keys.map(keyItem);
    for (let round = 0; pending.length > 0; round++) {
      if (round >= (this.options.maxBatchRounds ?? 3)) {
        throw new HistoryStoreError(`read leases: ${pending.length} keys still unprocessed by BatchGetItem`);
      }
      const batch = pending;
      const result = await this.call('read leases', () =>
        this.options.api.batchGetItem(this.options.table, batch),
      );
      for (const item of result.items) {
        const k = item[KEY_ATTRIBUTE]?.S;
        if (k !== undefined) found.set(k, itemRecord(item));
      }
      pending = result.unprocessed;
    }
    return {
      members: readMembers(found.get(keys[0]!)),
      leases: Array.from({ length: partitions }, (_, p) => readLease(p, found.get(keys[p + 1]!))),
    };
  }

  async writeMembers(
    scope: string,
    partitions: number,
    beats: Record<string, number>,
    expectedVersion: number,
  ): Promise<MembersRecord> {
    const k = membersKey(scope, partitions);
    const item: Item = {
      [KEY_ATTRIBUTE]: { S: k },
      version: { N: String(expectedVersion + 1) },
      beats: { S: JSON.stringify(beats) },
    };
    await this.put(k, item, expectedVersion, (fields) => readMembers(fields));
    return { version: expectedVersion + 1, beats: { ...beats } };
  }

  async writeLease(
    scope: string,
    partitions: number,
    lease: { partition: number; holder: string; acquiredAt: number },
    expectedVersion: number,
  ): Promise<LeaseRecord> {
    const k = leaseKey(scope, partitions, lease.partition);
    const item: Item = {
      [KEY_ATTRIBUTE]: { S: k },
      version: { N: String(expectedVersion + 1) },
      // A free lease has no holder attribute (older DynamoDB-compatible servers refuse empty strings).
      ...(lease.holder ? { holder: { S: lease.holder } } : {}),
      acquiredAt: { N: String(lease.acquiredAt) },
    };
    await this.put(k, item, expectedVersion, (fields) => readLease(lease.partition, fields));
    return { partition: lease.partition, holder: lease.holder, version: expectedVersion + 1 };
  }

  // A lost race carries the winner's item on DynamoDB (ALL_OLD); dynalite returns none, so there the record is
  // read once more, as the history store does.
  private async put<T extends LeaseRecord | MembersRecord>(
    k: string,
    item: Item,
    expectedVersion: number,
    decode: (fields: Record<string, unknown> | undefined) => T,
  ): Promise<void> {
    try {
      await this.options.api.putItem({
        table: this.options.table,
        item,
        ...versionCondition(expectedVersion),
      });
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailed)) throw wrap(`write ${k}`, err);
      const current =
        err.item ??
        (await this.call(`read ${k}`, () => this.options.api.getItem(this.options.table, keyItem(k))));
      throw new LeaseConflictError(k, decode(current && itemRecord(current)));
    }
  }

  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      throw wrap(what, err);
    }
  }
}

const wrap = (what: string, err: unknown) =>
  new HistoryStoreError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
