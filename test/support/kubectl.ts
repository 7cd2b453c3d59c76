import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';

// The real kubectl pointed at a simulator with no kubeconfig (the simulator runs open: kubectl sends bearer
// tokens only over TLS) and a per-test cache dir. execFile, never execFileSync: the simulator answers from the
// test's own event loop.

const run = promisify(execFile);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectlFor(server: () => string, cacheDir: () => string) {
  const argv = (args: string[]) => [
    '--server',
    server(),
    '--kubeconfig',
    '/dev/null',
    '--cache-dir',
    cacheDir(),
    ...args,
  ];
  /** Runs kubectl; resolves whatever its exit code (kubectl diff exits 1 when it finds differences). */
  const exec = (...args: string[]): Promise<KubectlResult> =>
    run('kubectl', argv(args), { timeout: 20_000 }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({
        code: typeof e.code === 'number' ? e.code : -1,
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
      }),
    );
  /** Runs kubectl and resolves with its standard output; rejects (with its output) on a non-zero exit. */
  const kubectl = async (...args: string[]): Promise<string> => {
    const r = await exec(...args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  return { kubectl, exec };
}

/**
 * The walkthrough (sample-app, its PropagationPolicy and FederatedHPA) on an open simulator, started before
 * the suite's tests and stopped after them, with kubectl pointed at it. Read `sim` and `dir` inside tests.
 */
export function kubectlOnWalkthrough(fhpa: () => Parameters<Simulator['applyFederatedHPA']>[0]) {
  const ctx = { sim: undefined as unknown as Simulator, dir: '' };
  beforeAll(async () => {
    ctx.sim = await startSimulator({ open: true });
    ctx.dir = await mkdtemp(join(tmpdir(), 'fhpa-kubectl-'));
    ctx.sim.applyWalkthrough();
    ctx.sim.applyFederatedHPA(fhpa());
  });
  afterAll(async () => {
    await ctx.sim.close();
    await rm(ctx.dir, { recursive: true, force: true });
  });
  return {
    ctx,
    ...kubectlFor(
      () => ctx.sim.url,
      () => join(ctx.dir, 'cache'),
    ),
  };
}
