import type { z } from 'zod';

// The demo and `fhpa simulate` talk to the simulated Karmada and to fhpa only through HTTP requests, exactly
// as Alertmanager, a scheduler, kubectl or a load generator would. An endpoint is a base URL and a bearer
// token, plus an optional fetch: the served demo uses the real network (loopback), `fhpa simulate` hands in
// the Hono apps' own fetch so the same requests run in-process with no socket.

export interface Endpoint {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123. */
  url: string;
  token: string;
  fetch?: (req: Request) => Promise<Response>;
}

/** Bodies the driver reads are small JSON documents; anything larger is a bug or a wrong endpoint. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** A request that did not answer as expected, named by method and path (never by token). */
export class EndpointError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${method} ${path}: ${status === 0 ? '' : `HTTP ${status}: `}${detail}`);
    this.name = 'EndpointError';
  }
}

export interface CallOptions {
  body?: unknown;
  /** Status codes that are answers rather than failures (default: 2xx only). */
  accept?: readonly number[];
  contentType?: string;
}

export interface CallResult<T> {
  status: number;
  body: T;
}

/** Sends one request and parses the JSON answer with `schema`; errors name the request and the field. */
export async function call<T extends z.ZodType>(
  ep: Endpoint,
  method: string,
  path: string,
  schema: T,
  opts: CallOptions = {},
): Promise<CallResult<z.infer<T>>> {
  const headers: Record<string, string> = { Authorization: `Bearer ${ep.token}`, Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
  const req = new Request(`${ep.url}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  let res: Response;
  try {
    res = await (ep.fetch ?? fetch)(req);
  } catch (err) {
    throw new EndpointError(method, path, 0, err instanceof Error ? err.message : String(err));
  }
  const text = await res.text();
  if (text.length > MAX_RESPONSE_BYTES) {
    throw new EndpointError(method, path, res.status, `response over ${MAX_RESPONSE_BYTES} bytes`);
  }
  const ok = res.ok || (opts.accept ?? []).includes(res.status);
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new EndpointError(method, path, res.status, `response is not JSON: ${text.slice(0, 120)}`);
  }
  if (!ok) throw new EndpointError(method, path, res.status, messageOf(json) ?? text.slice(0, 200));
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(root)';
    throw new EndpointError(
      method,
      path,
      res.status,
      `unexpected response: ${field}: ${issue?.message ?? ''}`,
    );
  }
  return { status: res.status, body: parsed.data };
}

/** The human part of an error body: a Kubernetes Status `message` or fhpa's `{error}`. */
function messageOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { message, error } = json as { message?: unknown; error?: unknown };
  if (typeof message === 'string') return message;
  if (typeof error === 'string') return error;
  return undefined;
}
