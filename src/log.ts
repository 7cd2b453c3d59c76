// Structured JSON logs, one object per line, with the request or evaluation id carried in `fields`.
// Runtimes differ only in the sink (console on Workers and Lambda, stdout on Node), so the sink is injected.
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Keys whose values are never written, whatever a caller passes: a last line of defence for secrets. A key
// named for a key (`key`, `apiKey`, `private_key`) is one; `groupKey` (Alertmanager's group) is not.
const SECRET_KEY =
  /token|password|secret|authorization|credential|^(api|access|private|client|signing|tls)?[-_]?key$/i;

// Field names come from code, so there are few of them: each is tested once (a line per evaluation, issue 13.2).
const secretKeys = new Map<string, boolean>();
function isSecretKey(k: string): boolean {
  let secret = secretKeys.get(k);
  if (secret === undefined) {
    secret = SECRET_KEY.test(k);
    if (secretKeys.size < 1024) secretKeys.set(k, secret);
  }
  return secret;
}

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in fields) {
    const v = fields[k];
    if (isSecretKey(k)) out[k] = '[redacted]';
    else if (v instanceof Error) out[k] = v.message;
    else out[k] = v;
  }
  return out;
}

export function createLogger(
  opts: {
    level?: Level;
    sink?: (line: string) => void;
    now?: () => number;
    fields?: Record<string, unknown>;
  } = {},
): Logger {
  const min = order[opts.level ?? 'info'];
  const sink = opts.sink ?? ((line: string) => console.log(line));
  const now = opts.now ?? Date.now;
  const base = opts.fields ?? {};
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (order[level] < min) return;
    const all = fields === undefined ? base : { ...base, ...fields };
    sink(JSON.stringify({ time: new Date(now()).toISOString(), level, msg, ...redact(all) }));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...opts, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = createLogger({ sink: () => {} });
