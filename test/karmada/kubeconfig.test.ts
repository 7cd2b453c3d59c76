import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectionFromCluster, connectionFromKubeconfig } from '../../src/karmada/kubeconfig.ts';

// Connections loaded through @kubernetes/client-node 1.4's KubeConfig: context choice (karmadactl init
// writes the `karmada-apiserver` context), certificate data, token files, and the in-cluster service account.

const CA = readFileSync(new URL('./fixtures/ca.pem', import.meta.url), 'utf8');
const CLIENT = readFileSync(new URL('./fixtures/client.pem', import.meta.url), 'utf8');
const CLIENT_KEY = readFileSync(new URL('./fixtures/client-key.pem', import.meta.url), 'utf8');
const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(dir: string): string {
  const file = join(dir, 'karmada.config');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
current-context: member1
clusters:
- name: karmada-apiserver
  cluster:
    server: https://172.18.0.2:5443
    certificate-authority-data: ${b64(CA)}
- name: member1
  cluster:
    server: https://172.18.0.3:6443
    insecure-skip-tls-verify: true
users:
- name: karmada-apiserver
  user:
    client-certificate-data: ${b64(CLIENT)}
    client-key-data: ${b64(CLIENT_KEY)}
- name: member1
  user:
    token: member-token
contexts:
- name: karmada-apiserver
  context: {cluster: karmada-apiserver, user: karmada-apiserver}
- name: member1
  context: {cluster: member1, user: member1}
`,
  );
  return file;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('connectionFromKubeconfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fhpa-kubeconfig-'));
  const file = kubeconfig(dir);

  it('uses the named context: server, CA and client certificate as PEM', async () => {
    expect(await connectionFromKubeconfig(file, 'karmada-apiserver')).toEqual({
      server: 'https://172.18.0.2:5443',
      caData: CA,
      certData: CLIENT,
      keyData: CLIENT_KEY,
    });
  });

  it('defaults to current-context: a static token, no rotation', async () => {
    const conn = await connectionFromKubeconfig(file);
    expect(conn).toEqual({
      server: 'https://172.18.0.3:6443',
      insecureSkipTLSVerify: true,
      token: 'member-token',
    });
  });

  it('names the contexts it has when the asked one is missing', async () => {
    await expect(connectionFromKubeconfig(file, 'karmada')).rejects.toThrow(
      `kubeconfig ${file} has no context "karmada" (contexts: karmada-apiserver, member1)`,
    );
  });
});

describe('connectionFromCluster', () => {
  it('reads the service account CA and token, with getToken for the rotating token file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fhpa-sa-'));
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'ca.crt'), CA);
    writeFileSync(join(sa, 'token'), 'sa-token-1');
    writeFileSync(join(sa, 'namespace'), 'karmada-system');
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.96.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    const conn = await connectionFromCluster(root);
    expect([conn.server, conn.caData, conn.token]).toEqual(['https://10.96.0.1:443', CA, 'sa-token-1']);
    expect(await conn.getToken?.()).toBe('sa-token-1');
  });
});
