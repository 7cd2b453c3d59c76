import type { FederatedHPA } from '../api/federatedhpa.ts';
import { mapBounded, shardOf } from './concurrency.ts';
import { evaluate } from './evaluate.ts';
import { historyKey } from './report.ts';
import { createSweepReads } from './sweep-reads.ts';
import type { EvaluationResult, PipelineDeps } from './types.ts';

export interface SweepOptions {
  namespace?: string;
  labelSelector?: string;
  /** Evaluate only FederatedHPAs whose namespace/name hashes to `index` of `count` (several schedulers). */
  shard?: { index: number; count: number };
  /**
   * Evaluate only the FederatedHPAs ("namespace/name") this accepts, asked when the sweep starts and again
   * just before each evaluation: a Node replica's partition leases (lease-keeper.ts), which can be lost
   * mid-sweep. Takes the place of `shard`.
   */
  owns?: (key: string) => boolean;
  /**
   * Evaluate only these FederatedHPAs (a queue consumer's batch): they are listed per namespace they are in,
   * not across the fleet, and evaluated with the same shared reads as a full sweep. One that is not there
   * any more answers `not-found`.
   */
  only?: ReadonlyArray<{ namespace: string; name: string }>;
  concurrency?: number;
  /** Epoch ms after which no new evaluation starts (the runtime's time limit, with a margin). */
  deadline?: number;
}

export interface SweepResult {
  listed: number;
  evaluated: number;
  skippedForDeadline: number;
  /** Owned when the sweep began, not any more when their turn came (`owns`). */
  skippedForLease: number;
  results: EvaluationResult[];
  countsByOutcome: Record<string, number>;
}

// The scheduled trigger: every FederatedHPA (or a label-selected or sharded subset) is evaluated with bounded
// concurrency. Histories are read in batches first (BatchGetItem on DynamoDB), so each evaluation costs at
// most one store read and one store write; the listed objects are reused, saving a GET per FederatedHPA, and
// what the evaluations of one namespace read from Karmada is listed once for them (sweep-reads.ts).
export async function sweep(deps: PipelineDeps, opts: SweepOptions = {}): Promise<SweepResult> {
  const { all, missing } = opts.only
    ? await listOnly(deps, opts.only, opts.labelSelector)
    : {
        all: await deps.karmada.listFederatedHPAs({
          ...(opts.namespace ? { namespace: opts.namespace } : {}),
          ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
        }),
        missing: [],
      };
  // By namespace, so the lists a namespace's evaluations share are made and dropped while they run.
  const owned = ownership(opts);
  const mine = (owned ? all.filter((f) => owned(keyOf(f))) : [...all]).sort((a, b) =>
    compare(a.metadata.namespace ?? 'default', b.metadata.namespace ?? 'default'),
  );

  const keys = mine.map((f) => historyKey(deps, f.metadata.namespace ?? 'default', f.metadata.name ?? ''));
  const histories = await deps.store.loadMany(keys);
  deps.observer?.storeRead?.(mine.length > 0 ? 1 : 0);

  // One cluster LIST for the whole sweep instead of one per evaluation (Karmada reads clusters from its
  // informer cache, equally a moment old). If it fails, each evaluation lists for itself and reports its own.
  const readyClusters =
    mine.length > 0 ? await deps.karmada.readyClusters().catch(() => undefined) : undefined;

  // The namespace's workloads, bindings, pods and metrics listed once for its evaluations (sweep-reads.ts).
  const reads = createSweepReads({
    direct: deps.karmada,
    lists: deps.karmada.fleet,
    readyClusters,
    fhpas: mine,
    warn: (message) => deps.log.warn(message),
  });

  let skipped = 0;
  let lost = 0;
  const settled = await mapBounded(mine, opts.concurrency ?? 32, async (fhpa, i) => {
    const ref = { namespace: fhpa.metadata.namespace ?? 'default', name: fhpa.metadata.name ?? '' };
    // Not evaluated here: its namespace's shared reads are released all the same.
    const skip = (outcome: 'failed' | 'superseded', retryable: boolean, message: string) => {
      reads.release(ref.namespace);
      return { ...ref, outcome, retryable, message };
    };
    if (opts.deadline !== undefined && deps.clock() >= opts.deadline) {
      skipped++;
      return skip('failed', true, 'skipped: sweep deadline reached');
    }
    // A lease lost since the sweep began (its renew deadline passed, or it was handed to a new replica):
    // the replica that holds it now evaluates this one. Superseded, not failed: nothing went wrong, and
    // leases moving mid-sweep must not make a POST /sweep answer 503 (most evaluations failed).
    if (opts.owns && !opts.owns(keyOf(fhpa))) {
      lost++;
      return skip('superseded', false, 'skipped: partition lease lost');
    }
    const key = keys[i]!;
    const history = histories.get(deps.store.keyString(key));
    try {
      return await evaluate(deps, ref, {
        fhpa,
        reads,
        ...(history ? { history } : {}),
        ...(readyClusters ? { readyClusters } : {}),
      });
    } finally {
      reads.release(ref.namespace);
    }
  });
  const evaluatedResults = settled.map((r, i) =>
    'error' in r
      ? {
          namespace: mine[i]!.metadata.namespace ?? 'default',
          name: mine[i]!.metadata.name ?? '',
          outcome: 'failed' as const,
          retryable: true,
          message: String(r.error),
        }
      : r,
  );
  const results = [...evaluatedResults, ...missing];
  const countsByOutcome: Record<string, number> = {};
  for (const r of results) countsByOutcome[r.outcome] = (countsByOutcome[r.outcome] ?? 0) + 1;
  return {
    listed: all.length,
    evaluated: evaluatedResults.length - skipped - lost,
    skippedForDeadline: skipped,
    skippedForLease: lost,
    results,
    countsByOutcome,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The caller's `owns`, or the static shard as the same kind of test; undefined when the sweep takes all. */
function ownership(opts: SweepOptions): ((key: string) => boolean) | undefined {
  if (opts.owns) return opts.owns;
  const shard = opts.shard;
  return shard ? (key) => shardOf(key, shard.count) === shard.index : undefined;
}

const keyOf = (f: FederatedHPA) => `${f.metadata.namespace ?? 'default'}/${f.metadata.name ?? ''}`;

/** The FederatedHPAs of `only`, listed once per namespace they are in; the refs not found, answered. */
async function listOnly(
  deps: PipelineDeps,
  only: ReadonlyArray<{ namespace: string; name: string }>,
  labelSelector: string | undefined,
): Promise<{ all: FederatedHPA[]; missing: EvaluationResult[] }> {
  const wanted = new Set(only.map((r) => `${r.namespace}/${r.name}`));
  const namespaces = [...new Set(only.map((r) => r.namespace))];
  const lists = await Promise.all(
    namespaces.map((namespace) =>
      deps.karmada.listFederatedHPAs({ namespace, ...(labelSelector ? { labelSelector } : {}) }),
    ),
  );
  const all = lists.flat().filter((f) => wanted.has(keyOf(f)));
  const found = new Set(all.map(keyOf));
  const missing = [...wanted]
    .filter((key) => !found.has(key))
    .map((key) => {
      const [namespace = '', name = ''] = key.split('/');
      return {
        namespace,
        name,
        outcome: 'not-found' as const,
        retryable: false,
        message: 'FederatedHPA not found',
      };
    });
  return { all, missing };
}
