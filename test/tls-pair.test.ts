// The Node server's TLS files (src/tls-pair.ts): a swapped, foreign or unreadable pair is refused naming the
// files (issue 19.7), before anything listens; `fhpa serve` exits 2 with that line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../src/cli/serve.ts';
import { loopbackCertificates } from '../src/sim/tls.ts';
import { readTlsPair } from '../src/tls-pair.ts';
import { memoryIO } from './support/memory-io.ts';

let dir: string;
const file = (name: string) => join(dir, name);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fhpa-tls-'));
  const a = await loopbackCertificates(new Date());
  const b = await loopbackCertificates(new Date());
  await writeFile(file('tls.crt'), a.certPem);
  await writeFile(file('tls.key'), a.keyPem);
  await writeFile(file('other.key'), b.keyPem);
  await writeFile(file('junk.pem'), 'not pem at all\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readTlsPair', () => {
  it('reads a matching pair', async () => {
    const pair = await readTlsPair(file('tls.crt'), file('tls.key'));
    expect(pair.cert.toString()).toContain('BEGIN CERTIFICATE');
  });

  it.each([
    [
      'swapped',
      'tls.key',
      'tls.crt',
      (d: string) =>
        `TLS certificate and key are swapped: ${d}/tls.key holds a private key and ${d}/tls.crt a certificate (give --tls-cert ${d}/tls.crt --tls-key ${d}/tls.key)`,
    ],
    [
      'a key of another certificate',
      'tls.crt',
      'other.key',
      (d: string) => `TLS key ${d}/other.key is not the private key of the certificate in ${d}/tls.crt`,
    ],
    [
      'no certificate',
      'junk.pem',
      'tls.key',
      (d: string) => `TLS certificate ${d}/junk.pem: not a PEM certificate`,
    ],
    ['no key', 'tls.crt', 'junk.pem', (d: string) => `TLS key ${d}/junk.pem: not a PEM private key`],
    [
      'a missing file',
      'missing.crt',
      'tls.key',
      (d: string) =>
        `TLS certificate ${d}/missing.crt: ENOENT: no such file or directory, open '${d}/missing.crt'`,
    ],
  ])('%s: names the files', async (_name, cert, key, message) => {
    await expect(readTlsPair(file(cert), file(key))).rejects.toThrow(message(dir));
  });
});

describe('fhpa serve with a swapped pair', () => {
  it('exits 2 naming both files, listening on nothing', async () => {
    const { io, err } = memoryIO();
    io.env = { FHPA_KARMADA_SERVER: 'https://127.0.0.1:1', FHPA_KARMADA_TOKEN: 'karmada-token-0123' };
    const args = ['--port', '0', '--host', '127.0.0.1', '--no-sweep'];
    expect(await serve([...args, '--tls-cert', file('tls.key'), '--tls-key', file('tls.crt')], io)).toBe(2);
    expect(err.at(-1)).toBe(
      `fhpa serve: TLS certificate and key are swapped: ${dir}/tls.key holds a private key and ${dir}/tls.crt a certificate (give --tls-cert ${dir}/tls.crt --tls-key ${dir}/tls.key)`,
    );
  });
});
