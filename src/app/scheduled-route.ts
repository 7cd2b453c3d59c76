import { Hono } from 'hono';
import { runScheduled } from '../pipeline/scheduled.ts';
import type { SweepOptions } from '../pipeline/sweep.ts';
import type { PipelineDeps } from '../pipeline/types.ts';

/**
 * More than half of the evaluations failed: the sweep as a whole did not work (Karmada or the store is
 * unwell), and the scheduler's status should say so (issue 18) rather than 200. The body still counts them.
 */
export function mostFailed(evaluated: number, outcomes: Record<string, number>): boolean {
  return evaluated > 0 && (outcomes.failed ?? 0) * 2 > evaluated;
}

/** What one sweep of this replica covers (runtime/sweep-scope.ts), or why it sweeps nothing. */
export type SweepScope =
  | {
      options: SweepOptions;
      /** Set when a lease keeper divides the fleet: the partitions this replica held when the sweep began. */
      leases?: { replica: string; partitions: number; owned: number[] };
      refused?: undefined;
    }
  | { refused: string };

// POST /sweep: the scheduled trigger over HTTP, for runtimes whose scheduler calls a URL (a Kubernetes
// CronJob with curl, a cloud scheduler, the demo). Workers and Lambda call runScheduled directly. The answer
// says what was covered: the shard, or the leased partitions (asked per request: leases move).
export function scheduledRoutes(deps: () => PipelineDeps, scope: () => SweepScope): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const d = deps();
    const s = scope();
    if (s.refused !== undefined) return c.json({ error: s.refused }, 409);
    try {
      const summary = await runScheduled(d, s.options);
      const { evaluated, countsByOutcome } = summary.sweep;
      const status = mostFailed(evaluated, countsByOutcome) ? 503 : 200;
      if (status === 503) c.header('Retry-After', '15');
      return c.json(
        {
          listed: summary.sweep.listed,
          evaluated,
          skippedForDeadline: summary.sweep.skippedForDeadline,
          ...(s.options.shard ? { shard: s.options.shard } : {}),
          ...(s.leases ? { leases: s.leases, skippedForLease: summary.sweep.skippedForLease } : {}),
          outcomes: countsByOutcome,
          cron: summary.cron,
        },
        status,
      );
    } catch (err) {
      // Listing FederatedHPAs failed: nothing was evaluated, and the next tick will try again.
      d.log.error('sweep failed', { error: err instanceof Error ? err.message : String(err) });
      c.header('Retry-After', '15');
      return c.json({ error: `sweep failed: ${err instanceof Error ? err.message : String(err)}` }, 503);
    }
  });
  return app;
}
