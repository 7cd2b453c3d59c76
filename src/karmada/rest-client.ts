import type { z } from 'zod';
import { BodyError, parseJson, parseWith, readBounded } from './body.ts';
import { type Connection, currentToken, requestUrl } from './connection.ts';
import { apiError, type KarmadaApiError, redact } from './errors.ts';
import {
  type BackoffPolicy,
  DEFAULT_BACKOFF,
  isRetryableStatus,
  nextRetry,
  parseRetryAfter,
} from './retry.ts';
import { reasonForCode, statusSchema } from './schemas/status.ts';
import { type PlainRequest, type Transport, TransportTimeout } from './transport.ts';

// The HTTP core every adapter call goes through: one request = a bounded number of attempts, each with its
// own timeout; 429, 5xx, timeouts and network errors are retried with full-jitter backoff (Retry-After
// honoured) within a total deadline; failures become KarmadaApiError naming verb and resource. Never a
// credential in an error: the token only ever goes into the Authorization header, and every message is
// scrubbed of it as well.

export type Verb = 'get' | 'list' | 'create' | 'update' | 'patch';

const METHOD: Record<Verb, string> = {
  get: 'GET',
  list: 'GET',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
};

export const MERGE_PATCH = 'application/merge-patch+json';
/** The manager fhpa's writes are recorded under in metadata.managedFields. */
export const FIELD_MANAGER = 'fhpa';
/** Without a fieldManager the API server takes the User-Agent up to its first '/' as the manager. */
export const USER_AGENT = `${FIELD_MANAGER}/v1 (karmada-adapter)`;
const WRITES = new Set<Verb>(['create', 'update', 'patch']);
export const JSON_PATCH = 'application/json-patch+json';

/** One attempt, reported to the observer (the sweep benchmark counts API calls per evaluation). */
export interface CallInfo {
  verb: Verb;
  resource: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  attempt: number;
  durationMs: number;
}

export interface RestObserver {
  call?(info: CallInfo): void;
}

export interface RestClientOptions {
  connection: Connection;
  transport: Transport;
  /** Per attempt, headers and body included. Default 10 s. */
  timeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Largest response body accepted. Default 32 MiB (a PodList of a few thousand pods). */
  maxBodyBytes?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  observer?: RestObserver;
}

export interface RestRequest<T> {
  verb: Verb;
  /** Absolute API path, e.g. `/apis/apps/v1/namespaces/default/deployments/web/scale`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Content type of `body`; default application/json. */
  contentType?: string;
  /** For errors: `group/version/resource ns/name[/subresource]`. */
  resource: string;
  schema: z.ZodType<T>;
  /** false: a single attempt (best-effort calls such as events). */
  retry?: boolean;
  /** The answer is not used: its body is not parsed either (`schema` sees `{}`). */
  unread?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Attempt = { ok: true; value: unknown } | { ok: false; error: KarmadaApiError; retryAfterMs?: number };
type Fail = (
  status: number,
  reason: string,
  message: string,
  extra?: { retryAfterMs?: number; fields?: string[]; objectName?: string },
) => Attempt;

export class RestClient {
  readonly #conn: Connection;
  readonly #transport: Transport;
  readonly #timeoutMs: number;
  readonly #policy: BackoffPolicy;
  readonly #maxBody: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #observer: RestObserver | undefined;

  constructor(opts: RestClientOptions) {
    this.#conn = opts.connection;
    this.#transport = opts.transport;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#policy = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.#maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#sleep = opts.sleep ?? realSleep;
    this.#random = opts.random ?? Math.random;
    this.#now = opts.now ?? Date.now;
    this.#observer = opts.observer;
  }

