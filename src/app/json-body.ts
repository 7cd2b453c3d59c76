import type { Context } from 'hono';
import type { z } from 'zod';
import { fieldPath } from '../api/field-path.ts';

// Reads a JSON request body for a route, bounded in size and depth and checked against a zod schema. Never
// throws for bad input: every problem becomes a Response the route returns as is.
//   413  more than maxBytes (counted while streaming, so a missing or lying Content-Length does not help)
//   415  a Content-Type that is not JSON (an absent one is read as JSON: curl and some senders omit it)
//   400  not JSON (with the parser's position), nested deeper than maxDepth (with the path), or JSON that
//        does not fit the schema (`path: message` each)

export interface JsonBodyOptions {
  maxBytes: number;
  /** Default DEFAULT_MAX_JSON_DEPTH. */
  maxDepth?: number;
}

/**
 * How deep a body may nest. JSON.parse takes any depth, but the recursive code after it does not: quoting a
 * bad value in a Karmada field error (JSON.stringify) overflows V8's stack a few thousand levels down, a 500
 * the fuzz benchmark found. The deepest field of a FederatedHPA, CronFederatedHPA or Alertmanager payload is
 * about 10 levels below the body's root (managedFields mirror the object's own shape), so 100 refuses no
 * real sender. (The Kubernetes API server's own decoder stops at 10,000, apimachinery util/json maxDepth.)
 */
export const DEFAULT_MAX_JSON_DEPTH = 100;

export type JsonBodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

const problem = (status: number, message: string): Response =>
  new Response(JSON.stringify({ error: message }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });

/** Reads at most maxBytes of the body; undefined when there is more. */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return true;
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** A path as zod reports it, written `request.kind.group` or `alerts[0].labels`; `(body)` for the root. */
export function showPath(path: readonly PropertyKey[]): string {
  return fieldPath(path) || '(body)';
}

/** `path: message` for each issue, joined with "; ". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${showPath(i.path)}: ${i.message}`).join('; ');
}

/**
 * The path of the first object or array nested more than maxDepth levels deep, or undefined. A loop with its
 * own stack, not recursion: what it guards against would overflow a recursive walk as well.
 */
export function pathDeeperThan(value: unknown, maxDepth: number): Array<string | number> | undefined {
  // Nodes link to their parent, so a path is only built for the one offender, not copied for every value
  // (this runs on every webhook body, and copying paths cost as much as JSON.parse).
  interface Node {
    value: object;
    depth: number;
    parent: Node | undefined;
    key: string | number;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const pending: Node[] = [{ value, depth: 0, parent: undefined, key: '' }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.depth >= maxDepth) {
      const path: Array<string | number> = [];
      for (let n: Node | undefined = node; n?.parent; n = n.parent) path.push(n.key);
      return path.reverse();
    }
    const v = node.value;
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) {
        const child: unknown = v[k];
        if (typeof child === 'object' && child !== null)
          pending.push({ value: child, depth: node.depth + 1, parent: node, key: k });
      }
    } else {
      for (const k in v) {
        const child: unknown = (v as Record<string, unknown>)[k];
        if (typeof child === 'object' && child !== null)
          pending.push({ value: child, depth: node.depth + 1, parent: node, key: k });
      }
    }
  }
  return undefined;
}

/** The first dozen segments of a long path: enough to find the field, short enough to read. */
function showLongPath(path: readonly (string | number)[]): string {
  const head = showPath(path.slice(0, 12));
  return path.length > 12 ? `${head}…` : head;
}

/** Parses JSON text; on failure, the parser's message (which names the position). */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  opts: JsonBodyOptions,
): Promise<JsonBodyResult<z.infer<S>>> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && Number(declared) > opts.maxBytes) {
    return { ok: false, response: problem(413, `request body is larger than ${opts.maxBytes} bytes`) };
  }
  if (!isJsonContentType(c.req.header('content-type'))) {
    return {
      ok: false,
      response: problem(
        415,
        `content type ${JSON.stringify(c.req.header('content-type'))} is not JSON: send application/json`,
      ),
    };
  }
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readBounded(c.req.raw.body, opts.maxBytes);
  } catch (e) {
    return {
      ok: false,
      response: problem(
        400,
        `could not read the request body: ${e instanceof Error ? e.message : String(e)}`,
      ),
    };
  }
  if (bytes === undefined) {
    return { ok: false, response: problem(413, `request body is larger than ${opts.maxBytes} bytes`) };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, response: problem(400, 'request body is not valid UTF-8') };
  }
  if (text.trim() === '')
    return { ok: false, response: problem(400, 'request body is empty: expected JSON') };
  const json = parseJsonText(text);
  if (!json.ok)
    return { ok: false, response: problem(400, `request body is not valid JSON: ${json.message}`) };
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const deep = pathDeeperThan(json.value, maxDepth);
  if (deep !== undefined) {
    return {
      ok: false,
      response: problem(400, `request body nests more than ${maxDepth} levels deep at ${showLongPath(deep)}`),
    };
  }
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    return {
      ok: false,
      response: problem(
        400,
        `request body does not match the expected shape: ${describeIssues(parsed.error.issues)}`,
      ),
    };
  }
  return { ok: true, value: parsed.data };
}
