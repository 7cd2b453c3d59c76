import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { shardOf } from '../../src/pipeline/concurrency.ts';
import { type LeaseTiming, targetFor, timingProblems } from '../../src/pipeline/lease-balance.ts';
import { LeaseKeeper } from '../../src/pipeline/lease-keeper.ts';
import { EmbeddedLeaseStore } from '../../src/store/embedded-leases.ts';
import type { LeaseStore } from '../../src/store/lease-store.ts';

// Partition leases between replicas on the embedded store, with time passed in: every replica has its own
// clock (optionally skewed by a constant offset, which liveness by observed change tolerates, as client-go's
// leader election does), and the test moves all of them forward one retry period at a time, running each
// live replica's round. After every round the invariant is checked: no partition is owned by two replicas.

const timing: LeaseTiming = { durationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 5_000 };
const P = 12;
const T0 = 1_732_000_000_000;

function fleet(offsets: Record<string, number>) {
  const store = new EmbeddedLeaseStore();
  const time = { now: T0 };
  const keepers = new Map<string, LeaseKeeper>();
  const add = (id: string, offset = 0, via: LeaseStore = store) =>
    keepers.set(
      id,
      new LeaseKeeper({
        store: via,
        scope: 'test',
        identity: id,
        partitions: P,
        timing,
        clock: () => time.now + offset,
        log: silentLogger,
      }),
    );
  for (const [id, offset] of Object.entries(offsets)) add(id, offset);
  const owners = () => {
    const byPartition = new Map<number, string[]>();
    for (const [id, k] of keepers) {
      for (const p of k.ownedPartitions()) byPartition.set(p, [...(byPartition.get(p) ?? []), id]);
    }
    return byPartition;
  };
  const assertExclusive = () => {
    for (const [p, ids] of owners()) expect(ids, `partition ${p}`).toHaveLength(1);
  };
  const shares = () => Object.fromEntries([...keepers].map(([id, k]) => [id, k.ownedPartitions().length]));
  /** One retry period later, a round of each replica in `ids` (default: all), checking exclusivity after each. */
  const step = async (ids = [...keepers.keys()], ms = timing.retryPeriodMs) => {
    time.now += ms;
    for (const id of ids) {
      await keepers.get(id)!.round();
      assertExclusive();
    }
  };
  return { store, time, keepers, add, owners, shares, step, assertExclusive };
}

const skews = [
  { name: 'synchronised clocks', offsets: { a: 0, b: 0, c: 0 } },
  { name: 'clocks an hour and 90 s apart', offsets: { a: 0, b: 3_600_000, c: -90_000 } },
];

describe.each(skews)('lease keeper, $name', ({ offsets }) => {
  it('splits the partitions into fair, disjoint shares that cover the fleet', async () => {
    const f = fleet(offsets);
    for (let i = 0; i < 3; i++) await f.step();
    expect(f.shares()).toEqual({ a: 4, b: 4, c: 4 });
    expect([...f.owners().keys()].sort((x, y) => x - y)).toEqual([...Array(P).keys()]);
  });

  it('gives a killed replica’s partitions to the others only after a lease duration without its heartbeat', async () => {
    const f = fleet(offsets);
    for (let i = 0; i < 3; i++) await f.step();
    const cParts = f.keepers.get('c')!.ownedPartitions();
    const killedAt = f.time.now;
    // c stops without releasing anything: no more rounds.
    let takenAt: number | undefined;
    let cStoppedAt: number | undefined;
    while (takenAt === undefined) {
      await f.step(['a', 'b']);
      if (cStoppedAt === undefined && f.keepers.get('c')!.ownedPartitions().length === 0)
        cStoppedAt = f.time.now;
      const owners = f.owners();
      if (cParts.every((p) => owners.get(p)?.[0] !== undefined && owners.get(p)?.[0] !== 'c'))
        takenAt = f.time.now;
      expect(f.time.now - killedAt).toBeLessThan(120_000);
    }
    // c stopped evaluating by its renew deadline, strictly before anyone else could take its partitions…
    expect(cStoppedAt! - killedAt).toBeLessThanOrEqual(timing.renewDeadlineMs);
    expect(cStoppedAt!).toBeLessThan(takenAt);
    // …which happened after a lease duration and within one more round of it.
    expect(takenAt - killedAt).toBeGreaterThanOrEqual(timing.durationMs);
    expect(takenAt - killedAt).toBeLessThanOrEqual(timing.durationMs + 2 * timing.retryPeriodMs);
    expect(f.shares()).toEqual({ a: 6, b: 6, c: 0 });
  });

  it('rebalances to a replica that joins, without any partition owned twice on the way', async () => {
    const f = fleet(offsets);
    for (let i = 0; i < 3; i++) await f.step();
    f.add('d', 42_000);
    for (let i = 0; i < 3; i++) await f.step();
    expect(f.shares()).toEqual({ a: 3, b: 3, c: 3, d: 3 });
  });

  it('hands everything back on release, so the others take over in their next round', async () => {
    const f = fleet(offsets);
    for (let i = 0; i < 3; i++) await f.step();
    await f.keepers.get('a')!.release();
    f.keepers.delete('a');
    await f.step();
    expect(f.shares()).toEqual({ b: 6, c: 6 });
  });

  it('lets a replica that stalled past its lease come back without owning what was taken from it', async () => {
    const f = fleet(offsets);
    for (let i = 0; i < 3; i++) await f.step();
    for (let i = 0; i < 9; i++) await f.step(['a', 'b']);
    expect(f.shares()).toEqual({ a: 6, b: 6, c: 0 });
    // c's process resumes (a long GC pause, a network partition healed) with its stale view of the leases.
    for (let i = 0; i < 4; i++) await f.step();
    expect(f.shares()).toEqual({ a: 4, b: 4, c: 4 });
  });
});

