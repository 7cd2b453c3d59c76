import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

// A real Prometheus (Debian's `prometheus`, which .ci/run installs) on a free loopback port with a temporary
// TSDB, scraping the loopback targets a test serves every second, so real series (and real rate()s) exist.
// Stopped with SIGTERM and its directory removed by stop().

export interface PrometheusServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Polls an instant query until `accept` likes its JSON result (or the deadline passes: then throws). */
  waitFor(query: string, accept: (result: unknown[]) => boolean, timeoutMs?: number): Promise<unknown[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(targets: string[], job = 'fhpa-test'): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'fhpa-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 900ms',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      `  - job_name: ${job}`,
      '    static_configs:',
      `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };

  const query = async (q: string): Promise<unknown[] | undefined> => {
    const res = await fetch(`${url}/api/v1/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: q }),
    }).catch(() => undefined);
    if (!res?.ok) return undefined;
    const json = (await res.json()) as { data?: { result?: unknown[] } };
    return json.data?.result;
  };
  const waitFor: PrometheusServer['waitFor'] = async (q, accept, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
      const result = await query(q);
      if (result && accept(result)) return result;
      if (Date.now() > deadline) throw new Error(`prometheus: "${q}" never matched; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await waitFor(`up{job="${job}"} == 1`, (r) => r.length === targets.length);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, waitFor, stop };
}
export { freePort };
