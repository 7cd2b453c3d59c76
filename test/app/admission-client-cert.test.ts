// Issue 18.4: FHPA_ADMISSION_CLIENT_CA makes the Node server answer the admission routes only to a client that
// presents a certificate that CA signed (the Karmada API server, configured with an AdmissionConfiguration
// kubeConfigFile), over real TLS; trigger and health routes keep their own authentication.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { type NodeHandle, serveNode } from '../../src/runtime/node.ts';
import { certificateAuthority } from '../../src/sim/tls.ts';
import { admissionReview } from '../support/admission-review.ts';

const TOKEN = 'client-cert-test-token-0123456789';
let dir: string;
let handle: NodeHandle;
let serverCa: string;
let apiServer: { certPem: string; keyPem: string };
let stranger: { certPem: string; keyPem: string };
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fhpa-client-cert-'));
  const now = new Date();
  const serving = await certificateAuthority('fhpa-webhook-ca', now);
  const clients = await certificateAuthority('karmada-client-ca', now);
  const other = await certificateAuthority('someone-else-ca', now);
  serverCa = serving.caPem;
  const server = await serving.issue('fhpa', 'server');
  apiServer = await clients.issue('karmada-apiserver', 'client');
  stranger = await other.issue('karmada-apiserver', 'client');
  await writeFile(join(dir, 'tls.crt'), server.certPem);
  await writeFile(join(dir, 'tls.key'), server.keyPem);
  await writeFile(join(dir, 'client-ca.crt'), clients.caPem);
  env = {
    FHPA_KARMADA_SERVER: 'https://127.0.0.1:1',
    FHPA_KARMADA_TOKEN: 'karmada-token-0123',
    FHPA_AUTH_TOKEN: TOKEN,
    FHPA_ADMISSION_CLIENT_CA: join(dir, 'client-ca.crt'),
  };
  handle = await serveNode({
    rawEnv: env,
    port: 0,
    host: '127.0.0.1',
    tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
    log: silentLogger,
  });
});
afterAll(async () => {
  await handle?.close();
  await rm(dir, { recursive: true, force: true });
});

function call(
  method: string,
  path: string,
  opts: { body?: unknown; client?: { certPem: string; keyPem: string }; token?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${handle.server.url}${path}`,
      {
        method,
        ca: serverCa,
        agent: false,
        ...(opts.client ? { cert: opts.client.certPem, key: opts.client.keyPem } : {}),
        headers: {
          'content-type': 'application/json',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}

const review = () =>
  admissionReview(
    'FederatedHPA',
    { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
    'uid-1',
  );

describe('FHPA_ADMISSION_CLIENT_CA', () => {
  it.each(['/validate-federatedhpa', '/validate-cronfederatedhpa', '/validate'])(
    'refuses %s without a client certificate (401, naming the variable)',
    async (path) => {
      const r = await call('POST', path, { body: review() });
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body).error).toMatch(
        /^a client certificate signed by FHPA_ADMISSION_CLIENT_CA is required/,
      );
    },
  );

  it('refuses a client certificate another CA signed', async () => {
    const r = await call('POST', '/validate-federatedhpa', { body: review(), client: stranger });
    expect(r.status).toBe(401);
  });

  it("answers the API server's certificate with the review", async () => {
    const r = await call('POST', '/validate-federatedhpa', { body: review(), client: apiServer });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).response).toMatchObject({ uid: 'uid-1', allowed: true });
  });

  it('leaves the other routes to their own authentication: no certificate needed', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('POST', '/sweep', { token: 'a-wrong-token-0123456789' })).status).toBe(401);
    expect(
      (await call('POST', '/alerts', { token: TOKEN, body: { version: '4', alerts: [] } })).status,
    ).not.toBe(401);
  });

  it('refuses to start without TLS, naming what is missing', async () => {
    await expect(serveNode({ rawEnv: env, port: 0, host: '127.0.0.1', log: silentLogger })).rejects.toThrow(
      ConfigError,
    );
    await expect(serveNode({ rawEnv: env, port: 0, host: '127.0.0.1', log: silentLogger })).rejects.toThrow(
      /FHPA_ADMISSION_CLIENT_CA: client certificates need TLS/,
    );
  });
});