  async request<T>(req: RestRequest<T>): Promise<T> {
    const token = await currentToken(this.#conn);
    const started = this.#now();
    const policy = req.retry === false ? { ...this.#policy, maxAttempts: 1 } : this.#policy;
    for (let attempt = 1; ; attempt++) {
      const result = await this.#attempt(req, token, attempt);
      if (result.ok) return parseValue(req, result.value, attempt);
      const err = result.error;
      const verdict = nextRetry({
        attempt,
        status: err.status,
        retryable:
          (err.status === 0 && err.reason !== 'TLSVerificationFailed') || isRetryableStatus(err.status),
        elapsedMs: this.#now() - started,
        ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
        random: this.#random(),
        policy,
      });
      if (!verdict.retry) throw withAttempts(err, attempt);
      await this.#sleep(verdict.delayMs);
    }
  }

  async #attempt<T>(req: RestRequest<T>, token: string | undefined, attempt: number): Promise<Attempt> {
    const secrets = [token, this.#conn.token];
    const fail: Fail = (status, reason, message, extra = {}) => ({
      ok: false,
      error: apiError({
        verb: req.verb,
        resource: req.resource,
        status,
        reason,
        message: redact(message, secrets),
        ...(extra.fields ? { fields: extra.fields } : {}),
        ...(extra.objectName ? { objectName: extra.objectName } : {}),
      }),
      ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
    });
    const began = this.#now();
    let status = 0;
    let signal: AbortSignal | undefined;
    try {
      let answer: Answer;
      let text: string;
      const plain = this.#transport.plain;
      if (plain) {
        const res = await plain(this.#plain(req, token));
        answer = res;
        text = res.text;
      } else {
        signal = AbortSignal.timeout(this.#timeoutMs);
        const res = await untilAborted(this.#transport(this.#build(req, token, signal)), signal);
        status = res.status;
        text = await untilAborted(readBounded(res, this.#maxBody), signal);
        answer = { status: res.status, statusText: res.statusText, header: (n) => res.headers.get(n) };
      }
      status = answer.status;
      if (status >= 200 && status < 300)
        return { ok: true, value: text === '' || req.unread ? {} : parseJson(text) };
      return failure(answer, text, this.#now(), fail);
    } catch (err) {
      if (signal?.aborted || err instanceof TransportTimeout)
        return fail(0, 'Timeout', `no response within ${this.#timeoutMs} ms`);
      if (err instanceof BodyError) return fail(status, 'InvalidResponse', err.message);
      return fail(0, isTlsVerification(err) ? 'TLSVerificationFailed' : 'NetworkError', networkMessage(err));
    } finally {
      this.#observer?.call?.({
        verb: req.verb,
        resource: req.resource,
        status,
        attempt,
        durationMs: this.#now() - began,
      });
    }
  }

  /** The same request as #build, as plain data for a transport's fast path. */
  #plain(req: RestRequest<unknown>, token: string | undefined): PlainRequest {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/json';
      body = JSON.stringify(req.body);
    }
    return {
      method: METHOD[req.verb],
      url: requestUrl(this.#conn.server, req.path, queryOf(req)),
      headers,
      ...(body !== undefined ? { body } : {}),
      timeoutMs: this.#timeoutMs,
      maxBodyBytes: this.#maxBody,
    };
  }

  #build(req: RestRequest<unknown>, token: string | undefined, signal: AbortSignal): Request {
    const query = queryOf(req);
    const headers = new Headers({ Accept: 'application/json', 'User-Agent': USER_AGENT });
    if (token) headers.set('Authorization', `Bearer ${token}`);
    let body: string | undefined;
    if (req.body !== undefined) {
      headers.set('Content-Type', req.contentType ?? 'application/json');
      body = JSON.stringify(req.body);
    }
    return new Request(requestUrl(this.#conn.server, req.path, query), {
      method: METHOD[req.verb],
      headers,
      ...(body !== undefined ? { body } : {}),
      signal,
    });
  }
}

function queryOf(req: RestRequest<unknown>): URLSearchParams | undefined {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {}))
    if (v !== undefined && v !== '') query.set(k, String(v));
  // Writes name their manager, so the API server's managedFields say fhpa changed the field (client-go sends a
  // User-Agent on every request; kubectl sets fieldManager on writes).
  if (WRITES.has(req.verb) && !query.has('fieldManager')) query.set('fieldManager', FIELD_MANAGER);
  return query.toString() === '' ? undefined : query;
}

/** What a failed answer is read from, whichever path the transport took. */
interface Answer {
  status: number;
  statusText: string;
  header(name: string): string | null;
}

function parseValue<T>(req: RestRequest<T>, value: unknown, attempts: number): T {
  try {
    return parseWith(req.schema, value);
  } catch (err) {
    throw apiError({
      verb: req.verb,
      resource: req.resource,
      status: 200,
      reason: 'InvalidResponse',
      message: err instanceof Error ? err.message : String(err),
      attempts,
    });
  }
}

/** A non-2xx response as an error, from its Status body when it has one. */
function failure(res: Answer, text: string, now: number, fail: Fail): Attempt {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const st = statusSchema.safeParse(parsed);
  const retryAfterMs =
    parseRetryAfter(res.header('retry-after'), now) ??
    (st.success && st.data.details?.retryAfterSeconds !== undefined
      ? st.data.details.retryAfterSeconds * 1000
      : undefined);
  const extra = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (st.success) {
    const fields = (st.data.details?.causes ?? []).flatMap((c) => (c.field ? [c.field] : []));
    const objectName = st.data.details?.name;
    return fail(
      res.status,
      st.data.reason || reasonForCode(res.status),
      st.data.message ?? (res.statusText || 'no message'),
      { ...extra, ...(fields.length > 0 ? { fields } : {}), ...(objectName ? { objectName } : {}) },
    );
  }
  const snippet = text.trim().slice(0, 200);
  return fail(
    res.status,
    reasonForCode(res.status),
    snippet || res.statusText || `HTTP ${res.status}`,
    extra,
  );
}

function withAttempts(err: KarmadaApiError, attempts: number): KarmadaApiError {
  if (attempts === 1) return err;
  return apiError({
    verb: err.verb,
    resource: err.resource,
    status: err.status,
    reason: err.reason,
    message: err.detail,
    attempts,
    fields: err.fields,
    ...(err.objectName ? { objectName: err.objectName } : {}),
  });
}

// OpenSSL's verification failures as Node reports them (err.code, or cause.code under fetch/undici), and
// Node's host name check: the server is not who the CA says, or the CA is not the one configured. Retrying
// meets the same certificate, so these are permanent (errors.ts#isPermanent).
const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function isTlsVerification(err: unknown): boolean {
  const code = (e: unknown) =>
    e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
  const cause = err && typeof err === 'object' ? (err as { cause?: unknown }).cause : undefined;
  return TLS_VERIFY_CODES.has(code(err)) || TLS_VERIFY_CODES.has(code(cause));
}

function networkMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? ` (${String(cause.code)})` : '';
  const causeText = cause instanceof Error && cause.message !== err.message ? `: ${cause.message}` : '';
  return `${err.message}${causeText}${code}`;
}

/** Rejects when `signal` aborts, even if `p` never settles (an in-process transport may ignore the signal). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
