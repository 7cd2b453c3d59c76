import { Hono } from 'hono';
import { runScheduled } from '../pipeline/scheduled.ts';
import type { SweepOptions } from '../pipeline/sweep.ts';
import type { PipelineDeps } from '../pipeline/types.ts';

// POST /sweep: the scheduled trigger over HTTP, for runtimes whose scheduler calls a URL (a Kubernetes
// CronJob with curl, a cloud scheduler, the demo). Workers and Lambda call runScheduled directly.
export function scheduledRoutes(deps: () => PipelineDeps, opts: SweepOptions): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const d = deps();
    try {
      const summary = await runScheduled(d, opts);
      return c.json({
        listed: summary.sweep.listed,
        evaluated: summary.sweep.evaluated,
        skippedForDeadline: summary.sweep.skippedForDeadline,
        outcomes: summary.sweep.countsByOutcome,
        cron: summary.cron,
      });
    } catch (err) {
      // Listing FederatedHPAs failed: nothing was evaluated, and the next tick will try again.
      d.log.error('sweep failed', { error: err instanceof Error ? err.message : String(err) });
      c.header('Retry-After', '15');
      return c.json({ error: `sweep failed: ${err instanceof Error ? err.message : String(err)}` }, 503);
    }
  });
  return app;
}
