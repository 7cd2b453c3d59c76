// The container image, run without Docker (no registry for base images here): the Dockerfile's stages are built
// into temporary directories as written (test/support/dockerfile.ts), except that the build stage's full
// `npm ci` is the checkout's own node_modules (same lock file). The deps stage's `npm ci --omit=dev` really
// runs (from the npm cache), and the runtime stage is then started as its ENTRYPOINT with the args a
// `docker run IMAGE serve ...` would give: it must answer /healthz and an AdmissionReview with no dev
// dependency installed, and exit 0 on SIGTERM. This is also the production build's test: `npm run build` plus
// `npm ci --omit=dev` is all the runtime stage holds.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertNotification } from '../../bench/support/fixtures.ts';
import { admissionReview } from '../support/admission-review.ts';
import {
  buildStages,
  linkNodeModules,
  parseCopy,
  parseDockerfile,
  type StageResult,
} from '../support/dockerfile.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1);
const exec = promisify(execFile);

/** A copy of `docker run IMAGE serve ...`: loopback only, any free port, no sweep (no Karmada here). */
const SERVE_ARGS = ['serve', '--port', '0', '--host', '127.0.0.1', '--no-sweep'];

describe('the Dockerfile', () => {
  it('builds on Node 22 and runs distroless Node 22 as uid 65532, with exec-form ENTRYPOINT and CMD', () => {
    expect(stages.map((s) => s.base)).toEqual([
      'node:22-slim',
      'node:22-slim',
      'gcr.io/distroless/nodejs22-debian12:nonroot',
    ]);
    const ops = runtime?.instructions.map((i) => i.op) ?? [];
    expect(ops).not.toContain('RUN'); // the runtime image has no shell to run anything with
    expect(runtime?.instructions.find((i) => i.op === 'USER')?.args).toBe('65532:65532');
  });

  it('copies nothing from the context that .dockerignore leaves out', () => {
    const admitted = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/$/, ''));
    const fromContext = stages.flatMap((s) =>
      s.instructions
        .filter((i) => i.op === 'COPY')
        .map((i) => parseCopy(i.args))
        .filter((c) => c.from === undefined)
        .flatMap((c) => c.sources),
    );
    expect(fromContext.length).toBeGreaterThan(0);
    for (const source of fromContext) expect(admitted).toContain(source.replace(/^\.\//, ''));
  });
});

describe('the image, run as its runtime stage', () => {
  let dir: string;
  let image: StageResult;
  let child: ChildProcess | undefined;
  let stderr = '';
  let url = '';
  let before: Map<string, number>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fhpa-image-'));
    const built = await buildStages(stages, {
      context: ROOT,
      dir,
      run: async (command, cwd, stage) => {
        if (stage.name === 'build' && /^npm ci\b/.test(command) && !command.includes('--omit=dev'))
          return linkNodeModules(ROOT, cwd);
        await exec('/bin/sh', ['-c', command], {
          cwd,
          env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
          timeout: 120_000,
        });
      },
    });
    image = built.get(runtime?.name ?? '') as StageResult;
    const [node, ...entry] = image.entrypoint ?? [];
    expect(node).toBe('/nodejs/bin/node'); // distroless' node, stood in for by this one
    before = await tree(image.root);
    const argv = [...entry.map((a) => (a.startsWith('/') ? image.host(a) : a)), ...SERVE_ARGS];
    child = spawn(process.execPath, argv, {
      cwd: image.host(image.workdir),
      // Only what the image sets and what a Deployment would: no PATH, no HOME, nothing of this checkout.
      env: {
        ...image.env,
        FHPA_KARMADA_SERVER: 'http://127.0.0.1:9',
        FHPA_KARMADA_TOKEN: 'image-test-karmada-token',
        FHPA_AUTH_TOKEN: 'image-test-auth-token-0123456789',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the image did not start: ${stderr}`)), 20_000);
      child?.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child?.on('exit', (code) => reject(new Error(`the image exited with ${code}: ${stderr}`)));
    });
  }, 180_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the built JavaScript and production dependencies only', async () => {
    const modules = await readdir(image.host('node_modules'));
    for (const dev of ['tsx', 'typescript', 'esbuild', 'vitest', 'wrangler', '@biomejs'])
      expect(modules).not.toContain(dev);
    expect(modules).toContain('hono');
    expect(existsSync(image.host('src'))).toBe(false);
    expect(existsSync(image.host('dist/fhpa.mjs'))).toBe(true);
  });

  it('receives alerts: refuses a notification without the token, answers one with it', async () => {
    // The alert names no FederatedHPA, so the answer needs no Karmada (this image's points nowhere).
    const notification = alertNotification([{ namespace: 'default', name: 'sample-app' }]);
    for (const a of notification.alerts)
      a.labels = { alertname: 'HttpRequestsAboveTarget' } as typeof a.labels;
    const post = (headers: Record<string, string>) =>
      fetch(`${url}/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(notification),
      });
    expect((await post({})).status).toBe(401);
    const res = await post({ authorization: 'Bearer image-test-auth-token-0123456789' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ alerts: [{ outcome: 'ignored' }] });
  });

  it('answers /healthz and an AdmissionReview, then exits 0 on SIGTERM', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const res = await fetch(`${url}/validate-federatedhpa`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        admissionReview(
          'FederatedHPA',
          {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
            minReplicas: 1,
            maxReplicas: 0,
          },
          'image-test-uid',
        ),
      ),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      kind: 'AdmissionReview',
      response: {
        uid: 'image-test-uid',
        allowed: false,
        status: { message: expect.stringContaining('spec.maxReplicas') },
      },
    });
    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
    child?.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
    expect(stderr).not.toContain('image-test-auth-token');
  });

  it('wrote nothing into its filesystem (the Deployment mounts it read-only)', async () => {
    expect(child).toBeUndefined(); // stopped by the test before
    expect(await tree(image.root)).toEqual(before);
  });
});

/** Every file and directory under `root` with its modification time. */
async function tree(root: string): Promise<Map<string, number>> {
  const entries = await readdir(root, { recursive: true });
  const times = await Promise.all(
    entries.map(async (e) => [e, (await stat(join(root, e))).mtimeMs] as const),
  );
  return new Map(times);
}
