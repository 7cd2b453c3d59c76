import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, Figures } from './benchmark.ts';
import { BENCHMARK_NAMES, BENCHMARKS } from './index.ts';

// `tsx bench/run.ts NAME|all|--list [--quick] [--key=value ...]` (npm run bench -- NAME).
// Progress goes to stderr; stdout carries only JSON lines: one per benchmark, the last line being the
// result (for `all`, a final line combining every result by name). Exit codes: 0 all measured, 1 some
// benchmark reported an error, 2 usage.

const USAGE = `usage: npm run bench -- NAME|all|--list [--quick] [--key=value ...]
  --quick        short runs (also BENCH_QUICK=1)
  --key=value    benchmark-specific settings, see the benchmark's file`;

function list(): string {
  return BENCHMARK_NAMES.join(', ');
}

async function main(argv: readonly string[]): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const names: string[] = [];
  const flags: Record<string, string> = {};
  let quick = process.env.BENCH_QUICK === '1';
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--list') {
      for (const name of BENCHMARK_NAMES) log(`${name}\t${(await BENCHMARKS[name]!()).description}`);
      return 0;
    } else if (arg === '--help' || arg === '-h') {
      log(USAGE);
      return 0;
    } else if (arg.startsWith('--') && arg.includes('=')) {
      const eq = arg.indexOf('=');
      flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (arg.startsWith('-')) {
      log(`unknown option ${arg}\n${USAGE}`);
      return 2;
    } else names.push(arg);
  }
  if (names.length !== 1) {
    log(`${USAGE}\nbenchmarks: ${list()}`);
    return 2;
  }
  const [name] = names as [string];
  const selected = name === 'all' ? BENCHMARK_NAMES : [name];
  const unknown = selected.find((n) => !(n in BENCHMARKS));
  if (unknown !== undefined) {
    log(`unknown benchmark "${unknown}"; benchmarks: ${list()}`);
    return 2;
  }

  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const opts: BenchOptions = { quick, root, flags, log: (line) => log(`  ${line}`) };
  const results: Record<string, Figures> = {};
  for (const n of selected) {
    const bench = await BENCHMARKS[n]!();
    log(`▶ ${n}: ${bench.description}${quick ? ' (quick)' : ''}`);
    const start = process.hrtime.bigint();
    try {
      results[n] = await bench.run(opts);
    } catch (err) {
      // a benchmark should report its own errors; a throw is a bug in it, still reported as a figure
      results[n] = { error: `unexpected: ${(err as Error).stack ?? String(err)}` };
    }
    log(`✔ ${n} in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`);
    process.stdout.write(`${JSON.stringify(results[n])}\n`);
  }
  if (name === 'all') process.stdout.write(`${JSON.stringify(results)}\n`);
  return Object.values(results).some((r) => 'error' in r) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
