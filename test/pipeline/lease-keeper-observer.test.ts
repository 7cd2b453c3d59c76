import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import type { LeaseTiming } from '../../src/pipeline/lease-balance.ts';
import { LeaseKeeper, type LeaseObserver } from '../../src/pipeline/lease-keeper.ts';
import { EmbeddedLeaseStore } from '../../src/store/embedded-leases.ts';
import { HistoryStoreError } from '../../src/store/history-store.ts';
import type { LeaseStore } from '../../src/store/lease-store.ts';

// What a lease keeper tells its observer (Prometheus' fhpa_lease_* on the Node server, app/lease-metrics.ts),
// with time passed in on the embedded lease store: each round's result, partitions held and live members; a
// takeover for each partition of a replica that died, naming it; and failed writes by reason.

const timing: LeaseTiming = { durationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 5_000 };
const P = 6;

interface Seen {
  rounds: Array<{ ok: boolean; held: number; live: number; at: number }>;
  takeovers: Array<{ partition: number; from: string }>;
  failures: string[];
}

function recorder(): LeaseObserver & { seen: Seen } {
  const seen: Seen = { rounds: [], takeovers: [], failures: [] };
  return {
    seen,
    round: (r) => seen.rounds.push(r),
    takeover: (partition, from) => seen.takeovers.push({ partition, from }),
    writeFailed: (write, reason) => seen.failures.push(`${write}/${reason}`),
  };
}

function keeper(id: string, store: LeaseStore, time: { now: number }, observer: LeaseObserver) {
  return new LeaseKeeper({
    store,
    scope: 'test',
    identity: id,
    partitions: P,
    timing,
    clock: () => time.now,
    log: silentLogger,
    observer,
  });
}

describe('lease keeper observer', () => {
  it('reports rounds, shares and members, and a takeover per partition of a replica that died', async () => {
    const store = new EmbeddedLeaseStore();
    const time = { now: 1_000_000 };
    const [oa, ob] = [recorder(), recorder()];
    const a = keeper('a', store, time, oa);
    const b = keeper('b', store, time, ob);
    for (let i = 0; i < 3; i++) {
      time.now += timing.retryPeriodMs;
      await a.round();
      await b.round();
    }
    expect(oa.seen.rounds.at(-1)).toEqual({ ok: true, held: 3, live: 2, at: time.now });
    expect(ob.seen.rounds.at(-1)).toEqual({ ok: true, held: 3, live: 2, at: time.now });
    expect(oa.seen.rounds[0]).toMatchObject({ ok: true, held: P, live: 1 });
    expect(oa.seen.takeovers).toEqual([]);
    const bHeld = b.ownedPartitions();

    // b dies: a sees its heartbeat stand still for a lease duration, then takes its partitions.
    const rounds = Math.ceil(timing.durationMs / timing.retryPeriodMs) + 1;
    for (let i = 0; i < rounds; i++) {
      time.now += timing.retryPeriodMs;
      await a.round();
    }
    expect(oa.seen.rounds.at(-1)).toMatchObject({ ok: true, held: P, live: 1 });
    expect(oa.seen.takeovers).toEqual(bHeld.map((partition) => ({ partition, from: 'b' })));
    expect(oa.seen.failures).toEqual([]);
  });

  it('reports a failing store as failed rounds and store errors, and stops counting partitions held at the renew deadline', async () => {
    const inner = new EmbeddedLeaseStore();
    let failing = false;
    const store: LeaseStore = {
      read: (s, p) => inner.read(s, p),
      writeMembers: (...args) =>
        failing ? Promise.reject(new HistoryStoreError('store down')) : inner.writeMembers(...args),
      writeLease: (...args) => inner.writeLease(...args),
    };
    const time = { now: 1_000_000 };
    const o = recorder();
    const a = keeper('a', store, time, o);
    await a.round();
    expect(o.seen.rounds).toEqual([{ ok: true, held: P, live: 1, at: time.now }]);
    failing = true;
    time.now += timing.retryPeriodMs;
    await expect(a.round()).rejects.toThrow('store down');
    expect(o.seen.rounds.at(-1)).toMatchObject({ ok: false, held: P });
    time.now += timing.renewDeadlineMs;
    await expect(a.round()).rejects.toThrow('store down');
    expect(o.seen.rounds.at(-1)).toMatchObject({ ok: false, held: 0 });
    expect(o.seen.failures).toEqual(['heartbeat/store_error', 'heartbeat/store_error']);
  });

  it('reports lease writes another replica won as conflicts', async () => {
    const inner = new EmbeddedLeaseStore();
    // Another replica's write lands on partition 0 just before ours: ours loses the version race.
    let raced = false;
    const store: LeaseStore = {
      read: (s, p) => inner.read(s, p),
      writeMembers: (...args) => inner.writeMembers(...args),
      writeLease: async (scope, partitions, lease, expected) => {
        if (!raced && lease.partition === 0) {
          raced = true;
          await inner.writeLease(scope, partitions, { ...lease, holder: 'other' }, expected);
        }
        return inner.writeLease(scope, partitions, lease, expected);
      },
    };
    const o = recorder();
    const a = keeper('a', store, { now: 1_000_000 }, o);
    await a.round();
    expect(o.seen.failures).toEqual(['lease/conflict']);
    expect(o.seen.rounds).toEqual([{ ok: true, held: P - 1, live: 1, at: 1_000_000 }]);
    expect(a.ownedPartitions()).not.toContain(0);
  });
});
