import { connect } from 'node:net';
import { PipelineMetrics } from '../src/app/prometheus.ts';
import { createLogger } from '../src/log.ts';
import type { RunningServer } from '../src/node-server.ts';
import type { Simulator } from '../src/sim/index.ts';
import type { Benchmark, Figures } from './benchmark.ts';
import { BENCH_TOKEN, startFhpaStack } from './support/fhpa-server.ts';
import { applyWorkload } from './support/fixtures.ts';
import { type FuzzCase, type FuzzTarget, fuzzCases } from './support/fuzz-requests.ts';
import { encodeRequest } from './support/raw-http.ts';

// Issue 8, `fuzz`: 10,000 generated bad requests (bench/support/fuzz-requests.ts: malformed and truncated
// JSON, wrong types in every field, bodies over the limit, deep nesting, wrong methods and content types,
// bad credentials, non-UTF-8 bytes, huge headers, broken framing, unknown paths) sent over loopback HTTP to
// fhpa's Node server (startNodeServer + the Hono app, /metrics on) in front of the simulated Karmada. The
// project's rule is "bad input gets a clear error naming the field, never a crash, hang or 500":
//   status5xx      answers 500-599;
//   crashes        a connection closed or reset without a whole answer (unless the case cut its own request
//                  short), an unhandled rejection or uncaught exception in this process, or /healthz not
//                  answering 200 at the end;
//   hangs          no answer within the client timeout (5 s);
//   unclearErrors  a 4xx from the app whose body is not JSON with a non-empty `error` or `message`, or whose
//                  message does not name what the case broke (the field path, the header); a 405 (a wrong
//                  method on a served path) without an Allow header; and a review
//                  denied (allowed: false) without a status message.
// Targets: all four 0. Counted apart, not targets:
//   bareErrorsBeforeApp  4xx with an empty body, written before the app runs: by Node's HTTP parser (bad
//                        framing, a method it does not know, headers over 16 KiB: 400, 431, 417) or by
//                        @hono/node-server when the request line makes no URL (`GET *`: 400). Only
//                        src/node-server.ts can give them a JSON body (a 'clientError' listener, an
//                        errorHandler), so they are not the app's unclear errors;
//   unexpectedStatus     an answer outside what the case expects (the examples say which).
// The small version is test/reliability/fuzz.test.ts.
//
// Flags: --requests=N (default 10000, 1000 with --quick), --seed=N (default 8), --concurrency=N (default 8),
// --timeout-ms=N (default 5000).

export interface FuzzStack {
  target: FuzzTarget;
  server: RunningServer;
  sim: Simulator;
  /** fhpa's error-level log lines ("unhandled error in route" says why a 500 happened). */
  errorLogs: string[];
  close(): Promise<void>;
}

/** fhpa as the Node runtime serves it, /metrics included, with a logger that keeps the app's error lines. */
export async function startFuzzStack(): Promise<FuzzStack> {
  const errorLogs: string[] = [];
  const log = createLogger({
    level: 'error',
    sink: (line) => {
      const entry = JSON.parse(line) as { msg: string; error?: string; path?: string };
      errorLogs.push(`${entry.msg}: ${entry.path ?? ''} ${entry.error ?? ''}`.slice(0, 300));
    },
  });
  const alertsMaxBytes = 64 * 1024;
  const stack = await startFhpaStack({ log, metrics: new PipelineMetrics(), maxBodyBytes: alertsMaxBytes });
  const workload = { namespace: 'default', name: 'sample-app' };
  applyWorkload(stack.sim, workload);
  // Past the readiness delay, so the workload's pods are Ready and serve metrics, as in the storm and faults
  // runs: a valid alert then gets a complete evaluation and 200, not the 503 follow-up a young alert on pods
  // without metrics is answered with (src/app/alert-follow-up.ts).
  stack.sim.clock.advance(60_000);
  return {
    target: {
      token: BENCH_TOKEN,
      alertsMaxBytes,
      // The app's limit (FHPA_MAX_BODY_BYTES) bounds the admission routes as well as /alerts.
      admissionMaxBytes: alertsMaxBytes,
      workload,
    },
    server: stack.server,
    sim: stack.sim,
    errorLogs,
    close: stack.close,
  };
}

