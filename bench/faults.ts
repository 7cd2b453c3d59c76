import { startDynalite } from '../test/support/dynalite.ts';
import type { Benchmark } from './benchmark.ts';
import { runFaults } from './support/faults-run.ts';

// Issue 8, `faults`: 1,000 evaluations (10 FederatedHPAs side by side, 100 steps of 15 simulated seconds)
// with about 20 % of Karmada API requests faulted (500, 503, 429 with Retry-After, hangs that time out, 409
// on writes) and DynamoDB throttling from a proxy in front of dynalite, each decision checked against a
// fault-free oracle on the same state (bench/support/faults-run.ts says exactly how). Targets: outOfBounds,
// wrongDecisions and unhandled all 0. The same run at 100 evaluations is test/reliability/faults.test.ts.
//
// Flags: --evaluations=N (default 1000, 200 with --quick), --workloads=N (default 10), --seed=N (default 8).

export const faults: Benchmark = {
  name: 'faults',
  description:
    '1,000 evaluations with 20% injected API faults and store throttling, checked against an oracle',
  async run(opts) {
    const evaluations = Number(opts.flags.evaluations ?? (opts.quick ? 200 : 1000));
    const workloads = Number(opts.flags.workloads ?? 10);
    const seed = Number(opts.flags.seed ?? 8);
    const dynalite = await startDynalite();
    const started = process.hrtime.bigint();
    try {
      const figures = await runFaults({
        evaluations,
        workloads,
        seed,
        endpoint: dynalite.endpoint,
        table: `faults-${Date.now()}`,
        log: opts.log,
      });
      const problems = figures.outOfBounds + figures.wrongDecisions + figures.unhandled;
      return {
        ...figures,
        seconds: Math.round(Number(process.hrtime.bigint() - started) / 1e8) / 10,
        ...(problems > 0
          ? { error: 'a decision under faults differed from the oracle, broke a bound, or threw' }
          : {}),
      };
    } finally {
      await dynalite.stop();
    }
  },
};
