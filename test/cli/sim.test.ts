// `fhpa sim` and `fhpa sim load` refusing bad input: one line naming the problem, exit status 2 (1 when the
// input is fine but no playground answers), and no server left listening. The working playground is run
// as a user runs it in test/cli/try-the-server.test.ts.
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sim } from '../../src/cli/sim.ts';
import { startPlayground } from '../../src/demo/playground.ts';
import { memoryIO } from '../support/memory-io.ts';

let dir: string;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fhpa-sim-'));
  writeFileSync(join(dir, 'a-file'), '');
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('fhpa sim refuses bad input in one line, exit 2', () => {
  it.each([
    [
      'a busy port',
      () => ['--port', String(busyPort), '--kubeconfig', join(dir, 'k1')],
      /--port: \d+ is already in use on 127\.0\.0\.1/,
    ],
    ['a bad flag', () => ['--bogus'], /Unknown option '--bogus'/],
    [
      'a port that is not a number',
      () => ['--port', 'http'],
      /--port: an integer from 0 to 65535, not "http"/,
    ],
    ['a port out of range', () => ['--port', '70000'], /--port: an integer from 0 to 65535/],
    [
      'an unwritable kubeconfig path',
      () => ['--kubeconfig', join(dir, 'a-file', 'kubeconfig')],
      /--kubeconfig: cannot write .*a-file\/kubeconfig \(ENOTDIR\)/,
    ],
    ['load without --rps', () => ['load'], /fhpa sim load: --rps: a number of requests per second/],
    [
      'load with a negative --rps',
      () => ['load', '--rps=-3'],
      /--rps: a number of requests per second, 0 or more/,
    ],
    ['load with a bad flag', () => ['load', '--rps', '2', '--replicas', '3'], /Unknown option '--replicas'/],
  ])('%s', async (_, args, message) => {
    const { io, err, out } = memoryIO();
    expect(await sim(args(), io)).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]?.split('\n')).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it('says when no playground is running, exit 1', async () => {
    const { io, err } = memoryIO();
    expect(await sim(['load', '--rps', '5', '--kubeconfig', join(dir, 'none')], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/no kubeconfig at .*none: start fhpa sim first/)]);
  });
});

describe('the playground', () => {
  it('writes an owner-only kubeconfig whose CA signed the certificate it serves, and a working token', async () => {
    const file = join(dir, 'ok.kubeconfig');
    const pg = await startPlayground({ port: 0, kubeconfig: file, empty: true });
    if ('error' in pg) throw new Error(pg.error);
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const config = parse(readFileSync(file, 'utf8'));
      expect(config['current-context']).toBe('karmada-apiserver');
      expect(config.clusters[0].cluster.server).toBe(pg.url);
      const ca = new X509Certificate(
        Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64'),
      );
      expect(ca.ca).toBe(true);
      // Over HTTPS verified against that CA, with the kubeconfig's token (the sim refuses requests without it).
      const { io, out, err } = memoryIO();
      expect(await sim(['load', '--rps', '3', '--kubeconfig', file], io)).toBe(0);
      expect(err).toEqual([]);
      expect(out).toEqual(['default/sample-app: 3 requests per second']);
      expect(pg.sim.state.loadOf('default', 'sample-app').rps).toBe(3);
    } finally {
      await pg.close();
    }
  });
});
