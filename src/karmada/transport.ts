import type { Connection } from './connection.ts';

// The one seam between the adapter and the network: web-standard Request in, Response out (as Hono's
// runtime adapters). fetch serves Workers, Lambda and Node when the API server has a publicly trusted
// certificate; node-transport.ts (Node only, never bundled for Workers) adds private CAs and client certs.
// Tests pass a Hono app's `fetch` and need no socket.

export type Transport = (req: Request) => Promise<Response>;

/**
 * A transport that needs the connection's TLS material (CA, client certificate) carries a `withConnection`
 * factory; the adapter calls it once, so runtimes can create the transport before the connection is known.
 */
export interface ConnectionAwareTransport extends Transport {
  withConnection(conn: Connection): Transport;
  /** Whether this transport can apply custom CAs and client certificates. */
  readonly supportsTls: boolean;
}

/** fetch as a transport. Called as a plain function: Workers reject fetch invoked with a foreign `this`. */
export function fetchTransport(
  fetchImpl: (req: Request) => Promise<Response> = (req) => fetch(req),
): Transport {
  return (req) => fetchImpl(req);
}

/**
 * The transport to use for a connection, and a warning when the connection asks for TLS settings the
 * transport cannot honour (fetch uses the platform's trust store: Workers reach Karmada through a publicly
 * trusted hostname, see README "Cloudflare Worker").
 */
export function bindTransport(
  transport: Transport,
  conn: Connection,
): { transport: Transport; warning?: string } {
  const aware = transport as Partial<ConnectionAwareTransport>;
  if (typeof aware.withConnection === 'function') return { transport: aware.withConnection(conn) };
  const ignored = [
    conn.caData ? 'caData' : '',
    conn.certData || conn.keyData ? 'client certificate' : '',
    conn.insecureSkipTLSVerify ? 'insecureSkipTLSVerify' : '',
    conn.tlsServerName ? 'tlsServerName' : '',
  ].filter(Boolean);
  if (ignored.length === 0 || !conn.server.startsWith('https:')) return { transport };
  return {
    transport,
    warning: `the fetch transport ignores ${ignored.join(', ')}: the server certificate must chain to a public CA`,
  };
}
