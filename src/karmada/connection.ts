// How to reach the Karmada API server. Plain data, so every runtime can build one: from environment
// variables (Workers), a kubeconfig or the in-cluster service account (Node and Lambda, kubeconfig.ts).
// TLS material is the transport's business (node-transport.ts); fetch on Workers trusts public CAs only.

export interface Connection {
  /** https://host[:port][/prefix] of the Karmada API server (the `karmada-apiserver` context's server). */
  server: string;
  /** A static bearer token (service-account token, or a kubeconfig user's `token`). */
  token?: string;
  /**
   * A token source consulted before every request, for credentials that rotate: the in-cluster projected
   * service-account token, kubeconfig exec plugins. Wins over `token`.
   */
  getToken?: () => Promise<string | undefined>;
  /** CA bundle: PEM text, or base64 of PEM as in a kubeconfig's certificate-authority-data. */
  caData?: string;
  /** Client certificate and key for mTLS, PEM or base64 of PEM. */
  certData?: string;
  keyData?: string;
  /** Skip server certificate verification (development only). */
  insecureSkipTLSVerify?: boolean;
  /** SNI / certificate name when it differs from the server's host (kubeconfig tls-server-name). */
  tlsServerName?: string;
}

/** The bearer token to send now, if any. */
export async function currentToken(conn: Connection): Promise<string | undefined> {
  if (conn.getToken) return (await conn.getToken()) ?? conn.token;
  return conn.token;
}

/** PEM text from either PEM or base64-of-PEM (kubeconfig *-data fields). */
export function pemFrom(data: string): string {
  const trimmed = data.trim();
  if (trimmed.startsWith('-----BEGIN')) return trimmed;
  const decoded = atob(trimmed.replace(/\s+/g, ''));
  if (!decoded.includes('-----BEGIN')) throw new Error('TLS data is neither PEM nor base64-encoded PEM');
  return decoded;
}

/** Joins the server URL (which may carry a path prefix, e.g. behind a gateway) and an API path. */
export function requestUrl(server: string, path: string, query?: URLSearchParams): string {
  const base = server.endsWith('/') ? server.slice(0, -1) : server;
  const q = query && [...query.keys()].length > 0 ? `?${query.toString()}` : '';
  return `${base}${path}${q}`;
}
