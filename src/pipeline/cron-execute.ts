import type { CronFederatedHPA } from '../api/cronfederatedhpa.ts';
import { orderDueRuns, type PlannedRun } from '../cron/due-order.ts';
import { type CronFederatedHPAStatus, type ExecutionResult, recordExecution } from '../cron/history.ts';
import { planCronRun } from '../cron/plan-run.ts';
import { cronTarget, ruleAction, type TargetState } from '../cron/rule-action.ts';
import { isConflict } from '../karmada/errors.ts';
import { mapBounded } from './concurrency.ts';
import type { PipelineDeps } from './types.ts';

export interface CronRunSummary {
  cronFederatedHPAs: number;
  due: number;
  succeeded: number;
  failed: number;
  /** Rules another invocation claimed first (they ran there, not here). */
  claimedElsewhere: number;
}

// CronFederatedHPA execution on the scheduled trigger. Karmada runs a gocron scheduler per rule in its
// controller's memory; fhpa keeps the schedule in status (nextExecutionTime) and, on every tick:
//  1. plans each CronFederatedHPA (src/cron/plan-run.ts) and CLAIMS its due rules by writing the planned
//     status with the object's resourceVersion: of two overlapping ticks only one wins the write, so a rule
//     runs at most once per instant (a tick that dies after claiming loses that run rather than repeating it);
//  2. runs the claimed rules in a fixed order (src/cron/due-order.ts: the last write wins deterministically);
//  3. records each outcome in the execution history, as Karmada does, and writes the status once more.
export async function runCronFederatedHPAs(
  deps: PipelineDeps,
  opts: { namespace?: string; startingDeadlineSeconds?: number } = {},
): Promise<CronRunSummary> {
  const now = deps.clock();
  const crons = await deps.karmada.listCronFederatedHPAs(opts.namespace ? { namespace: opts.namespace } : {});
  const summary: CronRunSummary = {
    cronFederatedHPAs: crons.length,
    due: 0,
    succeeded: 0,
    failed: 0,
    claimedElsewhere: 0,
  };

  const claimed: PlannedRun[] = [];
  const statusOf = new Map<string, { cron: CronFederatedHPA; status: CronFederatedHPAStatus }>();
  await mapBounded(crons, 8, async (cron) => {
    const plan = planCronRun(cron, now, {
      ...(opts.startingDeadlineSeconds !== undefined
        ? { startingDeadlineSeconds: opts.startingDeadlineSeconds }
        : {}),
    });
    // Karmada reports a rule that cannot start when it reconciles the object; fhpa finds it again on every
    // tick, so the same failure is recorded once (while its Event lives), not once per tick.
    for (const p of plan.problems) {
      await deps.karmada.recordEvent(
        refOf(cron),
        'Warning',
        'StartRuleFailed',
        `${p.ruleName}: ${p.message}`,
        now,
        { once: true },
      );
    }
    let current = cron;
    if (plan.changed) {
      try {
        current = await deps.karmada.updateCronFederatedHPAStatus(cron, plan.status, { guarded: true });
      } catch (err) {
        if (isConflict(err)) summary.claimedElsewhere += plan.due.length;
        else deps.log.warn('CronFederatedHPA status write failed', { ...keyOf(cron), error: text(err) });
        return;
      }
    }
    statusOf.set(key(cron), { cron: current, status: plan.status });
    for (const due of plan.due) claimed.push({ cron: current, due });
  });

  summary.due = claimed.length;
  for (const run of orderDueRuns(claimed)) {
    const result = await executeRule(deps, run);
    if (result.ok) summary.succeeded++;
    else {
      summary.failed++;
      await deps.karmada.recordEvent(refOf(run.cron), 'Warning', 'ScaleFailed', result.message, now);
    }
    const entry = statusOf.get(key(run.cron))!;
    entry.status = recordExecution(
      entry.status,
      run.due.rule,
      result,
      run.due.scheduleTime,
      now,
      run.due.nextExecutionTime,
    );
  }

  // The outcomes are history, not a claim: written last-writer-wins (the adapter re-reads on conflict).
  const touched = new Set(claimed.map((r) => key(r.cron)));
  await mapBounded([...touched], 8, async (k) => {
    const { cron, status } = statusOf.get(k)!;
    try {
      await deps.karmada.updateCronFederatedHPAStatus(cron, status);
    } catch (err) {
      deps.log.warn('CronFederatedHPA history write failed', { ...keyOf(cron), error: text(err) });
      await deps.karmada.recordEvent(refOf(cron), 'Warning', 'UpdateStatusFailed', text(err), now);
    }
  });
  return summary;
}