export type Exchange =
  | { kind: 'answer'; status: number; contentType: string | undefined; allow?: string; body: Buffer }
  /** Closed or reset before a whole answer arrived. */
  | { kind: 'closed'; error?: string }
  | { kind: 'timeout' };

/**
 * The head, then the body by Content-Length or chunked framing, or to the close (`atEnd`) when the answer
 * has neither; undefined while more is needed.
 */
function parseAnswer(data: Buffer, method: string, atEnd: boolean): Exchange | undefined {
  let at = 0;
  for (;;) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) return undefined;
    const head = data.subarray(at, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
    // 100 Continue (an `Expect: 100-continue` case) comes before the real answer
    if (status >= 100 && status < 200) {
      at = end + 4;
      continue;
    }
    const fields = new Map(
      head
        .slice(1)
        .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const rest = data.subarray(end + 4);
    const answer = (body: Buffer): Exchange => ({
      kind: 'answer',
      status,
      contentType: fields.get('content-type'),
      ...(fields.has('allow') ? { allow: fields.get('allow') } : {}),
      body,
    });
    if (method === 'HEAD' || status === 204 || status === 304) return answer(Buffer.alloc(0));
    if (fields.get('transfer-encoding')?.toLowerCase() === 'chunked') {
      const parts: Buffer[] = [];
      let p = 0;
      for (;;) {
        const line = rest.indexOf('\r\n', p);
        if (line < 0) return undefined;
        const size = Number.parseInt(rest.subarray(p, line).toString('latin1'), 16);
        if (size === 0) return answer(Buffer.concat(parts));
        if (rest.byteLength < line + 2 + size + 2) return undefined;
        parts.push(rest.subarray(line + 2, line + 2 + size));
        p = line + 2 + size + 2;
      }
    }
    const length = fields.get('content-length');
    if (length === undefined) return atEnd ? answer(rest) : undefined;
    return rest.byteLength >= Number(length) ? answer(rest.subarray(0, Number(length))) : undefined;
  }
}

/**
 * Writes the request on a fresh socket and reads the whole answer. A case that breaks its own framing
 * closes our side after writing (halfClose), so the server sees the stream end rather than a silent client.
 */
export function exchange(port: number, c: FuzzCase, timeoutMs: number): Promise<Exchange> {
  const bytes = encodeRequest(c.request);
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    let settled = false;
    const socket = connect({ port, host: '127.0.0.1' });
    const finish = (e: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(e);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    socket.on('connect', () => {
      // A server that answers early (413, 401) may close before all of a big body is written: the write
      // error is not the answer, what was read is.
      socket.write(bytes, () => {
        if (c.mayClose) socket.end();
      });
    });
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const answer = parseAnswer(data, c.request.method, false);
      if (answer) finish(answer);
    });
    const closed = (error?: string) =>
      finish(parseAnswer(data, c.request.method, true) ?? { kind: 'closed', ...(error ? { error } : {}) });
    socket.on('error', (err: NodeJS.ErrnoException) => closed(err.code ?? err.message));
    socket.on('end', () => closed());
    socket.on('close', () => closed());
  });
}

export type Verdict = '5xx' | 'crash' | 'hang' | 'unclear' | 'bare' | 'unexpected' | 'ok';

