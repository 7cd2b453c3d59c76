// Plain Node entry: `node --import tsx functions/node.ts` (or `fhpa serve`, which takes flags).
import { serveNode } from '../src/runtime/node.ts';

const env = process.env;
await serveNode({
  rawEnv: env,
  port: Number(env.PORT ?? 8080),
  ...(env.FHPA_TLS_CERT_FILE && env.FHPA_TLS_KEY_FILE
    ? { tls: { certFile: env.FHPA_TLS_CERT_FILE, keyFile: env.FHPA_TLS_KEY_FILE } }
    : {}),
  sweep: env.FHPA_NODE_SWEEP !== 'false',
  signals: true,
});
