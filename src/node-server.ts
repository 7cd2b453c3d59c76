import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from './log.ts';

// Node-only serving, shared by functions/node.ts and `fhpa serve`, kept out of everything the Worker bundles:
// TLS for the admission webhook (the Karmada API server only calls webhooks over HTTPS), graceful shutdown.

export interface NodeServerOptions {
  app: Hono;
  port: number;
  host?: string;
  tls?: { certFile: string; keyFile: string };
  log: Logger;
  /** How long in-flight requests may run after SIGTERM before the process exits anyway. */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startNodeServer(opts: NodeServerOptions): Promise<RunningServer> {
  const tls = opts.tls
    ? { cert: await readFile(opts.tls.certFile), key: await readFile(opts.tls.keyFile) }
    : undefined;
  const host = opts.host ?? '0.0.0.0';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch: opts.app.fetch,
        port: opts.port,
        hostname: host,
        ...(tls ? { createServer: createHttpsServer, serverOptions: tls } : {}),
      },
      () => resolve(s as Server),
    );
    (s as Server).once('error', reject);
  });
  // Slow or stuck clients must not hold a socket forever (fuzzing sends half bodies).
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
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
export function closeOnSignals(server: RunningServer, log: Logger, also?: () => void): void {
  const stop = (signal: string) => {
    log.info('shutting down', { signal });
    also?.();
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
