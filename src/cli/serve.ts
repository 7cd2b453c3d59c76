// `fhpa serve`: the Node runtime (functions/node.ts) with flags; configuration comes from FHPA_* variables.

import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import type { Command } from './io.ts';

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

export const serve: Command = async (args, io) => {
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
    io.err(`fhpa serve: ${err instanceof Error ? err.message : String(err)}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(SERVE_USAGE);
    return 0;
  }
  if (values.sweep && values['no-sweep']) {
    io.err('fhpa serve: --sweep and --no-sweep: give one');
    return 2;
  }
  const port = Number(values.port ?? io.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    io.err('fhpa serve: --port: an integer from 0 to 65535');
    return 2;
  }
  const cert = (values['tls-cert'] as string | undefined) ?? io.env.FHPA_TLS_CERT_FILE;
  const key = (values['tls-key'] as string | undefined) ?? io.env.FHPA_TLS_KEY_FILE;
  if ((cert === undefined) !== (key === undefined)) {
    io.err('fhpa serve: --tls-cert and --tls-key: give both or neither');
    return 2;
  }
  const { serveNode } = await import('../runtime/node.ts');
  try {
    const handle = await serveNode({
      rawEnv: io.env,
      port,
      ...(values.host ? { host: values.host as string } : {}),
      ...(cert && key ? { tls: { certFile: cert, keyFile: key } } : {}),
      sweep: values.sweep === true || (values['no-sweep'] !== true && io.env.FHPA_NODE_SWEEP !== 'false'),
      signals: true,
    });
    io.err(`fhpa serve: listening on ${handle.server.url}`);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`fhpa serve: the configuration is incomplete:\n${err.problems.map((p) => `  ${p}`).join('\n')}`);
      return 2;
    }
    throw err;
  }
  // The server keeps the process alive until a signal closes it.
  return 0;
};
