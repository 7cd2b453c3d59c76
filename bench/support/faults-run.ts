import { FALLBACK_AFTER, FALLBACK_REPLICAS, MODE, PAUSED } from '../../src/api/annotations.ts';
import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import { createKarmadaAdapter } from '../../src/karmada/adapter.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import type { EvaluationResult, PipelineDeps } from '../../src/pipeline/types.ts';
import { type FaultRule, type ScaleWrite, startSimulator } from '../../src/sim/index.ts';
import { createPrng } from '../../src/sim/prng.ts';
import { startDynamoProxy } from '../../test/store/dynamo-proxy.ts';
import { dynamoTable } from './dynamo.ts';
import { applyWorkload, type WorkloadRef } from './fixtures.ts';
import { type OracleAnswer, oracleDecision } from './oracle.ts';
import { policyViolations } from './policy-check.ts';

// Evaluations under injected faults, each checked against a fault-free oracle on the same state.
//
// Every step: each workload gets a new load (seeded dice), simulated time moves 15 s (Karmada's sync
// period), the oracle (oracle.ts) decides every FederatedHPA with no faults active, then the faults go on —
// API errors (500, and 503 and 429 with Retry-After), hangs the client must time out, 409 Conflicts on writes,
// and ThrottlingException from a proxy in front of the DynamoDB table — and the production pipeline
// evaluates all of them at once. The simulator's own log of applied scale writes is then compared:
//   wrongDecisions  a write the oracle would not make: a different count, a scale the oracle would not do,
//                   or more than one write for one evaluation; or no write where the oracle scales, under a
//                   result that says "unchanged" with no error, i.e. that nothing was due (a failed or
//                   superseded result says the scale was not done; counted apart in wrongDecisionKinds);
//   outOfBounds     a write outside [min, max] or beyond a behavior policy (policy-check.ts, from the log);
//   unhandled       anything that escaped as an exception: an "evaluation failed unexpectedly" log line, an
//                   unhandled rejection, or an evaluation promise that rejected;
//   misreported     a result that says "scaled" with no applied write, or a write under a result that
//                   does not say "scaled" (the caller would retry or report the wrong thing).
// A failed evaluation is allowed (it is retried by the next trigger); it must then be retryable.

/** ≈ 20 % of requests: reads roll the four error rules and the hang, writes the conflict as well. */
export const API_FAULTS: FaultRule[] = [
  { name: '500', path: '/**', errorRate: 0.06, errorStatus: 500 },
  { name: '503', path: '/**', errorRate: 0.03, errorStatus: 503, retryAfterSeconds: 1 },
  { name: '429', path: '/**', errorRate: 0.06, errorStatus: 429, retryAfterSeconds: 1 },
  { name: 'timeout', path: '/**', hangRate: 0.03 },
  { name: '409', path: '/**', conflictRate: 0.2 },
];

const SPEC: Partial<FederatedHPA['spec']> = {
  minReplicas: 1,
  maxReplicas: 10,
  behavior: {
    scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 3, periodSeconds: 60 }] },
    scaleDown: {
      stabilizationWindowSeconds: 30,
      policies: [{ type: 'Percent', value: 50, periodSeconds: 30 }],
    },
  },
};
const LOADS = [0, 1, 3, 6, 12, 30];

export interface FaultsOptions {
  evaluations: number;
  /** FederatedHPAs evaluated side by side in each step. */
  workloads?: number;
  seed?: number;
  endpoint: string;
  table: string;
  log?: (line: string) => void;
  /** Put shadow, pause and fallback in the mix: the first three workloads carry those annotations. */
  modes?: boolean;
}

/** The annotations of the first workloads when `modes` is set (write-policy.ts, fallback.ts). */
export const MODE_ANNOTATIONS: Record<string, string>[] = [
  { [MODE]: 'shadow' },
  { [PAUSED]: 'true' },
  { [FALLBACK_REPLICAS]: '6', [FALLBACK_AFTER]: '1' },
];

