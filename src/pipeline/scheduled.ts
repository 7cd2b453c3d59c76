import type { SweepQueue } from '../queue/sweep-queue.ts';
import { type CronRunSummary, runCronFederatedHPAs } from './cron-execute.ts';
import { type FanOutOptions, type FanOutResult, fanOutSweep } from './fanout-produce.ts';
import { type SweepOptions, type SweepResult, sweep } from './sweep.ts';
import type { PipelineDeps } from './types.ts';

export interface ScheduledSummary {
  cron: CronRunSummary;
  sweep: SweepResult;
}

export interface FanOutSummary {
  cron: CronRunSummary;
  fanOut: FanOutResult;
}

// One scheduled tick: CronFederatedHPA rules first (they move replicas or an FHPA's min/max, which the sweep
// should then see), then the sweep of every FederatedHPA.
export async function runScheduled(deps: PipelineDeps, opts: SweepOptions = {}): Promise<ScheduledSummary> {
  const started = deps.clock();
  const observe = sweepObserver(deps, started);
  try {
    const cron = await runCronFederatedHPAs(deps, opts.namespace ? { namespace: opts.namespace } : {});
    const result = await sweep(deps, opts);
    observe(true);
    deps.log.info('sweep done', {
      listed: result.listed,
      evaluated: result.evaluated,
      skippedForDeadline: result.skippedForDeadline,
      ...(result.skippedForLease > 0 ? { skippedForLease: result.skippedForLease } : {}),
      outcomes: result.countsByOutcome,
      durationMs: deps.clock() - started,
    });
    return { cron, sweep: result };
  } catch (err) {
    observe(false);
    throw err;
  }
}

/**
 * One scheduled tick of a fanned-out sweep: CronFederatedHPA rules as runScheduled runs them, then the
 * FederatedHPAs are listed and enqueued for the queue's consumers (fanout-consume.ts) instead of evaluated here.
 */
export async function runFanOutScheduled(
  deps: PipelineDeps,
  queue: SweepQueue,
  opts: FanOutOptions,
): Promise<FanOutSummary> {
  const started = deps.clock();
  const observe = sweepObserver(deps, started);
  try {
    const cron = await runCronFederatedHPAs(deps, opts.namespace ? { namespace: opts.namespace } : {});
    const fanOut = await fanOutSweep(deps, queue, opts);
    observe(true);
    deps.log.info('sweep enqueued', { ...fanOut, durationMs: deps.clock() - started });
    return { cron, fanOut };
  } catch (err) {
    observe(false);
    throw err;
  }
}

/** Tells the observer (Prometheus' fhpa_sweeps_total) how a tick that began at `started` ended. */
function sweepObserver(deps: PipelineDeps, started: number) {
  return (ok: boolean) => {
    const endedAt = deps.clock();
    deps.observer?.sweep?.({ ok, durationMs: endedAt - started, endedAt });
  };
}

/**
 * Several scheduled ticks inside one invocation, `intervalMs` apart: a Cron Trigger or EventBridge schedule fires
 * at most once a minute, Karmada's controller every 15 s, so a minute's invocation runs 4 sweeps to match it.
 * Stops starting new ticks when the next would begin past `deadline`.
 */
export async function runTicks<T = ScheduledSummary>(
  deps: PipelineDeps,
  opts: SweepOptions & {
    ticks: number;
    intervalMs: number;
    deadline?: number;
    sleep?: (ms: number) => Promise<void>;
    /** What one tick does: runScheduled's sweep unless given (a fanned-out sweep's runFanOutScheduled). */
    tick?: () => Promise<T>;
  },
): Promise<T[]> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const start = deps.clock();
  const tick = opts.tick ?? (() => runScheduled(deps, opts) as Promise<T>);
  const summaries: T[] = [];
  for (let i = 0; i < opts.ticks; i++) {
    const due = start + i * opts.intervalMs;
    if (opts.deadline !== undefined && due >= opts.deadline) break;
    const wait = due - deps.clock();
    if (wait > 0) await sleep(wait);
    try {
      summaries.push(await tick());
    } catch (err) {
      // Listing failed (Karmada unreachable): log and let the next tick try; the trigger itself must not die.
      deps.log.error('scheduled tick failed', {
        tick: i,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return summaries;
}
