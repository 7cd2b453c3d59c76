import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark, BenchOptions, Figures } from './benchmark.ts';
import { exec, firstErrorLines } from './child.ts';
import { median, round } from './stats.ts';

// Issue 14, `startup`: what the production build buys. `fhpa serve` started from the built JavaScript
// (`node dist/fhpa.mjs`, what the image runs) against the same command run from the sources through tsx
// (`node bin/fhpa.mjs` in a checkout): milliseconds from spawn to "listening", and the resident memory
// once listening, alternating the two in fresh processes; the ratio is what to compare across machines.
// Also the size of dist/.
//
// Flags: --runs=N (default 7, 3 with --quick).

const SERVE = ['serve', '--port', '0', '--host', '127.0.0.1', '--no-sweep'];
const ENV = {
  FHPA_KARMADA_SERVER: 'http://127.0.0.1:9',
  FHPA_KARMADA_TOKEN: 'startup-benchmark-token',
  FHPA_LOG_LEVEL: 'warn',
};

/** Spawn to "listening", then the child's resident set, then SIGTERM. */
function startOnce(entry: string, cwd: string): Promise<{ ms: number; rssMiB: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [entry, ...SERVE], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...ENV },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "listening" within 30 s: ${firstErrorLines(err)}`));
    }, 30_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (!/listening on/.test(err)) return;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      clearTimeout(timer);
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      child.once('exit', () => resolve({ ms, rssMiB: rssKiB / 1024 }));
      child.kill('SIGTERM');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!/listening on/.test(err)) reject(new Error(`exited with ${code}: ${firstErrorLines(err)}`));
    });
  });
}

function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .reduce((sum, f) => sum + statSync(f).size, 0);
}

export const startup: Benchmark = {
  name: 'startup',
  description: '`fhpa serve` to listening from dist/ (the image) vs from the sources through tsx, and memory',
  async run(opts: BenchOptions): Promise<Figures> {
    const build = await exec('npm', ['run', 'build', '--silent'], { cwd: opts.root });
    if (build.code !== 0) return { error: `npm run build failed: ${firstErrorLines(build.stderr)}` };
    const runs = Number(opts.flags.runs ?? (opts.quick ? 3 : 7));
    const dist = { ms: [] as number[], rss: [] as number[] };
    const tsx = { ms: [] as number[], rss: [] as number[] };
    for (let i = 0; i < runs; i++) {
      for (const [entry, into] of [
        ['dist/fhpa.mjs', dist],
        ['bin/fhpa.mjs', tsx],
      ] as const) {
        const r = await startOnce(join(opts.root, entry), opts.root);
        into.ms.push(r.ms);
        into.rss.push(r.rssMiB);
      }
      opts.log(
        `run ${i + 1}/${runs}: dist ${round(dist.ms.at(-1) ?? 0, 0)} ms, tsx ${round(tsx.ms.at(-1) ?? 0, 0)} ms`,
      );
    }
    return {
      runs,
      distListenMedianMs: round(median(dist.ms), 1),
      tsxListenMedianMs: round(median(tsx.ms), 1),
      listenRatioDistOverTsx: round(median(dist.ms) / median(tsx.ms), 3),
      distRssMedianMiB: round(median(dist.rss), 1),
      tsxRssMedianMiB: round(median(tsx.rss), 1),
      distBytes: bytesUnder(join(opts.root, 'dist/chunks')) + statSync(join(opts.root, 'dist/fhpa.mjs')).size,
    };
  },
};
