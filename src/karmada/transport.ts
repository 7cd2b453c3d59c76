import type { Connection } from './connection.ts';

// The one seam between the adapter and the network: web-standard Request in, Response out (as Hono's
// runtime adapters). fetch serves Workers, Lambda and Node when the API server has a publicly trusted
// certificate; node-transport.ts (Node only, never bundled for Workers) adds private CAs and client certs.
// Tests pass a Hono app's `fetch` and need no socket.

export type Transport = ((req: Request) => Promise<Response>) & {
  /**
   * Optional fast path without web-standard objects (node-transport.ts): a Request, Headers, AbortSignal,
   * Response and ReadableStream per API call were more than half of fhpa's CPU per evaluation (issue 13.2).
   * The REST client uses it when present; wrappers that only forward `(req) => …` fall back to the web path.
   */
  plain?: (req: PlainRequest) => Promise<PlainResponse>;
};

/** One HTTP request as plain data. The transport enforces the timeout and the body bound itself. */
export interface PlainRequest {
  method: string;
  /** Absolute URL, query included. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
  /** Per attempt, headers and body included: past it the request is destroyed and TransportTimeout thrown. */
  timeoutMs: number;
  /** Largest body accepted: a larger one is dropped and BodyError (body.ts) thrown. */
  maxBodyBytes: number;
}

export interface PlainResponse {
  status: number;
  statusText: string;
  /** A response header by (any-case) name, as Headers.get answers it. */
  header(name: string): string | null;
  /** The body, decoded as UTF-8. */
  text: string;
}

/** No response within PlainRequest.timeoutMs. */
export class TransportTimeout extends Error {}

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