async function executeRule(deps: PipelineDeps, run: PlannedRun): Promise<ExecutionResult> {
  const { cron, due } = run;
  const target = cronTarget(cron);
  try {
    if (target.type === 'unsupported') return { ok: false, message: target.message };
    if (target.type === 'FederatedHPA') {
      const fhpa = await deps.karmada.getFederatedHPA(target.namespace, target.name);
      const state: TargetState = {
        type: 'FederatedHPA',
        maxReplicas: fhpa.spec.maxReplicas,
        ...(fhpa.spec.minReplicas !== undefined ? { minReplicas: fhpa.spec.minReplicas } : {}),
      };
      const action = ruleAction(cron, due.rule, state);
      if (action.type === 'fail') return { ok: false, message: action.message };
      if (action.type === 'updateFederatedHPA') {
        await deps.karmada.updateFederatedHPASpec(fhpa, {
          minReplicas: action.minReplicas,
          maxReplicas: action.maxReplicas,
        });
      }
      return { ok: true };
    }
    const ref = { apiVersion: target.apiVersion, kind: target.kind, name: target.name };
    return await scaleWorkload(deps, run, target.namespace, ref);
  } catch (err) {
    return { ok: false, message: text(err) };
  }
}

/** retry.DefaultRetry's Steps: how many times Karmada's RetryOnConflict runs the read-and-write. */
export const CRON_SCALE_ATTEMPTS = 5;

/**
 * cronfederatedhpa_job.go#ScaleWorkloads inside retry.RetryOnConflict(retry.DefaultRetry): read the scale,
 * write the rule's replicas with its resourceVersion, and on a 409 (Karmada's status controller writes the
 * template whenever pods come and go) read again and decide again, a bounded number of times. The write stays
 * guarded: a concurrent change of spec.replicas is seen by the next read, not overwritten blind. DefaultRetry
 * waits 10 ms between attempts; the re-read is the only wait here.
 */
async function scaleWorkload(
  deps: PipelineDeps,
  run: PlannedRun,
  namespace: string,
  ref: { apiVersion: string; kind: string; name: string },
): Promise<ExecutionResult> {
  for (let attempt = 1; ; attempt++) {
    const scale = await deps.karmada.getScale(namespace, ref);
    const action = ruleAction(run.cron, run.due.rule, { type: 'workload', replicas: scale.replicas });
    if (action.type === 'fail') return { ok: false, message: action.message };
    if (action.type !== 'scale') return { ok: true };
    try {
      await deps.karmada.patchScale(namespace, ref, action.replicas, scale.resourceVersion);
      return { ok: true };
    } catch (err) {
      if (!isConflict(err) || attempt >= CRON_SCALE_ATTEMPTS) throw err;
    }
  }
}

const key = (c: CronFederatedHPA) => `${c.metadata.namespace ?? ''}/${c.metadata.name ?? ''}`;
const keyOf = (c: CronFederatedHPA) => ({ namespace: c.metadata.namespace, name: c.metadata.name });
const refOf = (c: CronFederatedHPA) => ({
  apiVersion: c.apiVersion,
  kind: c.kind,
  namespace: c.metadata.namespace ?? 'default',
  name: c.metadata.name ?? '',
  ...(c.metadata.uid ? { uid: c.metadata.uid } : {}),
});
const text = (err: unknown) => (err instanceof Error ? err.message : String(err));