/** What one answer says about the server. An empty 4xx written before the app ran is not held to clarity. */
export function judge(c: FuzzCase, e: Exchange): { verdicts: Verdict[]; detail: string } {
  if (e.kind === 'timeout') return { verdicts: ['hang'], detail: 'no answer' };
  if (e.kind === 'closed')
    return c.mayClose
      ? { verdicts: ['ok'], detail: 'closed' }
      : { verdicts: ['crash'], detail: e.error ?? 'closed' };
  const text = e.body.toString('utf8');
  const verdicts: Verdict[] = [];
  if (e.status >= 500) verdicts.push('5xx');
  if (!c.expect.includes(e.status)) verdicts.push('unexpected');
  // A 405 that does not say which methods are served (RFC 9110: Allow) leaves the caller guessing.
  if (e.status === 405 && !e.allow) verdicts.push('unclear');
  if (e.status >= 400 && e.status < 500 && c.request.method !== 'HEAD') {
    if (e.body.byteLength === 0 && !/json/i.test(e.contentType ?? '')) verdicts.push('bare');
    else if (!namesTheProblem(text, c.names)) verdicts.push('unclear');
  }
  if (e.status === 200 && /^\/validate/.test(c.request.target) && !deniedWithReason(text))
    verdicts.push('unclear');
  return { verdicts: verdicts.length > 0 ? verdicts : ['ok'], detail: text.slice(0, 200) };
}

function namesTheProblem(text: string, names: readonly string[] | undefined): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  const b = body as { error?: unknown; message?: unknown };
  const message = typeof b.error === 'string' ? b.error : typeof b.message === 'string' ? b.message : '';
  if (message.trim() === '') return false;
  if (names === undefined || names.length === 0) return true;
  const lower = message.toLowerCase();
  return names.some((n) => lower.includes(n.toLowerCase()));
}

/** An AdmissionReview answer: allowed, or denied with a message (Karmada's aggregate of field errors). */
function deniedWithReason(text: string): boolean {
  try {
    const r = (JSON.parse(text) as { response?: { allowed?: unknown; status?: { message?: unknown } } })
      .response;
    if (r?.allowed === true) return true;
    return r?.allowed === false && typeof r.status?.message === 'string' && r.status.message !== '';
  } catch {
    return false;
  }
}

export interface FuzzFigures {
  requests: number;
  status5xx: number;
  crashes: number;
  hangs: number;
  unclearErrors: number;
  bareErrorsBeforeApp: number;
  unexpectedStatus: number;
  healthyAtEnd: boolean;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
  byKind: Record<string, number>;
  seconds: number;
  examples5xx: Example[];
  examplesCrash: Example[];
  examplesUnclear: Example[];
  examplesUnexpected: Example[];
  errorLogs: string[];
}

export interface Example {
  route: string;
  kind: string;
  status: number | string;
  request: string;
  body: string;
}

const COUNTER = {
  '5xx': 'status5xx',
  crash: 'crashes',
  hang: 'hangs',
  unclear: 'unclearErrors',
  bare: 'bareErrorsBeforeApp',
  unexpected: 'unexpectedStatus',
} as const;
const EXAMPLE_LIST = {
  '5xx': 'examples5xx',
  crash: 'examplesCrash',
  hang: 'examplesCrash',
  unclear: 'examplesUnclear',
  unexpected: 'examplesUnexpected',
} as const;

