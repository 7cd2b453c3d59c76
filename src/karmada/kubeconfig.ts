import { KubeConfig } from '@kubernetes/client-node';
import type { Connection } from './connection.ts';

// Node-only: a Connection from a kubeconfig file (context chosen by name, e.g. `karmada-apiserver`, the
// context karmadactl init writes) or from the in-cluster service account, loaded by @kubernetes/client-node
// 1.4's KubeConfig so every credential form it knows works: token, tokenFile, client certificates, exec
// plugins, auth providers. Tokens that rotate (projected service-account tokens, exec plugins) are read
// again before each request through `getToken`; client-node caches exec credentials until they expire.

export async function connectionFromKubeconfig(file: string, context?: string): Promise<Connection> {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  if (context) {
    if (!kc.getContextObject(context)) {
      const known =
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || 'none';
      throw new Error(`kubeconfig ${file} has no context "${context}" (contexts: ${known})`);
    }
    kc.setCurrentContext(context);
  }
  return fromKubeConfig(kc, `kubeconfig ${file}`);
}

/** In-cluster: KUBERNETES_SERVICE_HOST/PORT, the service account's CA and (rotating) token. */
export async function connectionFromCluster(pathPrefix = ''): Promise<Connection> {
  const kc = new KubeConfig();
  kc.loadFromCluster(pathPrefix);
  return fromKubeConfig(kc, 'in-cluster configuration');
}

export async function fromKubeConfig(kc: KubeConfig, source: string): Promise<Connection> {
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new Error(`${source}: the current context "${kc.getCurrentContext()}" names no cluster`);
  const user = kc.getCurrentUser();
  if (user?.username) throw new Error(`${source}: basic authentication is not supported`);
  if (user?.impersonateUser) throw new Error(`${source}: impersonation ("as") is not supported`);
  const options = await applyOptions(kc);
  const token = bearer(options.headers);
  return {
    server: cluster.server,
    ...(options.ca ? { caData: pem(options.ca) } : {}),
    ...(options.cert ? { certData: pem(options.cert) } : {}),
    ...(options.key ? { keyData: pem(options.key) } : {}),
    ...(cluster.skipTLSVerify ? { insecureSkipTLSVerify: true } : {}),
    ...(cluster.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}),
    ...(token ? { token } : {}),
    ...(token && rotates(kc) ? { getToken: cachedToken(kc) } : {}),
  };
}

/** How long a token read from a rotating source is reused; client-go re-reads token files every minute. */
export const TOKEN_REUSE_MS = 30_000;

function cachedToken(kc: KubeConfig, now: () => number = Date.now): () => Promise<string | undefined> {
  let cached: { at: number; token: string | undefined } | undefined;
  return async () => {
    if (cached && now() - cached.at < TOKEN_REUSE_MS) return cached.token;
    cached = { at: now(), token: bearer((await applyOptions(kc)).headers) };
    return cached.token;
  };
}

interface Applied {
  ca?: unknown;
  cert?: unknown;
  key?: unknown;
  headers?: unknown;
}

async function applyOptions(kc: KubeConfig): Promise<Applied> {
  const opts: Applied = {};
  await kc.applyToHTTPSOptions(opts as Parameters<KubeConfig['applyToHTTPSOptions']>[0]);
  return opts;
}

/** A static `token` never changes; everything else (tokenFile, exec, auth providers) may. */
function rotates(kc: KubeConfig): boolean {
  const user = kc.getCurrentUser();
  return Boolean(user && (user.exec || user.authProvider));
}

function bearer(headers: unknown): string | undefined {
  const auth = (headers as Record<string, unknown> | undefined)?.Authorization;
  return typeof auth === 'string' && auth.startsWith('Bearer ')
    ? auth.slice('Bearer '.length).trim()
    : undefined;
}

const pem = (data: unknown): string =>
  Buffer.isBuffer(data) ? data.toString('utf8') : typeof data === 'string' ? data : String(data);
