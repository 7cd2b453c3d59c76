import { startDynalite } from '../test/support/dynalite.ts';
import type { Benchmark } from './benchmark.ts';
import { runStorm } from './support/storm-run.ts';

// Issue 8, `storm`: 200 simultaneous triggers of one FederatedHPA with a scale-up policy (+2 pods per 60 s),
// each a separate invocation with its own clients, on a DynamoDB table (dynalite over loopback HTTP), in three
// waves (t, t+30 s, t+61 s). Targets: policyViolations 0, lostHistory 0. How both are computed, and from
// which records: bench/support/storm-run.ts. The same run at 30 triggers is test/reliability/storm.test.ts.
//
// Flags: --concurrent=N (default 200, 50 with --quick), --waves=N (default 3).

export const storm: Benchmark = {
  name: 'storm',
  description: '200 concurrent triggers of one FederatedHPA with scale-up policy limits, DynamoDB store',
  async run(opts) {
    const concurrent = Number(opts.flags.concurrent ?? (opts.quick ? 50 : 200));
    const waves = Number(opts.flags.waves ?? 3);
    if (!Number.isInteger(concurrent) || concurrent < 1)
      return { error: '--concurrent must be a positive integer' };
    const dynalite = await startDynalite();
    const started = process.hrtime.bigint();
    try {
      const figures = await runStorm({
        concurrent,
        waves,
        endpoint: dynalite.endpoint,
        table: `storm-${Date.now()}`,
        log: opts.log,
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const problems = figures.policyViolations + figures.lostHistory + figures.failedFinal;
      return {
        ...figures,
        seconds: Math.round(seconds * 10) / 10,
        ...(problems > 0
          ? { error: 'policy violated, history lost or a storm trigger failed for good' }
          : {}),
      };
    } finally {
      await dynalite.stop();
    }
  },
};