/** Sends the cases `concurrency` at a time and tallies the answers; then asks /healthz once more. */
export async function runFuzz(opts: {
  cases: readonly FuzzCase[];
  stack: FuzzStack;
  concurrency?: number;
  timeoutMs?: number;
  /** How many examples of each problem to keep (default 5). */
  examples?: number;
  log?: (line: string) => void;
}): Promise<FuzzFigures> {
  const EXAMPLES = opts.examples ?? 5;
  const { cases, stack } = opts;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const f: FuzzFigures = {
    requests: 0,
    status5xx: 0,
    crashes: 0,
    hangs: 0,
    unclearErrors: 0,
    bareErrorsBeforeApp: 0,
    unexpectedStatus: 0,
    healthyAtEnd: false,
    byStatus: {},
    byRoute: {},
    byKind: {},
    seconds: 0,
    examples5xx: [],
    examplesCrash: [],
    examplesUnclear: [],
    examplesUnexpected: [],
    errorLogs: [],
  };
  const bump = (m: Record<string, number>, k: string) => {
    m[k] = (m[k] ?? 0) + 1;
  };
  const escaped = (err: unknown) => {
    f.crashes++;
    if (f.examplesCrash.length < EXAMPLES)
      f.examplesCrash.push({
        route: '-',
        kind: 'process',
        status: 'unhandled',
        request: '-',
        body: String(err).slice(0, 200),
      });
  };
  process.on('unhandledRejection', escaped);
  process.on('uncaughtException', escaped);
  const started = process.hrtime.bigint();
  try {
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const e = await exchange(stack.server.port, c, timeoutMs);
        const { verdicts, detail } = judge(c, e);
        f.requests++;
        bump(f.byRoute, c.route);
        bump(f.byKind, c.kind);
        bump(f.byStatus, e.kind === 'answer' ? String(e.status) : e.kind);
        const example = (): Example => ({
          route: c.route,
          kind: c.kind,
          status: e.kind === 'answer' ? e.status : e.kind,
          request: `${c.request.method} ${c.request.target.slice(0, 80)}`,
          body: detail,
        });
        for (const v of verdicts) {
          if (v === 'ok') continue;
          f[COUNTER[v]]++;
          const list = v === 'bare' ? undefined : f[EXAMPLE_LIST[v]];
          if (list && list.length < EXAMPLES) list.push(example());
        }
        if (f.requests % 1000 === 0) opts.log?.(`${f.requests} requests`);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
    const health = await fetch(`${stack.server.url}/healthz`, {
      signal: AbortSignal.timeout(timeoutMs),
    }).catch(() => undefined);
    f.healthyAtEnd = health?.status === 200;
    if (!f.healthyAtEnd) f.crashes++;
  } finally {
    process.off('unhandledRejection', escaped);
    process.off('uncaughtException', escaped);
  }
  f.seconds = Math.round(Number(process.hrtime.bigint() - started) / 1e8) / 10;
  f.errorLogs = [...new Set(stack.errorLogs)].slice(0, EXAMPLES);
  return f;
}

export const fuzz: Benchmark = {
  name: 'fuzz',
  description: '10,000 generated bad requests across every route: no 5xx, crash or hang, clear 4xx errors',
  async run(opts): Promise<Figures> {
    const requests = Number(opts.flags.requests ?? (opts.quick ? 1000 : 10_000));
    const seed = Number(opts.flags.seed ?? 8);
    const concurrency = Number(opts.flags.concurrency ?? 8);
    const timeoutMs = Number(opts.flags['timeout-ms'] ?? 5_000);
    if (!Number.isInteger(requests) || requests < 1)
      return { error: '--requests must be a positive integer' };
    const stack = await startFuzzStack();
    try {
      opts.log(`generating ${requests} requests (seed ${seed})`);
      const cases = fuzzCases(stack.target, requests, seed);
      opts.log(`sending them ${concurrency} at a time to ${stack.server.url}`);
      const f = await runFuzz({ cases, stack, concurrency, timeoutMs, log: opts.log });
      const problems = f.status5xx + f.crashes + f.hangs + f.unclearErrors;
      const { examples5xx, examplesCrash, examplesUnclear, examplesUnexpected, errorLogs, ...figures } = f;
      return {
        ...figures,
        seed,
        ...(examples5xx.length > 0 ? { examples5xx } : {}),
        ...(examplesCrash.length > 0 ? { examplesCrash } : {}),
        ...(examplesUnclear.length > 0 ? { examplesUnclear } : {}),
        ...(examplesUnexpected.length > 0 ? { examplesUnexpected } : {}),
        ...(errorLogs.length > 0 ? { errorLogs } : {}),
        ...(problems > 0
          ? { error: 'a bad request got a 5xx, crashed or hung the server, or an unclear error' }
          : {}),
      };
    } finally {
      await stack.close();
    }
  },
};
