import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

// The real Alertmanager (Debian's prometheus-alertmanager, installed by .ci/run) on a loopback port with a temp
// storage directory, for tests that drive it as an operator would. Clustering is off (an empty
// --cluster.listen-address): a lone instance would otherwise wait for gossip to settle before notifying.

const run = promisify(execFile);

export interface RunningAlertmanager {
  url: string;
  dir: string;
  /** POST /api/v2/alerts, as Prometheus (or `amtool alert add`) sends them. */
  postAlerts(alerts: AlertInput[]): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

export interface AlertInput {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  /** In the past: the alert is resolved. */
  endsAt?: string;
}

/**
 * Writes `files` and the configuration (YAML text, given the temp dir so it can name those files) into a temp
 * dir, starts Alertmanager on it, and waits until it is ready.
 */
export async function startAlertmanager(
  config: (dir: string) => string,
  files: Record<string, string> = {},
): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'fhpa-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yaml'), config(dir));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const proc: ChildProcess = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${join(dir, 'alertmanager.yaml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (proc.exitCode !== null) {
      await stop();
      throw new Error(`alertmanager exited with ${proc.exitCode}: ${out}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`alertmanager did not become ready: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    dir,
    output: () => out,
    stop,
    async postAlerts(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(alerts.map((a) => ({ annotations: {}, ...a }))),
      });
      if (!res.ok) throw new Error(`POST /api/v2/alerts: ${res.status} ${await res.text()}`);
    },
  };
}

/** `amtool ARGS...`; resolves with stdout, rejects with amtool's output when it exits non-zero. */
export async function amtool(args: string[]): Promise<string> {
  try {
    const { stdout } = await run('amtool', args, { encoding: 'utf8' });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`amtool ${args.join(' ')}: ${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`);
  }
}
export { freePort };
