import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Benchmark, BenchOptions, Figures } from './benchmark.ts';
import { coldImportMs, exec, firstErrorLines } from './child.ts';
import { median, round } from './stats.ts';

// Issue 8, `bundle`: the Worker bundle's gzip size (the project's target: under 1 MiB), the Lambda bundle's
// size, and the cold import of the Lambda handler against importing hono alone, both in fresh node processes
// and reported as a ratio, since these machines are noisy.
//
// Flags: --lambda-entry=PATH (default functions/lambda.ts), --wrangler-config=PATH (default wrangler.toml),
// --runs=N (default 5, 3 with --quick).

const LAMBDA_OUT = 'dist/lambda/index.mjs';
const LAMBDA_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
const WORKER_OUT = 'dist/worker';
const WORKER_TARGET_BYTES = 1024 * 1024;

/** Every .js/.mjs file under `dir`, in name order so the figures are stable. */
function scripts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => /\.m?js$/.test(f) && statSync(f).isFile())
    .sort();
}

const gzipBytes = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** What one step measured, and why it measured nothing if it failed. */
interface Part {
  figures: Figures;
  error?: string;
}

async function buildLambda(opts: BenchOptions, entry: string): Promise<Part> {
  if (!existsSync(resolve(opts.root, entry))) return { figures: {}, error: `${entry} does not exist yet` };
  rmSync(join(opts.root, 'dist/lambda'), { recursive: true, force: true });
  const r = await exec(
    join(opts.root, 'node_modules/.bin/esbuild'),
    [
      entry,
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node22',
      // As package.json's build:lambda: code split, so what is imported on first use (the AWS SDK, the
      // kubeconfig loader) is a chunk of its own that a cold start does not parse; the entry is index.mjs.
      '--splitting',
      '--outdir=dist/lambda',
      '--entry-names=index',
      '--out-extension:.js=.mjs',
      // Source maps for the template's NODE_OPTIONS=--enable-source-maps: stack traces name src/ lines. Without
      // the sources' text, which Node does not need to map a frame.
      '--sourcemap',
      '--sources-content=false',
      // CommonJS dependencies bundled into ESM call require() for Node's built-ins, which an ES module lacks.
      `--banner:js=${LAMBDA_BANNER}`,
      '--log-level=error',
    ],
    { cwd: opts.root },
  );
  if (r.code !== 0) return { figures: {}, error: `esbuild failed: ${firstErrorLines(r.stderr)}` };
  const out = join(opts.root, LAMBDA_OUT);
  return {
    figures: {
      lambdaBytes: statSync(out).size,
      // The code a cold start may load: index.mjs and its chunks, not their source maps.
      lambdaTotalBytes: scripts(join(opts.root, 'dist/lambda')).reduce((n, f) => n + statSync(f).size, 0),
      lambdaGzipBytes: gzipBytes(out),
      lambdaBuildMs: round(r.ms, 0),
    },
  };
}

async function buildWorker(opts: BenchOptions, config: string): Promise<Part> {
  if (!existsSync(resolve(opts.root, config))) return { figures: {}, error: `${config} does not exist` };
  const outdir = join(opts.root, WORKER_OUT);
  rmSync(outdir, { recursive: true, force: true });
  const r = await exec(
    join(opts.root, 'node_modules/.bin/wrangler'),
    // absolute: wrangler resolves a relative --outdir against the config file's folder
    ['deploy', '--dry-run', '--outdir', outdir, '--config', config],
    { cwd: opts.root, env: { WRANGLER_SEND_METRICS: 'false', CI: 'true' } },
  );
  if (r.code !== 0)
    return { figures: {}, error: `wrangler dry-run failed: ${firstErrorLines(r.stdout + r.stderr)}` };
  const files = scripts(outdir);
  if (files.length === 0) return { figures: {}, error: `wrangler wrote no .js file to ${WORKER_OUT}` };
  // wrangler's own "Total Upload: x KiB / gzip: y KiB", kept as a cross-check of our gzip figure
  const reported = /gzip:\s*([\d.]+)\s*KiB/.exec(r.stdout + r.stderr);
  const workerGzipBytes = files.reduce((n, f) => n + gzipBytes(f), 0);
  return {
    figures: {
      workerBytes: files.reduce((n, f) => n + statSync(f).size, 0),
      workerGzipBytes,
      workerUnderTarget: workerGzipBytes < WORKER_TARGET_BYTES,
      workerFiles: files.map((f) => relative(opts.root, f)),
      ...(reported ? { wranglerGzipKiB: Number(reported[1]) } : {}),
      workerBuildMs: round(r.ms, 0),
    },
  };
}

/**
 * Alternates the two imports run by run (lambda first on even runs, hono first on odd ones) so that drift
 * in machine load falls on both; one untimed pair first warms the file cache.
 */
async function coldImports(opts: BenchOptions, runs: number): Promise<Figures> {
  const bundle = join(opts.root, LAMBDA_OUT);
  const lambda: number[] = [];
  const hono: number[] = [];
  await coldImportMs(bundle, opts.root);
  await coldImportMs('hono', opts.root);
  for (let i = 0; i < runs; i++) {
    const pair = [
      async () => lambda.push(await coldImportMs(bundle, opts.root)),
      async () => hono.push(await coldImportMs('hono', opts.root)),
    ];
    if (i % 2 === 1) pair.reverse();
    for (const step of pair) await step();
    opts.log(
      `  run ${i + 1}/${runs}: lambda ${lambda.at(-1)!.toFixed(1)} ms, hono ${hono.at(-1)!.toFixed(1)} ms`,
    );
  }
  const coldImport = median(lambda);
  const baseline = median(hono);
  return {
    coldImportMs: round(coldImport, 2),
    baselineImportMs: round(baseline, 2),
    ratio: round(coldImport / baseline, 2),
    runs,
    coldImportSamplesMs: lambda.map((ms) => round(ms, 2)),
    baselineSamplesMs: hono.map((ms) => round(ms, 2)),
  };
}

export const bundle: Benchmark = {
  name: 'bundle',
  description: 'Worker gzip size (wrangler dry-run), Lambda bundle size (esbuild), cold import vs hono alone',
  async run(opts) {
    const runs = Number(opts.flags.runs ?? (opts.quick ? 3 : 5));
    if (!Number.isInteger(runs) || runs < 1)
      return { error: `--runs must be a positive integer, got ${opts.flags.runs}` };
    opts.log('building the Lambda bundle with esbuild');
    const lambda = await buildLambda(opts, opts.flags['lambda-entry'] ?? 'functions/lambda.ts');
    opts.log('building the Worker with wrangler deploy --dry-run');
    const worker = await buildWorker(opts, opts.flags['wrangler-config'] ?? 'wrangler.toml');
    let imports: Part = { figures: {} };
    if (lambda.error === undefined) {
      opts.log(`timing cold imports, ${runs} runs each`);
      imports = await coldImports(opts, runs).then(
        (figures) => ({ figures }),
        (err: Error) => ({ figures: {}, error: err.message }),
      );
    }
    const parts = [worker, lambda, imports];
    const errors = parts.flatMap((p) => (p.error === undefined ? [] : [p.error]));
    return Object.assign(
      {},
      ...parts.map((p) => p.figures),
      errors.length > 0 ? { error: errors.join('; ') } : {},
    );
  },
};