export interface FaultsFigures {
  evaluations: number;
  faultRate: number;
  apiRequests: number;
  injected: { error: Record<string, number>; hang: number; conflict: number; storeThrottles: number };
  outOfBounds: number;
  wrongDecisions: number;
  wrongDecisionKinds: { count: number; unwanted: number; repeated: number; missed: number };
  misreported: number;
  unhandled: number;
  outcomes: Record<string, number>;
  failedFinal: number;
  oracleScales: number;
  scaleWrites: number;
  /** Evaluations whose decision was the fallback annotation's. */
  fallbacks: number;
}

/** A logger that counts what the pipeline reports as unexpected (evaluate.ts logs it at error level). */
function countingLogger(count: () => void): Logger {
  return createLogger({
    level: 'error',
    sink: (line) => {
      if (line.includes('failed unexpectedly')) count();
    },
  });
}

export async function runFaults(opts: FaultsOptions): Promise<FaultsFigures> {
  const workloadCount = opts.workloads ?? 10;
  const steps = Math.ceil(opts.evaluations / workloadCount);
  const dice = createPrng(opts.seed ?? 8);
  const proxy = await startDynamoProxy(opts.endpoint);
  const table = await dynamoTable(opts.endpoint, opts.table, proxy.endpoint);
  const sim = await startSimulator({ clusters: ['member1', 'member2'], seed: opts.seed ?? 8 });
  const clock = () => sim.clock.now();
  const figures: FaultsFigures = {
    evaluations: 0,
    faultRate: 0,
    apiRequests: 0,
    injected: { error: {}, hang: 0, conflict: 0, storeThrottles: 0 },
    outOfBounds: 0,
    wrongDecisions: 0,
    wrongDecisionKinds: { count: 0, unwanted: 0, repeated: 0, missed: 0 },
    misreported: 0,
    unhandled: 0,
    outcomes: {},
    failedFinal: 0,
    oracleScales: 0,
    scaleWrites: 0,
    fallbacks: 0,
  };
  const onUnhandled = () => {
    figures.unhandled++;
  };
  process.on('unhandledRejection', onUnhandled);
  const writes: ScaleWrite[] = [];
  sim.onScaleWrite((w) => writes.push(w));

  // The faulty side: one Node-server-like process (one adapter, one store client), retries without waiting.
  const faulty: PipelineDeps = {
    karmada: createKarmadaAdapter({
      connection: { server: sim.url, token: sim.token },
      timeoutMs: 250,
      sleep: async () => {},
    }),
    store: await table.client(clock),
    clock,
    scope: 'faults',
    log: countingLogger(onUnhandled),
  };
  // The oracle's side: a client of its own, and a store client that bypasses the throttling proxy.
  const oracleKarmada = createKarmadaAdapter({ connection: { server: sim.url, token: sim.token } });
  const oracleStore = await (await dynamoTable(opts.endpoint, opts.table)).client(clock);

  try {
    const refs: WorkloadRef[] = Array.from({ length: workloadCount }, (_, i) => ({
      namespace: 'default',
      name: `app-${i}`,
    }));
    const specs = new Map(
      refs.map((r, i) => {
        const fhpa = applyWorkload(sim, r, { spec: SPEC });
        const annotations = opts.modes ? MODE_ANNOTATIONS[i] : undefined;
        if (annotations) sim.applyFederatedHPA({ ...fhpa, metadata: { ...fhpa.metadata, annotations } });
        return [r.name, fhpa.spec];
      }),
    );
    sim.clock.advance(30_000);
    let requestsBefore = sim.counters.requests;
    for (let step = 0; step < steps; step++) {
      const batch = refs.slice(0, Math.min(workloadCount, opts.evaluations - step * workloadCount));
      for (const r of batch)
        sim.setLoad(r.namespace, r.name, { rps: LOADS[Math.floor(dice.next() * LOADS.length)]! });
      sim.clock.advance(15_000);
      const now = clock();
      const answers = new Map<string, OracleAnswer>();
      for (const r of batch)
        answers.set(r.name, await oracleDecision(oracleKarmada, oracleStore, { scope: 'faults', ...r }, now));
      const oracleRequests = sim.counters.requests - requestsBefore;

      sim.faults.setRules(API_FAULTS);
      for (const op of ['GetItem', 'PutItem']) {
        // 0–3 throttled calls, taken by whichever of the step's concurrent store calls come first: the SDK's
        // retries (3 attempts) absorb them unless one call meets all three, so a save rarely fails for good here
        const times = dice.next() < 0.4 ? 1 + Math.floor(dice.next() * 3) : 0;
        if (times > 0) proxy.fail(op, times, 400, 'ThrottlingException');
        figures.injected.storeThrottles += times;
      }
      const stepWrites = writes.length;
      const results = await Promise.all(
        batch.map((r) =>
          evaluate(faulty, r).catch((err: unknown): EvaluationResult => {
            onUnhandled();
            return { ...r, outcome: 'failed', retryable: true, message: String(err) };
          }),
        ),
      );
      sim.faults.clear();
      sim.faults.releaseHangs();
      proxy.reset();
      figures.apiRequests += sim.counters.requests - requestsBefore - oracleRequests;
      requestsBefore = sim.counters.requests;

      for (const [i, r] of batch.entries()) {
        const mine = writes.slice(stepWrites).filter((w) => w.name === r.name);
        judge(figures, answers.get(r.name)!, results[i]!, mine);
      }
      if ((step + 1) % 10 === 0) opts.log?.(`step ${step + 1}/${steps}: ${figures.evaluations} evaluations`);
    }
    for (const r of refs) {
      const log = writes.filter((w) => w.name === r.name).map((w) => ({ at: w.at, replicas: w.replicas }));
      figures.outOfBounds += policyViolations(specs.get(r.name)!, 1, log).length;
    }
    const counts = sim.faults.counts();
    figures.injected.error = counts.error;
    figures.injected.hang = counts.hang;
    figures.injected.conflict = counts.conflict;
    const injected = Object.values(counts.error).reduce((a, b) => a + b, 0) + counts.hang + counts.conflict;
    figures.faultRate = Math.round((injected / Math.max(1, figures.apiRequests)) * 1000) / 1000;
    figures.scaleWrites = writes.length;
    return figures;
  } finally {
    process.off('unhandledRejection', onUnhandled);
    faulty.store.close?.();
    oracleStore.close?.();
    await sim.close();
    await proxy.stop();
  }
}

