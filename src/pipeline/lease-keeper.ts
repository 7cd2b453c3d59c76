import type { Logger } from '../log.ts';
import { HistoryStoreError } from '../store/history-store.ts';
import {
  LeaseConflictError,
  type LeaseRecord,
  type LeaseStore,
  type MembersRecord,
} from '../store/lease-store.ts';
import { shardOf } from './concurrency.ts';
import {
  JITTER_FACTOR,
  type LeaseTiming,
  liveReplicas,
  nextBeats,
  type Observation,
  observe,
  planLeases,
  targetFor,
} from './lease-balance.ts';

export interface LeaseKeeperOptions {
  store: LeaseStore;
  /** FHPA_SCOPE: replicas of one Karmada control plane share leases; other scopes in the table do not. */
  scope: string;
  /** This replica (FHPA_REPLICA_ID, default the hostname: the pod name under Kubernetes). */
  identity: string;
  partitions: number;
  timing: LeaseTiming;
  /** Epoch ms, this replica's clock. */
  clock: () => number;
  log: Logger;
  /** [0, 1) for the round spacing's jitter. */
  random?: () => number;
  /** Told what each round did (Prometheus on the Node server: app/lease-metrics.ts). */
  observer?: LeaseObserver;
}

/** What a keeper reports as it goes, so the keeper itself knows nothing of Prometheus (as PipelineObserver). */
export interface LeaseObserver {
  /**
   * After every round: whether its heartbeat went through (a failed one: the store could not be read or
   * written, or three heartbeats in a row lost their race), the partitions this replica evaluates now and
   * the replicas it sees live, itself included.
   */
  round(r: { ok: boolean; held: number; live: number; at: number }): void;
  /** A lease taken from a replica whose heartbeat this one saw stand still for a lease duration. */
  takeover(partition: number, from: string): void;
  /** A heartbeat or lease write that did not go through: another replica wrote first, or the store failed. */
  writeFailed(write: 'heartbeat' | 'lease', reason: 'conflict' | 'store_error'): void;
}

/** Store calls a keeper made, for /metrics, the benchmark and the README's figures. */
export interface LeaseCounts {
  rounds: number;
  reads: number;
  writes: number;
  conflicts: number;
}

// One replica's side of the partition leases (records in lease-store.ts, decisions in lease-balance.ts).
// Every retryPeriod (jittered) a round:
//   1. reads the membership record and every lease (one BatchGetItem);
//   2. heartbeats: moves its own counter in the membership record and drops replicas whose counter it has
//      seen stand still for a lease duration (a conditional write; on a lost race it retries with the
//      winner's record). Membership is how live replicas are counted: a replica is live while its counter
//      moves, by each observer's own clock, as client-go judges a Lease by observedTime + LeaseDuration;
//   3. gives back the leases it holds beyond its fair share (P / live) and takes free or orphaned ones up to it,
//      each by a conditional write on the lease's version, so two replicas never both win one partition.
// Renewing is the heartbeat: a lease is valid while its holder's counter moves, so a round costs one write
// however many partitions the replica holds, where one Lease per partition (client-go's model) would cost P.
// The replica evaluates a partition only until renewDeadline after the start of its last successful
// heartbeat; others take it only after lease duration without a heartbeat seen, so the difference between
// the two (10 s by default) covers clock-rate skew and an evaluation still in flight. Should both still
// evaluate one FederatedHPA at once, the history's version guard lets one decision through (evaluate.ts).
export class LeaseKeeper {
  readonly counts: LeaseCounts = { rounds: 0, reads: 0, writes: 0, conflicts: 0 };
  private observations = new Map<string, Observation>();
  private owned = new Set<number>();
  /** Leases as last read or written by this replica, for release(). */
  private held = new Map<number, LeaseRecord>();
  private validUntil = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Replicas seen live in the last round that got that far, this one included. */
  private live = 1;

  constructor(private readonly options: LeaseKeeperOptions) {}

  get identity(): string {
    return this.options.identity;
  }

  get partitions(): number {
    return this.options.partitions;
  }

  /** Whether this replica may evaluate the FederatedHPA `namespace/name` now: checked before each evaluation. */
  owns(key: string): boolean {
    return this.options.clock() < this.validUntil && this.owned.has(shardOf(key, this.options.partitions));
  }

  /** Partitions this replica evaluates now, ascending. */
  ownedPartitions(): number[] {
    return this.options.clock() < this.validUntil ? [...this.owned].sort((a, b) => a - b) : [];
  }

  /** One round (read, heartbeat, rebalance). Store failures are thrown; what was owned stays valid until its deadline. */
  async round(): Promise<void> {
    let ok = false;
    try {
      ok = await this.renewAndBalance();
    } finally {
      const at = this.options.clock();
      this.options.observer?.round({ ok, held: this.ownedPartitions().length, live: this.live, at });
    }
  }

