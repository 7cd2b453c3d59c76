import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import type { History } from '../../src/engine/history-types.ts';
import { createKarmadaAdapter } from '../../src/karmada/adapter.ts';
import { silentLogger } from '../../src/log.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import type { EvaluationResult, PipelineDeps } from '../../src/pipeline/types.ts';
import { type ScaleWrite, startSimulator } from '../../src/sim/index.ts';
import { dynamoTable } from './dynamo.ts';
import { applyWorkload } from './fixtures.ts';
import { policyViolations } from './policy-check.ts';

// The storm: waves of simultaneous triggers of ONE FederatedHPA, each trigger a separate invocation (its own
// Karmada client, its own DynamoDB client), all on one real DynamoDB-compatible table and one simulated
// Karmada — what an alert storm does to fhpa on Lambda or Workers. Issue 6's invariants, checked from two
// independent records:
//   policyViolations  from the simulator's log of applied scale writes alone (policy-check.ts): a write
//                     beyond min/max or the scale-up policy, however the writes interleaved;
//   lostHistory       from the stored history after each wave: a decision whose recommendation is missing,
//                     plus an applied scale write with no matching scale event (a scale the next decision
//                     would not count against the policy).
// Waves are spaced so the policy (+2 pods per 60 s) allows exactly: 1 → 3 at t, nothing at t+30 s (budget
// spent), 3 → 5 at t+61 s.

export const STORM_BEHAVIOR: FederatedHPA['spec']['behavior'] = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }],
  },
  scaleDown: { stabilizationWindowSeconds: 10 },
};
/** Seconds between waves, from the first. */
export const WAVE_OFFSETS_SECONDS = [0, 30, 61] as const;

export interface StormOptions {
  /** Simultaneous triggers per wave. */
  concurrent: number;
  /** dynalite (or DynamoDB) endpoint, and a table name unique to this run. */
  endpoint: string;
  table: string;
  waves?: number;
  log?: (line: string) => void;
  /** fhpa annotations on the FederatedHPA (shadow, pause, fallback in the mix). */
  annotations?: Record<string, string>;
}

export interface StormFigures {
  concurrent: number;
  waves: number;
  triggers: number;
  /** Evaluations that decided and saved their history (scaled or unchanged). */
  decisions: number;
  scaled: number;
  superseded: number;
  failedRetryable: number;
  /** Failures the caller is told not to retry: none is expected from a storm. */
  failedFinal: number;
  /** Why triggers failed: the message up to its first colon, with counts. */
  failures: Record<string, number>;
  scalePatches: number;
  policyViolations: number;
  lostHistory: number;
  /** Scale events in the history with no applied write: they tighten that direction and loosen the other. */
  phantomScaleEvents: number;
  replicasAfterWave: number[];
}

const REF = { namespace: 'default', name: 'sample-app' };
const KEY = { scope: 'storm', ...REF };

/** Matches two multisets of numbers; returns how many of `wanted` found no partner in `have`. */
function unmatched(wanted: readonly number[], have: readonly number[]): number {
  const pool = [...have];
  let missing = 0;
  for (const w of wanted) {
    const i = pool.indexOf(w);
    if (i < 0) missing++;
    else pool.splice(i, 1);
  }
  return missing;
}

