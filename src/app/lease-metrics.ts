import { Counter, Gauge, type Registry } from 'prom-client';
import type { LeaseObserver } from '../pipeline/lease-keeper.ts';

// The partition leases on /metrics (pipeline/lease-keeper.ts): registered only on a replica that runs a lease
// keeper, so that summing fhpa_lease_partitions_held over a job counts exactly the replicas that share the
// sweep, and a webhook-only replica does not export a 0 that reads as "holds nothing". What an operator needs
// to trust the sharing: every partition held by someone (FhpaLeasePartitionsUnowned compares the held ones,
// summed, with fhpa_lease_partitions), every replica seeing the same members, rounds succeeding, and how often
// a dead replica's partitions were taken over. Failure series start at 0, as prometheus.ts's do.

export class LeaseMetrics implements LeaseObserver {
  readonly #c;

  constructor(registry: Registry, partitions: number) {
    const registers = [registry];
    this.#c = {
      partitions: new Gauge({
        name: 'fhpa_lease_partitions',
        help: 'Partitions the FederatedHPAs are leased in (FHPA_LEASE_PARTITIONS).',
        registers,
      }),
      held: new Gauge({
        name: 'fhpa_lease_partitions_held',
        help: 'Partitions this replica holds and evaluates now (0 once its renew deadline has passed).',
        registers,
      }),
      members: new Gauge({
        name: 'fhpa_lease_members',
        help: 'Replicas this one sees live in the membership record (heartbeat moving), itself included.',
        registers,
      }),
      rounds: new Counter({
        name: 'fhpa_lease_rounds_total',
        help: 'Lease rounds by result; failed: the heartbeat did not go through (store error, or lost its race three times).',
        labelNames: ['result'],
        registers,
      }),
      last: new Gauge({
        name: 'fhpa_lease_last_success_timestamp_seconds',
        help: 'When the last successful lease round ended (Unix time); time() minus this is how stale its leases are.',
        registers,
      }),
      takeovers: new Counter({
        name: 'fhpa_lease_takeovers_total',
        help: 'Leases taken from a replica whose heartbeat stood still for a lease duration (a replica died).',
        registers,
      }),
      writeFailures: new Counter({
        name: 'fhpa_lease_write_failures_total',
        help: 'Heartbeat and lease writes that did not go through; conflict: another replica wrote first (retried next round), store_error: the store failed.',
        labelNames: ['write', 'reason'],
        registers,
      }),
    };
    const c = this.#c;
    c.partitions.set(partitions);
    c.members.set(1);
    for (const result of ['ok', 'failed']) c.rounds.inc({ result }, 0);
    c.takeovers.inc(0);
    for (const write of ['heartbeat', 'lease'])
      for (const reason of ['conflict', 'store_error']) c.writeFailures.inc({ write, reason }, 0);
  }

  round(r: { ok: boolean; held: number; live: number; at: number }): void {
    this.#c.rounds.inc({ result: r.ok ? 'ok' : 'failed' });
    this.#c.held.set(r.held);
    this.#c.members.set(r.live);
    if (r.ok) this.#c.last.set(r.at / 1000);
  }

  takeover(): void {
    this.#c.takeovers.inc();
  }

  writeFailed(write: 'heartbeat' | 'lease', reason: 'conflict' | 'store_error'): void {
    this.#c.writeFailures.inc({ write, reason });
  }
}
