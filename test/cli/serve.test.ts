// `fhpa serve` as an operator runs it: a separate process configured only by FHPA_* variables, against the
// simulated Karmada over loopback HTTP; it answers the trigger routes with auth, exposes /metrics, and exits
// cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '../../src/cli/serve.ts';
import { createLogger } from '../../src/log.ts';
import { serveNode } from '../../src/runtime/node.ts';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';
import { memoryIO } from '../support/memory-io.ts';
import { seedFederatedHPA } from '../support/seed.ts';

const BIN = fileURLToPath(new URL('../../bin/fhpa.mjs', import.meta.url));
const TOKEN = 'serve-test-token-0123456789abcdef';

let sim: Simulator | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await sim?.close();
  sim = undefined;
});

/** Starts `fhpa serve` and resolves with its URL once it says it is listening. */
function start(env: Record<string, string>): Promise<{ url: string; stderr: () => string }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-sweep'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fhpa serve did not start: ${err}`)), 20_000);
    proc.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], stderr: () => err });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fhpa serve exited with ${code}: ${err}`));
    });
  });
}

describe('fhpa serve', () => {
  it('serves the trigger routes against Karmada, counts evaluations on /metrics, stops on SIGTERM', async () => {
    sim = await startSimulator({
      clusters: ['member1', 'member2'],
      clock: 'realtime',
      podStartupDelaySeconds: 0,
    });
    sim.applyWalkthrough();
    // No scale-up window: a first evaluation remembers the current size (Kubernetes' recordInitialRecommendation),
    // which a window would hold it to.
    sim.applyFederatedHPA(
      seedFederatedHPA({
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0 },
          scaleDown: { stabilizationWindowSeconds: 10 },
        },
      }),
    );
    sim.setLoad('default', 'sample-app', { rps: 20 });
    const server = await start({
      FHPA_KARMADA_SERVER: sim.url,
      FHPA_KARMADA_TOKEN: sim.token,
      FHPA_AUTH_TOKEN: TOKEN,
      FHPA_LOG_LEVEL: 'warn',
    });

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const unauthenticated = await fetch(`${server.url}/evaluate/default/sample-app`, { method: 'POST' });
    expect(unauthenticated.status).toBe(401);

    const res = await fetch(`${server.url}/evaluate/default/sample-app`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    // 20 req/s on one pod against 700m wants 29; the default scale-up policy allows +4 pods: 5.
    expect(await res.json()).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 5 });
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 3, member2: 2 });

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/fhpa_evaluations_total\{[^}]*outcome="scaled"[^}]*\} 1/);

    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
    child?.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(server.stderr()).not.toContain(TOKEN);
    expect(server.stderr()).not.toContain(sim.token);
  });

  it('names the missing variables and exits 2 when Karmada is not configured', async () => {
    const { io, err } = memoryIO();
    expect(await serve(['--port', '0'], io)).toBe(2);
    expect(err.join('\n')).toContain('FHPA_KARMADA_SERVER');
  });

  it.each([
    [['--port', 'http'], '--port: an integer from 0 to 65535'],
    [['--tls-cert', 'cert.pem'], '--tls-cert and --tls-key: give both or neither'],
    [['--sweep', '--no-sweep'], '--sweep and --no-sweep: give one'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j: %s', async (args, message) => {
    const { io, err } = memoryIO();
    expect(await serve(args, io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });
});

// Issue 18.4: a server without trigger credentials fails closed; it says so at start-up instead of silently.
describe('serveNode start-up', () => {
  it.each([
    ['no credentials', {}, true],
    ['a bearer token', { FHPA_AUTH_TOKEN: TOKEN }, false],
  ])('with %s: warns that the trigger routes refuse everyone: %s', async (_name, auth, warns) => {
    const lines: string[] = [];
    const handle = await serveNode({
      rawEnv: {
        FHPA_KARMADA_SERVER: 'https://127.0.0.1:1',
        FHPA_KARMADA_TOKEN: 'karmada-token-0123',
        ...auth,
      },
      port: 0,
      host: '127.0.0.1',
      log: createLogger({ sink: (l) => lines.push(l) }),
    });
    await handle.close();
    const warning = lines.find((l) => l.includes('no trigger credentials set'));
    expect(warning !== undefined).toBe(warns);
    if (warning) expect(JSON.parse(warning)).toMatchObject({ level: 'warn' });
  });

  // Issue 19.8: the start-up log names Karmada and the store, without credentials (a URL may carry some).
  it('names the Karmada URL and the store, without credentials', async () => {
    const lines: string[] = [];
    const handle = await serveNode({
      rawEnv: {
        FHPA_KARMADA_SERVER: 'https://admin:s3cret-pass@127.0.0.1:1/prefix?token=q-secret',
        FHPA_KARMADA_TOKEN: 'karmada-token-0123',
        FHPA_AUTH_TOKEN: TOKEN,
      },
      port: 0,
      host: '127.0.0.1',
      log: createLogger({ sink: (l) => lines.push(l) }),
    });
    await handle.close();
    const line = lines.find((l) => l.includes('fhpa configured'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 'info',
      karmada: 'https://127.0.0.1:1/prefix',
      store: 'embedded (in-process; histories last as long as the process)',
      scope: 'karmada',
    });
    for (const secret of ['s3cret-pass', 'q-secret', 'karmada-token-0123', TOKEN])
      expect(lines.join('\n')).not.toContain(secret);
  });
});
