import type { SweepScope } from '../app/scheduled-route.ts';
import { type Env, sweepOptionsFrom } from '../config.ts';

/** What a sweep needs of a lease keeper (pipeline/lease-keeper.ts): its identity and what it holds now. */
export interface LeaseHolder {
  readonly identity: string;
  readonly partitions: number;
  owns(key: string): boolean;
  ownedPartitions(): number[];
}

/**
 * What a sweep of this replica covers, asked at each sweep: the in-process loop and POST /sweep both use it,
 * so a replica never sweeps more over HTTP than its loop does. FHPA_SWEEP_SHARD and FHPA_SWEEP_NAMESPACE/
 * _LABEL_SELECTOR apply to both alike; with a lease keeper, the partitions it holds at that moment.
 */
export function sweepScope(env: Env, keeper: () => LeaseHolder | undefined): () => SweepScope {
  const options = sweepOptionsFrom(env);
  return () => {
    const k = keeper();
    if (k) {
      return {
        options: { ...options, owns: (key: string) => k.owns(key) },
        leases: { replica: k.identity, partitions: k.partitions, owned: k.ownedPartitions() },
      };
    }
    // FHPA_SWEEP_LEASES without a keeper (`fhpa serve --no-sweep`, or a Worker or Lambda, which have none):
    // sweeping the whole fleet here would undo the division the operator asked for (every FederatedHPA
    // evaluated twice, once here and once by the replica leasing it), and sweeping nothing with a 200 would
    // look like success. So refuse, naming the setting; the replicas that lease partitions sweep them.
    if (env.FHPA_SWEEP_LEASES) {
      return {
        refused:
          'FHPA_SWEEP_LEASES: this replica runs no in-process sweep, so it holds no partition leases and sweeps nothing; POST /sweep to a replica that leases partitions (it sweeps its share), or unset FHPA_SWEEP_LEASES here to sweep every FederatedHPA',
      };
    }
    return { options };
  };
}
