import type { z } from 'zod';
import { fieldPath } from '../api/field-path.ts';

// Bounded reading and schema-checked parsing of response bodies: a huge or malformed body becomes an
// error that names the problem (and the field), never an out-of-memory or a TypeError deep in the pipeline.

export class BodyError extends Error {}

/** Reads at most `maxBytes` of the body as UTF-8; larger bodies are cancelled and rejected. */
export async function readBounded(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new BodyError(`response body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyError(`response body exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(`response is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/** The first zod issue as `path.to.field: message` (`(root)` for the body itself). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid body';
  const path = fieldPath(issue.path) || '(root)';
  return `${path}: ${issue.message}`;
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new BodyError(`unexpected response body: ${describeIssue(result.error)}`);
  return result.data;
}
