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
  storedVersion,
} from './lease-store.ts';

// Leases in a Map, with the DynamoDB store's semantics: the same records, read through the same functions, and
// the same version test before every write, with no await between check and write, so several keepers in one
// process (the unit tests, `fhpa serve` on the embedded store) race exactly as they would on a conditional put.
// Values are whatever was put there: tests plant foreign or corrupt records to show they read as empty.
export class EmbeddedLeaseStore implements LeaseStore {
  constructor(readonly records: Map<string, Record<string, unknown>> = new Map()) {}

  async read(scope: string, partitions: number): Promise<LeaseTable> {
    checkPartitions(partitions);
    return {
      members: readMembers(this.records.get(membersKey(scope, partitions))),
      leases: Array.from({ length: partitions }, (_, p) =>
        readLease(p, this.records.get(leaseKey(scope, partitions, p))),
      ),
    };
  }

  async writeMembers(
    scope: string,
    partitions: number,
    beats: Record<string, number>,
    expectedVersion: number,
  ): Promise<MembersRecord> {
    const k = membersKey(scope, partitions);
    const existing = this.records.get(k);
    if (storedVersion(existing) !== expectedVersion) throw new LeaseConflictError(k, readMembers(existing));
    const record = { version: expectedVersion + 1, beats: JSON.stringify(beats) };
    this.records.set(k, record);
    return readMembers(record);
  }

  async writeLease(
    scope: string,
    partitions: number,
    lease: { partition: number; holder: string; acquiredAt: number },
    expectedVersion: number,
  ): Promise<LeaseRecord> {
    const k = leaseKey(scope, partitions, lease.partition);
    const existing = this.records.get(k);
    if (storedVersion(existing) !== expectedVersion) {
      throw new LeaseConflictError(k, readLease(lease.partition, existing));
    }
    const record = { version: expectedVersion + 1, holder: lease.holder, acquiredAt: lease.acquiredAt };
    this.records.set(k, record);
    return readLease(lease.partition, record);
  }
}
