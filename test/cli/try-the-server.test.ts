// README "Try the server", run as written: its three terminals' code blocks, each in its own shell, in a
// directory holding what a checkout holds (bin/ and examples/, linked). The only change: port 8080 becomes a
// free port, so the test never collides with anything listening. Ctrl-C is sent as a terminal sends it, to
// each terminal's process group.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Try the server'),
  readme.indexOf('\n## ', readme.indexOf('## Try the server') + 3),
);
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const run = promisify(execFile);

interface Terminal {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** A terminal running one block; resolves once its stderr matches `ready`. */
function terminal(script: string, cwd: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<Terminal> {
  const proc = spawn('bash', ['-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${err}`)), 30_000);
    proc.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (ready.test(err)) {
        clearTimeout(timer);
        resolve({ proc, stderr: () => err, exited });
      }
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
}

const ctrlC = async (t: Terminal | undefined) => {
  if (!t || t.proc.exitCode !== null) return undefined;
  process.kill(-(t.proc.pid as number), 'SIGINT');
  return t.exited;
};

describe('README "Try the server"', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let sim: Terminal | undefined;
  let server: Terminal | undefined;
  let port: number;

  beforeAll(async () => {
    expect(blocks).toHaveLength(3);
    dir = await mkdtemp(join(tmpdir(), 'fhpa-try-'));
    for (const link of ['bin', 'examples']) await symlink(join(ROOT, link), join(dir, link));
    // kubectl keeps its discovery cache under $HOME.
    env = { PATH: process.env.PATH, HOME: dir };
    port = await freePort();
  });
  afterAll(async () => {
    for (const t of [server, sim])
      if (t?.proc.exitCode === null) process.kill(-(t.proc.pid as number), 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('terminal 1 prints the playground URL first, and terminal 2 serves against it', async () => {
    sim = await terminal(blocks[0] as string, dir, env, /kubeconfig .*\n/);
    expect(sim.stderr().split('\n')[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    server = await terminal(
      (blocks[1] as string).replaceAll('8080', String(port)),
      dir,
      env,
      /listening on http:\/\/127\.0\.0\.1:\d+/,
    );
  }, 60_000);

  it('terminal 3 sees sample-app at 1, drives load, and gets a scale to 5 it can see with kubectl', async () => {
    const { stdout } = await run('bash', ['-ec', (blocks[2] as string).replaceAll('8080', String(port))], {
      cwd: dir,
      env,
      timeout: 60_000,
    });
    const [before, after] = stdout.split(/(?=NAME\s+READY)/).filter((s) => s.startsWith('NAME'));
    expect(before).toMatch(/deployment\.apps\/sample-app\s+1\/1\s+1\s+1/);
    expect(before).toMatch(/federatedhpa\.autoscaling\.karmada\.io\/sample-app/);
    expect(stdout).toContain('default/sample-app: 20 requests per second');
    const decisions = [...stdout.matchAll(/^\{.*\}$/gm)].map((m) => JSON.parse(m[0]));
    expect(decisions[0]).toMatchObject({ outcome: 'unchanged', currentReplicas: 1, desiredReplicas: 1 });
    expect(decisions[1]).toMatchObject({ alerts: [{ outcome: 'scaled', desiredReplicas: 5 }] });
    expect(after).toMatch(/deployment\.apps\/sample-app\s+5\/5\s+5\s+5/);
  }, 90_000);

  it('starts every long-running command in the README and the manifests with node itself (never npx or npm)', () => {
    const texts = [
      readme,
      ...['infra/k8s/base/deployment.yaml', 'infra/k8s/overlays/dynamodb/sweep-statefulset.yaml'].map((f) =>
        readFileSync(join(ROOT, f), 'utf8'),
      ),
    ];
    for (const text of texts) expect(text).not.toMatch(/\b(npx|npm run|npm exec) (fhpa )?(serve|sim)\b/);
    expect(section).toMatch(/node bin\/fhpa\.mjs sim\n/);
    expect(section).toMatch(/node bin\/fhpa\.mjs serve /);
  });

  it('both stop on Ctrl-C with status 0', async () => {
    expect(await ctrlC(server)).toBe(0);
    expect(await ctrlC(sim)).toBe(0);
  }, 30_000);
});