describe('lease keeper races', () => {
  it('confirms what it held after a stall, so leases taken between its read and its heartbeat are not owned twice', async () => {
    const f = fleet({ a: 0, b: 0 });
    // c's store runs the others' rounds between c's read and c's heartbeat, once armed: the narrowest race.
    let interpose: (() => Promise<void>) | undefined;
    const racing: LeaseStore = {
      read: (scope, partitions) => f.store.read(scope, partitions),
      writeMembers: async (...args) => {
        const run = interpose;
        interpose = undefined;
        await run?.();
        return f.store.writeMembers(...args);
      },
      writeLease: (...args) => f.store.writeLease(...args),
    };
    f.add('c', 0, racing);
    for (let i = 0; i < 3; i++) await f.step();
    const cParts = f.keepers.get('c')!.ownedPartitions();
    expect(cParts).toHaveLength(4);
    // c stalls (a and b keep going) until its heartbeat has stood still for just under a lease duration.
    for (let i = 0; i < 6; i++) await f.step(['a', 'b']);
    // c resumes a moment later: it reads its leases as its own, then a and b, for whom c is now dead, take
    // them before c's heartbeat lands.
    interpose = async () => {
      for (const id of ['a', 'b']) await f.keepers.get(id)!.round();
    };
    await f.step(['c'], 6_000);
    expect(f.keepers.get('c')!.ownedPartitions()).toEqual([]);
    for (const p of cParts) expect(f.owners().get(p)?.[0]).toMatch(/^[ab]$/);
  });
});

describe('lease keeper costs', () => {
  it('costs one read and one write per round once shares are settled', async () => {
    const f = fleet({ a: 0, b: 0, c: 0 });
    for (let i = 0; i < 3; i++) await f.step();
    const before = [...f.keepers.values()].map((k) => ({ ...k.counts }));
    for (let i = 0; i < 10; i++) await f.step();
    const after = [...f.keepers.values()].map((k) => k.counts);
    after.forEach((c, i) => {
      expect(c.rounds - before[i]!.rounds).toBe(10);
      expect(c.reads - before[i]!.reads).toBe(10);
      expect(c.writes - before[i]!.writes).toBe(10);
    });
  });

  it('answers owns() by the FederatedHPA’s partition, as the static shard does', async () => {
    const f = fleet({ a: 0 });
    await f.step();
    const a = f.keepers.get('a')!;
    expect(a.owns('default/app-1')).toBe(true);
    // Past the renew deadline without a successful round, nothing is owned any more.
    f.time.now += timing.renewDeadlineMs;
    expect(a.owns('default/app-1')).toBe(false);
    expect(shardOf('default/app-1', P)).toBeLessThan(P);
  });
});

describe('lease balance', () => {
  it.each([
    [12, ['a']],
    [12, ['a', 'b', 'c', 'd', 'e']],
    [32, ['a', 'b', 'c']],
    [3, ['a', 'b', 'c', 'd']],
  ])('targets for %i partitions add up to all of them across %j', (partitions, live) => {
    const targets = live.map((id) => targetFor(live, id, partitions));
    expect(targets.reduce((s, t) => s + t, 0)).toBe(partitions);
    expect(Math.max(...targets) - Math.min(...targets)).toBeLessThanOrEqual(1);
  });

  it('checks the timing as client-go’s NewLeaderElector does', () => {
    expect(timingProblems(timing)).toEqual([]);
    expect(timingProblems({ durationMs: 20_000, renewDeadlineMs: 20_000, retryPeriodMs: 5_000 })).toEqual([
      'FHPA_LEASE_DURATION: must be longer than FHPA_LEASE_RENEW_DEADLINE',
    ]);
    expect(timingProblems({ durationMs: 30_000, renewDeadlineMs: 6_000, retryPeriodMs: 5_000 })).toEqual([
      'FHPA_LEASE_RENEW_DEADLINE: must be longer than 1.2 × FHPA_LEASE_RETRY_PERIOD',
    ]);
  });
});
