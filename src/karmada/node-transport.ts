import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { BodyError } from './body.ts';
import { type Connection, pemFrom } from './connection.ts';
import {
  type ConnectionAwareTransport,
  type PlainRequest,
  type PlainResponse,
  type Transport,
  TransportTimeout,
} from './transport.ts';

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
    const agentFor = (url: string) => (url.startsWith('https:') ? httpsAgent : httpAgent);
    return Object.assign((req: Request) => send(req, agentFor(req.url)), {
      plain: (req: PlainRequest) => sendPlain(req, agentFor(req.url)),
    });
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

/**
 * The REST client's fast path (transport.ts#PlainRequest): node:http straight to a string, with one timer for
 * the timeout and the body bound checked as chunks arrive, and no web-standard objects in between.
 */
function sendPlain(req: PlainRequest, agent: http.Agent): Promise<PlainResponse> {
  const at = origin(req.url);
  const headers =
    req.body === undefined
      ? req.headers
      : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) };
  return new Promise<PlainResponse>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, res?: PlainResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        outgoing.destroy();
        reject(err);
      } else resolve(res as PlainResponse);
    };
    const outgoing = at.lib.request(
      {
        protocol: at.protocol,
        hostname: at.hostname,
        port: at.port,
        path: req.url.slice(at.length) || '/',
        method: req.method,
        headers,
        agent,
      },
      (res) => {
        const status = res.statusCode ?? 502;
        const statusText = res.statusMessage ?? '';
        const header = (name: string) => headerValue(res.headers[name.toLowerCase()]);
        const declared = Number(res.headers['content-length'] ?? Number.NaN);
        if (declared > req.maxBodyBytes) {
          finish(
            new BodyError(`response body of ${declared} bytes exceeds the ${req.maxBodyBytes}-byte limit`),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > req.maxBodyBytes)
            finish(new BodyError(`response body exceeds the ${req.maxBodyBytes}-byte limit`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const text =
            chunks.length === 1
              ? (chunks[0] as Buffer).toString('utf8')
              : Buffer.concat(chunks, size).toString('utf8');
          finish(undefined, { status, statusText, header, text });
        });
        res.on('error', (err) => finish(err));
        res.on('close', () => finish(new Error('the connection closed before the response ended')));
      },
    );
    const timer = setTimeout(
      () => finish(new TransportTimeout(`no response within ${req.timeoutMs} ms`)),
      req.timeoutMs,
    );
    outgoing.on('error', (err) => finish(err));
    outgoing.end(req.body);
  });
}

function headerValue(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

interface Origin {
  lib: typeof http | typeof https;
  protocol: string;
  hostname: string;
  port: string;
  /** Characters of the URL before its path. */
  length: number;
}

// The API server's origin is parsed once, not per request: a sweep sends tens of thousands to the same one.
const origins = new Map<string, Origin>();

function origin(url: string): Origin {
  const end = url.indexOf('/', url.indexOf('//') + 2);
  const key = end < 0 ? url : url.slice(0, end);
  let found = origins.get(key);
  if (!found) {
    const u = new URL(key);
    // Brackets of an IPv6 literal are URL syntax, not part of the host node:http connects to.
    const hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    const lib = u.protocol === 'https:' ? https : http;
    found = { lib, protocol: u.protocol, hostname, port: u.port, length: key.length };
    if (origins.size < 64) origins.set(key, found);
  }
  return found;
}
