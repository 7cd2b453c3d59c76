// `fhpa serve`: the Node runtime (functions/node.ts) with flags; configuration comes from FHPA_* variables.

import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { TlsFilesError } from '../tls-pair.ts';
import { argumentError, type Command, parseArgsMessage } from './io.ts';

export const SERVE_USAGE = `Usage: fhpa serve [--port N] [--host ADDR] [--tls-cert FILE --tls-key FILE] [--no-sweep]

The Node server: the admission webhook, the Alertmanager receiver (POST /alerts), POST /evaluate/NS/NAME,
POST /sweep, /healthz, /readyz and Prometheus metrics on /metrics, plus an in-process sweep every
FHPA_SWEEP_INTERVAL. Configured from the environment (README: "Configuration"); stops on SIGTERM/SIGINT
after in-flight requests finish.

  --port N                    default $PORT or 8080
  --host ADDR                 default 0.0.0.0
  --tls-cert FILE, --tls-key FILE
                              serve HTTPS (the Karmada API server calls admission webhooks over TLS only);
                              default $FHPA_TLS_CERT_FILE and $FHPA_TLS_KEY_FILE
  --sweep / --no-sweep        run the in-process sweep (the default; also FHPA_NODE_SWEEP=false to turn
                              it off), or not (a CronJob calls POST /sweep instead)`;

/** What `fhpa serve`'s flags and environment ask for, or the one-line error for bad ones. */
export interface ServeArgs {
  help?: true;
  port: number;
  host?: string;
  tls?: { certFile: string; keyFile: string };
  sweep: boolean;
}

/** `fhpa serve`'s flags, checked as the command checks them (the install manifests' tests use this too). */
export function parseServeArgs(
  args: string[],
  env: Record<string, string | undefined>,
): ServeArgs | { error: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        sweep: { type: 'boolean' },
        'no-sweep': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { error: parseArgsMessage(err) };
  }
  if (values.sweep && values['no-sweep']) return { error: '--sweep and --no-sweep: give one' };
  const port = Number(values.port ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    return { error: '--port: an integer from 0 to 65535' };
  const cert = (values['tls-cert'] as string | undefined) ?? env.FHPA_TLS_CERT_FILE;
  const key = (values['tls-key'] as string | undefined) ?? env.FHPA_TLS_KEY_FILE;
  if ((cert === undefined) !== (key === undefined))
    return { error: '--tls-cert and --tls-key: give both or neither' };
  return {
    ...(values.help ? { help: true as const } : {}),
    port,
    ...(values.host ? { host: values.host as string } : {}),
    ...(cert && key ? { tls: { certFile: cert, keyFile: key } } : {}),
    sweep: values.sweep === true || (values['no-sweep'] !== true && env.FHPA_NODE_SWEEP !== 'false'),
  };
}

export const serve: Command = async (args, io) => {
  const parsed = parseServeArgs(args, io.env);
  if ('error' in parsed) {
    return argumentError(io, 'serve', parsed.error);
  }
  if (parsed.help) {
    io.out(SERVE_USAGE);
    return 0;
  }
  const { serveNode } = await import('../runtime/node.ts');
  try {
    const { help: _, ...options } = parsed;
    const handle = await serveNode({ rawEnv: io.env, ...options, signals: true });
    io.err(`fhpa serve: listening on ${handle.server.url}`);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`fhpa serve: the configuration is incomplete:\n${err.problems.map((p) => `  ${p}`).join('\n')}`);
      return 2;
    }
    if (err instanceof TlsFilesError) {
      io.err(`fhpa serve: ${err.message}`);
      return 2;
    }
    throw err;
  }
  // The server keeps the process alive until a signal closes it.
  return 0;
};
