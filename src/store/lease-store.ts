import { z } from 'zod';
import { HistoryStoreError } from './history-store.ts';

// Partition leases for Node replicas that share one sweep (src/leases/keeper.ts), kept in the history table
// beside the histories. The fleet is split into a fixed number of partitions (shardOf over namespace/name);
// each partition has one lease record naming its holder, and one membership record holds every replica's
// heartbeat counter. Every write is conditional on the version it read, exactly like a history save
// (history-store.ts), and a lost race throws LeaseConflictError carrying the record that won.
//
// Records (DynamoDB items keyed by `pk`; "#" never occurs in a Kubernetes namespace, so no history key can
// collide with them, and the partition count is part of the key so replicas configured with different counts
// form separate groups instead of misreading each other's partitions):
//   SCOPE/#members-P      version, beats: JSON {"replica-id": counter, …}
//   SCOPE/#lease-P/N      version, holder: replica id, "" when released, acquiredAt (epoch ms, informational)

export interface LeaseRecord {
  partition: number;
  /** The replica holding the partition; "" when it is free (released, or never taken). */
  holder: string;
  /** +1 per write; 0 when no record exists yet. */
  version: number;
}

export interface MembersRecord {
  /** +1 per write; 0 when no record exists yet. */
  version: number;
  /** Each live replica's heartbeat counter: it changes on every heartbeat, so a counter that stops is a death. */
  beats: Record<string, number>;
}

/** Everything a lease round reads: one BatchGetItem on DynamoDB for up to 99 partitions. */
export interface LeaseTable {
  members: MembersRecord;
  /** One per partition, index = partition number. */
  leases: LeaseRecord[];
}

export interface LeaseStore {
  read(scope: string, partitions: number): Promise<LeaseTable>;
  /** Replaces the membership record if its version is still `expectedVersion`; LeaseConflictError otherwise. */
  writeMembers(
    scope: string,
    partitions: number,
    beats: Record<string, number>,
    expectedVersion: number,
  ): Promise<MembersRecord>;
  /** Replaces one lease if its version is still `expectedVersion`; LeaseConflictError otherwise. */
  writeLease(
    scope: string,
    partitions: number,
    lease: { partition: number; holder: string; acquiredAt: number },
    expectedVersion: number,
  ): Promise<LeaseRecord>;
}

/** A lease or membership write lost its race: `current` is what the winner stored. */
export class LeaseConflictError<T extends LeaseRecord | MembersRecord> extends HistoryStoreError {
  constructor(
    public readonly key: string,
    public readonly current: T,
  ) {
    super(`lease record ${key} changed (now version ${current.version})`);
    this.name = 'LeaseConflictError';
  }
}

/** At most 99 partitions, so the membership record and every lease fit one BatchGetItem (100 keys). */
export const MAX_PARTITIONS = 99;

export const membersKey = (scope: string, partitions: number) => `${scope}/#members-${partitions}`;
export const leaseKey = (scope: string, partitions: number, partition: number) =>
  `${scope}/#lease-${partitions}/${partition}`;

/** Replica identities: a hostname or pod name (RFC 1123 subdomain characters, also "_"). */
export const replicaIdPattern = /^[A-Za-z0-9._-]{1,253}$/;

// What both stores accept as a record, whoever wrote it. Anything else reads as an empty record with the
// version it carries (so the next conditional write replaces it), the way a corrupt history reads as empty.
const version = z.int().min(1);
const beatsSchema = z.record(z.string().regex(replicaIdPattern), z.int().min(0));

export function readMembers(fields: { version?: unknown; beats?: unknown } | undefined): MembersRecord {
  const v = version.safeParse(fields?.version);
  if (!v.success) return { version: 0, beats: {} };
  let beats: unknown;
  try {
    beats = typeof fields?.beats === 'string' ? JSON.parse(fields.beats) : undefined;
  } catch {
    beats = undefined;
  }
  const parsed = beatsSchema.safeParse(beats);
  return { version: v.data, beats: parsed.success ? parsed.data : {} };
}

export function readLease(
  partition: number,
  fields: { version?: unknown; holder?: unknown } | undefined,
): LeaseRecord {
  const v = version.safeParse(fields?.version);
  if (!v.success) return { partition, holder: '', version: 0 };
  const holder =
    typeof fields?.holder === 'string' && replicaIdPattern.test(fields.holder) ? fields.holder : '';
  return { partition, holder, version: v.data };
}

/** Where a record's version stands: 0 for no record or one without a whole positive version. */
export const storedVersion = (fields: { version?: unknown } | undefined) =>
  version.safeParse(fields?.version).success ? (fields!.version as number) : 0;

export function checkPartitions(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
    throw new HistoryStoreError(`lease partitions must be a whole number from 1 to ${MAX_PARTITIONS}`);
  }
}
