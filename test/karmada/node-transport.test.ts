import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BodyError } from '../../src/karmada/body.ts';
import type { Connection } from '../../src/karmada/connection.ts';
import { isPermanent } from '../../src/karmada/errors.ts';
import { nodeTransport } from '../../src/karmada/node-transport.ts';
import { RestClient } from '../../src/karmada/rest-client.ts';
import { bindTransport, fetchTransport, TransportTimeout } from '../../src/karmada/transport.ts';

// node:https transport against a loopback TLS server with a private CA (fixtures/README.md): the CA is
// trusted only when the connection carries it, a client certificate is presented for mTLS, and the
// web-standard Request/Response conversion keeps method, headers, body and status.

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const CA = fixture('ca.pem');
const b64 = (s: string) => Buffer.from(s).toString('base64');

let tlsServer: https.Server;
let plainServer: http.Server;
let tlsUrl: string;
let plainUrl: string;

beforeAll(async () => {
  tlsServer = https.createServer(
    {
      cert: fixture('server.pem'),
      key: fixture('server-key.pem'),
      ca: CA,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ clientCN: peer?.subject?.CN ?? null, auth: req.headers.authorization ?? null }),
      );
    },
  );
  plainServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.url === '/hang') return; // never answers
      if (req.url?.startsWith('/big')) {
        // 4 KiB, declared or (chunked) not: the body bound must hold either way.
        if (req.url === '/big/declared') res.writeHead(200, { 'content-length': '4096' });
        for (let i = 0; i < 4; i++) res.write('x'.repeat(1024));
        res.end();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' });
      res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body, url: req.url }));
    });
  });
  const listen = (s: http.Server) =>
    new Promise<string>((resolve) =>
      s.listen(0, '127.0.0.1', () => resolve(String((s.address() as AddressInfo).port))),
    );
  tlsUrl = `https://127.0.0.1:${await listen(tlsServer)}`;
  plainUrl = `http://127.0.0.1:${await listen(plainServer)}`;
});

