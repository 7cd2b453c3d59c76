import type { LeaseRecord } from '../store/lease-store.ts';

// The decisions of a lease round as pure functions over what was read, the replica's own observations and
// `now` (lease-keeper.ts does the I/O). Liveness follows client-go's leader election
// (k8s.io/client-go/tools/leaderelection/leaderelection.go): a record counts as expired only when an observer
// has seen it *unchanged* for a whole lease duration of the observer's own clock (observedTime + LeaseDuration),
// never by comparing a timestamp written by another machine with the local clock. So a constant clock offset
// between replicas does no harm; only clocks running at different rates do, and the margin between the lease
// duration and the renew deadline is what absorbs that (doc.go: "the tolerance expressed as a maximum tolerated
// ratio of time passed on the fastest node to time passed on the slowest node can be approximately achieved
// with a configuration that sets the same ratio of LeaseDuration to RenewDeadline").

export interface LeaseTiming {
  /** How long a heartbeat counter must stay unchanged before others take the replica's partitions. */
  durationMs: number;
  /** How long after the start of its last successful heartbeat a replica still evaluates its partitions. */
  renewDeadlineMs: number;
  /** How often a replica heartbeats and rebalances. */
  retryPeriodMs: number;
}

/** What this replica saw of another's heartbeat counter, and when (its own clock) the counter last moved. */
export interface Observation {
  beat: number;
  observedAt: number;
}

/** Notes each counter that moved (or appeared) at `now`; counters no longer in the record are forgotten. */
export function observe(
  previous: ReadonlyMap<string, Observation>,
  beats: Record<string, number>,
  now: number,
): Map<string, Observation> {
  const next = new Map<string, Observation>();
  for (const [id, beat] of Object.entries(beats)) {
    const seen = previous.get(id);
    next.set(id, seen && seen.beat === beat ? seen : { beat, observedAt: now });
  }
  return next;
}

/** Replicas whose counter moved less than a lease duration ago, by this replica's clock, plus itself; sorted. */
export function liveReplicas(
  observations: ReadonlyMap<string, Observation>,
  me: string,
  now: number,
  durationMs: number,
): string[] {
  const live = new Set([me]);
  for (const [id, o] of observations) if (now - o.observedAt < durationMs) live.add(id);
  return [...live].sort();
}

/** The next membership record: the dead dropped, this replica's counter moved on. */
export function nextBeats(
  beats: Record<string, number>,
  live: readonly string[],
  me: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of live) if (id !== me && beats[id] !== undefined) out[id] = beats[id];
  out[me] = (beats[me] ?? 0) + 1;
  return out;
}

/**
 * A replica's fair share: floor(P / live), one more for the first P mod live replicas in identity order, so
 * every replica that sees the same membership computes targets that add up to exactly P.
 */
export function targetFor(live: readonly string[], me: string, partitions: number): number {
  const rank = live.indexOf(me);
  const base = Math.floor(partitions / live.length);
  return base + (rank >= 0 && rank < partitions % live.length ? 1 : 0);
}

export interface LeasePlan {
  /** Held and kept. */
  keep: LeaseRecord[];
  /** Held beyond the fair share (a replica joined): handed back, highest partitions first. */
  release: LeaseRecord[];
  /** Free, or held by a replica that is no longer live: taken up to the fair share, free ones first. */
  acquire: LeaseRecord[];
}

/**
 * What to do with the leases. A lease held by a live replica is never taken: each replica gives back what it
 * holds beyond its own share, and the others pick those up as free. That way a takeover only ever happens
 * from a replica that has not heartbeated for a whole lease duration.
 */
export function planLeases(
  leases: readonly LeaseRecord[],
  me: string,
  live: readonly string[],
  target: number,
): LeasePlan {
  const alive = new Set(live);
  const held = leases.filter((l) => l.holder === me);
  const keep = held.slice(0, target);
  const release = held.slice(target).reverse();
  const free = leases.filter((l) => l.holder === '');
  const orphaned = leases.filter((l) => l.holder !== '' && l.holder !== me && !alive.has(l.holder));
  const acquire = [...free, ...orphaned].slice(0, Math.max(0, target - keep.length));
  return { keep, release, acquire };
}

/**
 * The checks client-go's NewLeaderElector makes: leaseDuration > renewDeadline > JitterFactor (1.2) ×
 * retryPeriod. Returns the problems, named by the variables that set them.
 */
export function timingProblems(t: LeaseTiming): string[] {
  const problems: string[] = [];
  if (t.retryPeriodMs < 100) problems.push('FHPA_LEASE_RETRY_PERIOD: must be at least 100ms');
  if (t.durationMs <= t.renewDeadlineMs) {
    problems.push('FHPA_LEASE_DURATION: must be longer than FHPA_LEASE_RENEW_DEADLINE');
  }
  if (t.renewDeadlineMs <= JITTER_FACTOR * t.retryPeriodMs) {
    problems.push('FHPA_LEASE_RENEW_DEADLINE: must be longer than 1.2 × FHPA_LEASE_RETRY_PERIOD');
  }
  return problems;
}

/** Rounds are spaced retryPeriod × [1, 1.2), as client-go's wait.JitterUntil spaces its acquire attempts. */
export const JITTER_FACTOR = 1.2;