/** Compares one faulty evaluation with the oracle's answer and the writes the simulator applied for it. */
export function judge(
  figures: FaultsFigures,
  oracle: OracleAnswer,
  result: EvaluationResult,
  mine: readonly ScaleWrite[],
) {
  figures.evaluations++;
  figures.outcomes[result.outcome] = (figures.outcomes[result.outcome] ?? 0) + 1;
  if (result.outcome === 'failed' && !result.retryable) figures.failedFinal++;
  if (oracle.rescale && oracle.writes) figures.oracleScales++;
  if (result.fallback) figures.fallbacks++;
  const wrong = figures.wrongDecisionKinds;
  if (mine.length > 1) wrong.repeated++;
  const w = mine[0];
  if (!oracle.writes) {
    // Shadow and pause: any scale write at all is wrong, whatever the oracle's decision.
    if (w !== undefined) wrong.unwanted++;
  } else if (result.fallback) {
    // The faulty side saw no metric where the oracle saw them: its fallback write is checked by the policy and
    // bounds check (policy-check.ts), not against the oracle's metrics.
  } else if (w !== undefined) {
    if (!oracle.rescale) wrong.unwanted++;
    else if (w.replicas !== oracle.desiredReplicas) wrong.count++;
  } else if (oracle.rescale && result.outcome === 'unchanged' && result.message === undefined) wrong.missed++;
  figures.wrongDecisions = wrong.count + wrong.unwanted + wrong.repeated + wrong.missed;
  if ((result.outcome === 'scaled') !== mine.length > 0) figures.misreported++;
}