afterAll(async () => {
  for (const s of [tlsServer, plainServer]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const call = (conn: Connection, transport = nodeTransport({ connection: conn })) =>
  new RestClient({ connection: conn, transport, backoff: { maxAttempts: 1 } }).request({
    verb: 'get',
    path: '/',
    resource: 'root',
    schema: z.object({ clientCN: z.string().nullable(), auth: z.string().nullable() }),
  });

describe('nodeTransport over TLS', () => {
  it.each([
    { name: 'CA as PEM', conn: { caData: CA } },
    { name: 'CA as base64 of PEM (kubeconfig certificate-authority-data)', conn: { caData: b64(CA) } },
  ])('trusts the private CA given as $name', async ({ conn }) => {
    expect(await call({ server: tlsUrl, token: 't0ken', ...conn })).toEqual({
      clientCN: null,
      auth: 'Bearer t0ken',
    });
  });

  it('presents the client certificate (mTLS)', async () => {
    const conn = {
      server: tlsUrl,
      caData: CA,
      certData: b64(fixture('client.pem')),
      keyData: fixture('client-key.pem'),
    };
    expect((await call(conn)).clientCN).toBe('system:serviceaccount:karmada-system:fhpa');
  });

  it('refuses a server whose CA it was not given, as a TLS failure that retrying cannot fix', async () => {
    const err = await call({ server: tlsUrl }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'TLSVerificationFailed', status: 0 });
    expect(isPermanent(err)).toBe(true);
  });

  it('does not retry a TLS verification failure (the same certificate comes back)', async () => {
    const conn = { server: tlsUrl };
    const client = new RestClient({
      connection: conn,
      transport: nodeTransport({ connection: conn }),
      backoff: { maxAttempts: 4, baseMs: 1 },
    });
    const err = await client
      .request({ verb: 'get', path: '/', resource: 'root', schema: z.unknown() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'TLSVerificationFailed', attempts: 1 });
  });

  it('skips verification only when asked', async () => {
    expect((await call({ server: tlsUrl, insecureSkipTLSVerify: true })).auth).toBeNull();
  });

  it('checks the certificate against tlsServerName', async () => {
    const conn = { server: tlsUrl, caData: CA, tlsServerName: 'karmada-apiserver' };
    expect((await call(conn)).clientCN).toBeNull();
    await expect(call({ ...conn, tlsServerName: 'elsewhere' })).rejects.toMatchObject({
      reason: 'TLSVerificationFailed',
    });
  });

  it('takes the connection from the adapter when created without one (how the runtimes build it)', async () => {
    const conn = { server: tlsUrl, caData: CA };
    const bound = bindTransport(nodeTransport(), conn);
    expect(bound.warning).toBeUndefined();
    expect((await call(conn, bound.transport as ReturnType<typeof nodeTransport>)).clientCN).toBeNull();
  });
});

describe('bindTransport', () => {
  it('warns that fetch cannot use a private CA or client certificate', () => {
    const bound = bindTransport(fetchTransport(), {
      server: 'https://k:5443',
      caData: CA,
      certData: 'x',
      keyData: 'y',
    });
    expect(bound.warning).toBe(
      'the fetch transport ignores caData, client certificate: the server certificate must chain to a public CA',
    );
  });
  it('says nothing for a plain https connection', () => {
    expect(bindTransport(fetchTransport(), { server: 'https://k', token: 't' }).warning).toBeUndefined();
  });
});

describe('nodeTransport request/response conversion', () => {
  it('keeps method, body, content type, query, status and headers', async () => {
    const res = await nodeTransport()(
      new Request(`${plainUrl}/apis/x?limit=5`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: '{"spec":{"replicas":2}}',
      }),
    );
    expect([res.status, res.headers.get('x-echo')]).toEqual([201, 'yes']);
    expect(await res.json()).toEqual({
      method: 'PATCH',
      type: 'application/merge-patch+json',
      body: '{"spec":{"replicas":2}}',
      url: '/apis/x?limit=5',
    });
  });

  it('aborts with the request signal', async () => {
    const req = new Request(`${plainUrl}/hang`, { signal: AbortSignal.timeout(30) });
    await expect(nodeTransport()(req)).rejects.toThrow();
  });
});

describe('nodeTransport plain fast path (what the REST client uses)', () => {
  const plain = (over: { url: string; method?: string; body?: string; timeoutMs?: number; max?: number }) => {
    const send = nodeTransport().plain;
    if (!send) throw new Error('nodeTransport has no plain path');
    return send({
      method: over.method ?? 'GET',
      url: over.url,
      headers: { 'content-type': 'application/merge-patch+json' },
      ...(over.body !== undefined ? { body: over.body } : {}),
      timeoutMs: over.timeoutMs ?? 5_000,
      maxBodyBytes: over.max ?? 1024 * 1024,
    });
  };

  it('keeps method, body, content type, query, status and headers', async () => {
    const res = await plain({ url: `${plainUrl}/apis/x?limit=5`, method: 'PATCH', body: '{"n":"é"}' });
    expect([res.status, res.header('X-Echo'), res.header('absent')]).toEqual([201, 'yes', null]);
    expect(JSON.parse(res.text)).toEqual({
      method: 'PATCH',
      type: 'application/merge-patch+json',
      body: '{"n":"é"}',
      url: '/apis/x?limit=5',
    });
  });

  it('gives up after its timeout with TransportTimeout, which the client reports as Timeout', async () => {
    await expect(plain({ url: `${plainUrl}/hang`, timeoutMs: 30 })).rejects.toBeInstanceOf(TransportTimeout);
    const client = new RestClient({
      connection: { server: plainUrl },
      transport: nodeTransport(),
      timeoutMs: 30,
      backoff: { maxAttempts: 1 },
    });
    await expect(
      client.request({ verb: 'get', path: '/hang', resource: 'hang', schema: z.unknown() }),
    ).rejects.toMatchObject({ reason: 'Timeout', status: 0 });
  });

  it.each(['/big/declared', '/big/chunked'])('refuses a body over the bound (%s)', async (path) => {
    await expect(plain({ url: `${plainUrl}${path}`, max: 1000 })).rejects.toBeInstanceOf(BodyError);
    expect((await plain({ url: `${plainUrl}${path}`, max: 4096 })).text).toHaveLength(4096);
  });
});
