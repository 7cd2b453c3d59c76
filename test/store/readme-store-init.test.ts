// README "History, concurrency and failures": the local DynamoDB block run as written, in bash from the checkout
// (port 8000 becomes a free port), with no AWS variables and a HOME without ~/.aws: `store init` against a
// loopback endpoint must work without dummy credentials (issue 19.8).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const at = readme.indexOf('To try the DynamoDB store on your machine');
const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1] ?? '';

describe('README: fhpa store init against dynalite', () => {
  it('creates the table with no AWS credentials in the environment', async () => {
    expect(at).toBeGreaterThan(0);
    expect(block).toContain('store init');
    const port = await freePort();
    const home = await mkdtemp(join(tmpdir(), 'fhpa-store-init-'));
    // Its own process group, so the backgrounded dynalite is stopped with the shell.
    const proc = spawn('bash', ['-ec', block.replaceAll('8000', String(port))], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: home },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      // 'exit', not 'close': the backgrounded dynalite keeps the pipes open.
      const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
      expect(out).toContain(
        `created DynamoDB table "fhpa-history" in us-east-1 at http://127.0.0.1:${port} (ACTIVE)`,
      );
      expect(code).toBe(0);
    } finally {
      process.kill(-(proc.pid as number), 'SIGKILL');
      await rm(home, { recursive: true, force: true });
    }
  }, 60_000);
});