export async function runStorm(opts: StormOptions): Promise<StormFigures> {
  const waves = opts.waves ?? WAVE_OFFSETS_SECONDS.length;
  const table = await dynamoTable(opts.endpoint, opts.table);
  const sim = await startSimulator({ clusters: ['member1', 'member2'] });
  const writes: ScaleWrite[] = [];
  sim.onScaleWrite((w) => writes.push(w));
  const clock = () => sim.clock.now();
  const figures: StormFigures = {
    concurrent: opts.concurrent,
    waves,
    triggers: 0,
    decisions: 0,
    scaled: 0,
    superseded: 0,
    failedRetryable: 0,
    failedFinal: 0,
    failures: {},
    scalePatches: 0,
    policyViolations: 0,
    lostHistory: 0,
    phantomScaleEvents: 0,
    replicasAfterWave: [],
  };
  const reader = await table.client(clock);
  try {
    const fhpa = applyWorkload(sim, REF, { spec: { behavior: STORM_BEHAVIOR } });
    if (opts.annotations)
      sim.applyFederatedHPA({ ...fhpa, metadata: { ...fhpa.metadata, annotations: opts.annotations } });
    sim.setLoad(REF.namespace, REF.name, { rps: 50 });
    sim.clock.advance(30_000);
    const start = sim.clock.now();
    for (let wave = 0; wave < waves; wave++) {
      const offset = WAVE_OFFSETS_SECONDS[wave] ?? 61 + (wave - 2) * 61;
      sim.clock.set(start + offset * 1000);
      const now = sim.clock.now();
      const invocations: PipelineDeps[] = await Promise.all(
        Array.from({ length: opts.concurrent }, async () => ({
          karmada: createKarmadaAdapter({
            connection: { server: sim.url, token: sim.token },
            timeoutMs: 10_000,
          }),
          store: await table.client(clock),
          clock,
          scope: KEY.scope,
          log: silentLogger,
        })),
      );
      const results = await Promise.all(invocations.map((d) => evaluate(d, REF)));
      for (const d of invocations) d.store.close?.();
      const decided = tally(figures, results);
      const stored = await reader.load(KEY);
      const waveWrites = writes.filter((w) => w.at === now);
      figures.lostHistory += lostIn(stored.history, now, decided, waveWrites, writes);
      figures.phantomScaleEvents += phantomIn(stored.history, now, waveWrites, writes);
      const replicas = Object.values(sim.memberReplicas(REF.namespace, REF.name)).reduce((a, b) => a + b, 0);
      figures.replicasAfterWave.push(replicas);
      opts.log?.(
        `wave ${wave + 1}/${waves} at +${offset} s: ${decided} decided, ${waveWrites.length} writes, ${replicas} replicas`,
      );
    }
    figures.scalePatches = writes.length;
    figures.policyViolations = policyViolations(
      fhpa.spec,
      1,
      writes.map((w) => ({ at: w.at, replicas: w.replicas })),
    ).length;
    return figures;
  } finally {
    reader.close?.();
    await sim.close();
  }
}

function tally(figures: StormFigures, results: readonly EvaluationResult[]): number {
  // Shadow and paused evaluations decide and save their recommendation too (write-policy.ts).
  const decided = results.filter((r) =>
    ['scaled', 'unchanged', 'shadow', 'paused'].includes(r.outcome),
  ).length;
  figures.triggers += results.length;
  figures.decisions += decided;
  figures.scaled += results.filter((r) => r.outcome === 'scaled').length;
  figures.superseded += results.filter((r) => r.outcome === 'superseded').length;
  figures.failedRetryable += results.filter((r) => r.outcome === 'failed' && r.retryable).length;
  figures.failedFinal += results.filter(
    (r) => (r.outcome === 'failed' && !r.retryable) || r.outcome === 'not-found',
  ).length;
  for (const r of results) {
    if (r.outcome !== 'failed') continue;
    const why = (r.message ?? '').split(':')[0] ?? '';
    figures.failures[why] = (figures.failures[why] ?? 0) + 1;
  }
  return decided;
}

/** Replica deltas of this wave's writes, each against the write before it. */
function deltas(waveWrites: readonly ScaleWrite[], all: readonly ScaleWrite[]): number[] {
  return waveWrites.map((w) => {
    const i = all.indexOf(w);
    const before = i > 0 ? all[i - 1]!.replicas : 1;
    return w.replicas - before;
  });
}

function lostIn(
  history: History,
  now: number,
  decided: number,
  waveWrites: readonly ScaleWrite[],
  all: readonly ScaleWrite[],
): number {
  const recommendations = history.recommendations.filter((r) => r.timestamp === now).length;
  const up = history.scaleUpEvents.filter((e) => e.timestamp === now).map((e) => e.replicaChange);
  const down = history.scaleDownEvents.filter((e) => e.timestamp === now).map((e) => e.replicaChange);
  const d = deltas(waveWrites, all);
  const missingEvents =
    unmatched(
      d.filter((x) => x > 0),
      up,
    ) +
    unmatched(
      d.filter((x) => x < 0).map((x) => -x),
      down,
    );
  return Math.max(0, decided - recommendations) + missingEvents;
}

function phantomIn(
  history: History,
  now: number,
  waveWrites: readonly ScaleWrite[],
  all: readonly ScaleWrite[],
) {
  const d = deltas(waveWrites, all);
  const up = history.scaleUpEvents.filter((e) => e.timestamp === now).map((e) => e.replicaChange);
  const down = history.scaleDownEvents.filter((e) => e.timestamp === now).map((e) => e.replicaChange);
  return (
    unmatched(
      up,
      d.filter((x) => x > 0),
    ) +
    unmatched(
      down,
      d.filter((x) => x < 0).map((x) => -x),
    )
  );
}
