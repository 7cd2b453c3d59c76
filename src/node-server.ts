import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { type Http2Bindings, type HttpBindings, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { ConfigError } from './config.ts';
import type { Logger } from './log.ts';
import { readTlsPair } from './tls-pair.ts';

// Node-only serving, shared by functions/node.ts and `fhpa serve`, kept out of everything the Worker bundles:
// TLS for the admission webhook (the Karmada API server only calls webhooks over HTTPS), graceful shutdown.

export interface NodeServerOptions {
  app: Hono;
  port: number;
  host?: string;
  tls?: { certFile: string; keyFile: string };
  log: Logger;
  /** Slow or stuck clients must not hold a socket: headers must arrive within this (default 10 s)… */
  headersTimeoutMs?: number;
  /** …and the whole request within this (default 30 s); answered 408 otherwise. */
  requestTimeoutMs?: number;
  /** How long in-flight requests may run after SIGTERM before the process exits anyway. */
  shutdownGraceMs?: number;
  /**
   * With TLS: ask every client for a certificate, and answer `paths` (the admission webhook) only to clients
   * whose certificate `caFile` verifies. Other routes do not need one (Alertmanager authenticates by token).
   */
  clientCert?: { caFile: string; paths: readonly string[] };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startNodeServer(opts: NodeServerOptions): Promise<RunningServer> {
  if (opts.clientCert && !opts.tls)
    throw new ConfigError([
      'FHPA_ADMISSION_CLIENT_CA: client certificates need TLS (--tls-cert and --tls-key, or FHPA_TLS_CERT_FILE and FHPA_TLS_KEY_FILE)',
    ]);
  const pair = opts.tls ? await readTlsPair(opts.tls.certFile, opts.tls.keyFile) : undefined;
  const tls = pair
    ? {
        ...pair,
        // requestCert without rejectUnauthorized: the handshake asks for a certificate and verifies one if sent,
        // and requireClientCert below decides per route, so token-authenticated clients still connect.
        ...(opts.clientCert
          ? { ca: await readFile(opts.clientCert.caFile), requestCert: true, rejectUnauthorized: false }
          : {}),
      }
    : undefined;
  const fetch = opts.clientCert
    ? requireClientCert(opts.app, opts.clientCert.paths, opts.log)
    : opts.app.fetch;
  const host = opts.host ?? '0.0.0.0';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch,
        port: opts.port,
        hostname: host,
        // Node checks these timeouts only every connectionsCheckingInterval (default 30 s), so a 10 s header
        // timeout fired after ~25 s; checking every second keeps them within a second of what is set.
        serverOptions: {
          headersTimeout: opts.headersTimeoutMs ?? 10_000,
          requestTimeout: opts.requestTimeoutMs ?? 30_000,
          connectionsCheckingInterval: Math.min(1_000, opts.headersTimeoutMs ?? 1_000),
          ...tls,
        },
        ...(tls ? { createServer: createHttpsServer } : {}),
      },
      () => resolve(s as Server),
    );
    (s as Server).once('error', reject);
  });
  // Requests Node's parser refuses before the app sees them (bad framing, headers over 16 KiB) and CONNECT,
  // which Node drops without a word when nothing listens: answered like the app's own errors, as JSON.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    // Headers or body not complete within the timeouts: 408, as Node itself would answer.
    const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    socket.end(
      tooLarge
        ? rawJsonResponse(431, 'request headers too large')
        : timedOut
          ? rawJsonResponse(408, 'the request did not arrive in time')
          : rawJsonResponse(400, `malformed HTTP request (${err.code ?? 'parse error'})`),
    );
  });
  server.on('connect', (_req, socket) => {
    socket.end(rawJsonResponse(405, 'method CONNECT is not allowed'));
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `${tls ? 'https' : 'http'}://${shownHost}:${port}`;
  opts.log.info('fhpa listening', { url, tls: Boolean(tls) });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, opts.shutdownGraceMs ?? 10_000);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { url, port, close };
}

/** Closes the server on SIGTERM/SIGINT (Kubernetes sends SIGTERM, then waits terminationGracePeriodSeconds). */
export function closeOnSignals(server: RunningServer, log: Logger, also?: () => void | Promise<void>): void {
  const stop = (signal: string) => {
    log.info('shutting down', { signal });
    void Promise.all([also?.(), server.close()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * The app, except that `paths` answer 401 unless the TLS handshake verified a client certificate against the
 * configured CA (Node's socket.authorized), as the API server's webhook client authenticates with one.
 */
function requireClientCert(app: Hono, paths: readonly string[], log: Logger) {
  const guarded = new Set(paths);
  return (req: Request, env: HttpBindings | Http2Bindings) => {
    const path = new URL(req.url).pathname;
    const socket = env.incoming.socket as TLSSocket;
    if (!guarded.has(path) || socket.authorized) return app.fetch(req, env);
    const why = socket.authorizationError ? String(socket.authorizationError) : 'no client certificate';
    log.warn('request refused', { route: path, status: 401, error: `client certificate required: ${why}` });
    return new Response(
      JSON.stringify({
        error: `a client certificate signed by FHPA_ADMISSION_CLIENT_CA is required (${why})`,
      }),
      { status: 401, headers: { 'content-type': 'application/json' } },
    );
  };
}

/** A whole HTTP/1.1 response for a socket the app never saw: JSON `{error}`, connection closed. */
function rawJsonResponse(status: 400 | 405 | 408 | 431, message: string): string {
  const reason = {
    400: 'Bad Request',
    405: 'Method Not Allowed',
    408: 'Request Timeout',
    431: 'Request Header Fields Too Large',
  }[status];
  const body = JSON.stringify({ error: message });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
