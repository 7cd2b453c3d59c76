import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { type Connection, pemFrom } from './connection.ts';
import type { ConnectionAwareTransport, Transport } from './transport.ts';

// Node-only transport: node:https with the connection's CA bundle, client certificate and key, and
// keep-alive sockets (a sweep sends many small requests to one server). Needed when the Karmada API server
// has a private CA, which fetch cannot be told about. Never imported by the Worker bundle (transport.ts is).

export interface NodeTransportOptions {
  /** TLS material; when absent, the adapter supplies its connection through withConnection. */
  connection?: Connection;
  /** Concurrent sockets to the API server. Default 32. */
  maxSockets?: number;
}

export function nodeTransport(opts: NodeTransportOptions = {}): ConnectionAwareTransport {
  const make = (conn: Connection | undefined): Transport => {
    const tls = conn ? tlsOptions(conn) : {};
    const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 32, ...tls });
    const httpAgent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 32 });
    return (req) => send(req, req.url.startsWith('https:') ? httpsAgent : httpAgent);
  };
  const transport = make(opts.connection) as ConnectionAwareTransport;
  return Object.assign(transport, {
    withConnection: (conn: Connection) => make(conn),
    supportsTls: true,
  });
}

export function tlsOptions(conn: Connection): https.AgentOptions {
  return {
    ...(conn.caData ? { ca: pemFrom(conn.caData) } : {}),
    ...(conn.certData ? { cert: pemFrom(conn.certData) } : {}),
    ...(conn.keyData ? { key: pemFrom(conn.keyData) } : {}),
    ...(conn.insecureSkipTLSVerify ? { rejectUnauthorized: false } : {}),
    ...(conn.tlsServerName ? { servername: conn.tlsServerName } : {}),
  };
}

async function send(req: Request, agent: http.Agent): Promise<Response> {
  const url = new URL(req.url);
  const body = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  req.headers.forEach((value, key) => {
    headers[key] = value;
  });
  if (body) headers['content-length'] = String(body.byteLength);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const outgoing = lib.request(url, { method: req.method, headers, agent, signal: req.signal }, (res) => {
      const responseHeaders = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        responseHeaders.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
      }
      const status = res.statusCode ?? 502;
      const empty = req.method === 'HEAD' || status === 204 || status === 304;
      if (empty) res.resume();
      resolve(
        new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
          status,
          statusText: res.statusMessage ?? '',
          headers: responseHeaders,
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