  /** The round's work; false when the heartbeat did not go through, so nothing was renewed. */
  private async renewAndBalance(): Promise<boolean> {
    const { store, scope, partitions, identity: me } = this.options;
    const started = this.options.clock();
    const wasValid = started < this.validUntil;
    this.counts.rounds++;
    this.counts.reads++;
    const table = await store.read(scope, partitions);
    const members = await this.heartbeat(table.members);
    if (!members) return false;
    // The leases were read before the heartbeat; the deadline runs from before either, as client-go's
    // renew measures from the time taken before its update.
    this.validUntil = started + this.options.timing.renewDeadlineMs;
    const live = liveReplicas(this.observations, me, this.options.clock(), this.options.timing.durationMs);
    this.live = live.length;
    const plan = planLeases(table.leases, me, live, targetFor(live, me, partitions));
    this.held = new Map(plan.keep.map((l) => [l.partition, l]));
    this.owned = new Set(plan.keep.map((l) => l.partition));
    // Stop evaluating what is handed back before handing it back.
    for (const lease of plan.release) await this.write(lease, '');
    // After a lapse (first round, or heartbeats failing past the deadline) others may have judged this replica
    // dead and taken leases it read as its own before the heartbeat: rewriting them under the version guard
    // confirms them. In steady state this costs nothing.
    if (!wasValid) {
      for (const lease of plan.keep) {
        this.owned.delete(lease.partition);
        const confirmed = await this.write(lease, me);
        if (confirmed) this.owned.add(lease.partition);
      }
    }
    for (const lease of plan.acquire) {
      if (!(await this.write(lease, me))) continue;
      this.owned.add(lease.partition);
      // planLeases takes a held lease only from a replica that is no longer live.
      if (lease.holder !== '') this.options.observer?.takeover(lease.partition, lease.holder);
    }
    return true;
  }

  /** Runs a round now and then every retryPeriod × [1, 1.2) until stop(); failures are logged, not thrown. */
  start(): Promise<void> {
    const random = this.options.random ?? Math.random;
    const tick = async () => {
      try {
        await this.round();
      } catch (err) {
        this.options.log.warn('lease round failed; partitions stay owned until the renew deadline', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      if (this.stopped) return;
      const wait = this.options.timing.retryPeriodMs * (1 + (JITTER_FACTOR - 1) * random());
      this.timer = setTimeout(() => {
        this.running = tick();
      }, wait);
      this.timer.unref?.();
    };
    this.running = tick();
    return this.running;
  }

  /**
   * Stops the rounds and hands everything back (client-go's ReleaseOnCancel): the leases freed, this replica
   * dropped from the membership record, so the others take over in their next round instead of a lease
   * duration later. Failures are logged: the leases then expire as a dead replica's would.
   */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
    this.owned.clear();
    this.validUntil = Number.NEGATIVE_INFINITY;
    const { store, scope, partitions, identity: me } = this.options;
    try {
      for (const lease of this.held.values()) await this.write(lease, '');
      let members = (await store.read(scope, partitions)).members;
      for (let attempt = 0; attempt < 3 && members.beats[me] !== undefined; attempt++) {
        const { [me]: _, ...others } = members.beats;
        try {
          members = await store.writeMembers(scope, partitions, others, members.version);
          this.counts.writes++;
        } catch (err) {
          if (!(err instanceof LeaseConflictError)) throw err;
          members = err.current as MembersRecord;
        }
      }
    } catch (err) {
      this.options.log.warn('releasing leases failed; they expire instead', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  // The heartbeat, retried on a lost race with the record that won (at most 3 writes a round).
  private async heartbeat(read: MembersRecord): Promise<MembersRecord | undefined> {
    const { store, scope, partitions, identity: me, timing } = this.options;
    let members = read;
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.options.clock();
      this.observations = observe(this.observations, members.beats, now);
      const live = liveReplicas(this.observations, me, now, timing.durationMs);
      try {
        this.counts.writes++;
        const written = await store.writeMembers(
          scope,
          partitions,
          nextBeats(members.beats, live, me),
          members.version,
        );
        // Our own counter is not an observation of anyone; the others' stay as observed.
        this.observations = observe(this.observations, written.beats, now);
        return written;
      } catch (err) {
        if (!(err instanceof LeaseConflictError)) {
          if (err instanceof HistoryStoreError)
            this.options.observer?.writeFailed('heartbeat', 'store_error');
          throw err;
        }
        this.counts.conflicts++;
        this.options.observer?.writeFailed('heartbeat', 'conflict');
        members = err.current as MembersRecord;
      }
    }
    this.options.log.warn('lease heartbeat kept losing races; trying again next round');
    return undefined;
  }

  // One conditional lease write; false when another replica changed the lease first.
  private async write(lease: LeaseRecord, holder: string): Promise<boolean> {
    this.counts.writes++;
    try {
      const written = await this.options.store.writeLease(
        this.options.scope,
        this.options.partitions,
        { partition: lease.partition, holder, acquiredAt: this.options.clock() },
        lease.version,
      );
      if (holder === this.options.identity) this.held.set(lease.partition, written);
      else this.held.delete(lease.partition);
      return true;
    } catch (err) {
      if (err instanceof LeaseConflictError) {
        // Another replica wrote it first: whatever it holds now, it is not ours.
        this.counts.conflicts++;
        this.held.delete(lease.partition);
        this.options.observer?.writeFailed('lease', 'conflict');
      } else if (err instanceof HistoryStoreError) {
        this.options.observer?.writeFailed('lease', 'store_error');
        this.options.log.warn('lease write failed', { partition: lease.partition, error: err.message });
      } else throw err;
      return false;
    }
  }
}
