import { hostname } from 'node:os';
import { leaseOptionsFrom } from '../config.ts';
import { LeaseKeeper, type LeaseObserver } from '../pipeline/lease-keeper.ts';
import type { Runtime } from './runtime.ts';

// FHPA_SWEEP_LEASES on the Node server: the replica joins the partition leases of its scope in the history
// table, and its sweep evaluates only what it holds. The identity defaults to the hostname, which under a
// Deployment is the pod's name, unique among live replicas; a restarted container keeps it and so takes
// back its own leases at once instead of waiting for them to expire.

/**
 * The keeper when leases are configured, else undefined. Sweeps (the loop and POST /sweep) cover what it holds
 * from now on: nothing until its first round, which startLeaseKeeper awaits.
 */
export function leaseKeeperFor(
  runtime: Runtime,
  metrics?: { leases(partitions: number): LeaseObserver },
): LeaseKeeper | undefined {
  const lease = leaseOptionsFrom(runtime.env);
  const store = runtime.deps.store.leases?.();
  if (!lease || !store) return undefined;
  const identity = lease.identity ?? hostname();
  const keeper = new LeaseKeeper({
    store,
    scope: runtime.deps.scope,
    identity,
    partitions: lease.partitions,
    timing: lease.timing,
    clock: runtime.deps.clock,
    log: runtime.log.child({ replica: identity }),
    ...(metrics ? { observer: metrics.leases(lease.partitions) } : {}),
  });
  runtime.useLeases(keeper);
  return keeper;
}

/** Runs the keeper's first round and its loop. */
export async function startLeaseKeeper(keeper: LeaseKeeper, runtime: Runtime): Promise<void> {
  await keeper.start();
  runtime.log.info('sweeping the partitions this replica leases', {
    replica: keeper.identity,
    partitions: keeper.partitions,
    owned: keeper.ownedPartitions(),
  });
}
