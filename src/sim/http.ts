import type { Context } from 'hono';
import { badRequest, StatusError, tooLarge, unsupportedMediaType } from './k8s-status.ts';

// Request and response plumbing shared by every route: Status responses (with Retry-After where a
// client is told to wait), bounded JSON bodies, and the patch media types the API server accepts.

/** The API server's default request body limit (apiserver/pkg/server/config.go MaxRequestBodyBytes). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function statusResponse(err: StatusError): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const retry = err.details?.retryAfterSeconds;
  if (retry !== undefined) headers['retry-after'] = String(retry);
  return new Response(JSON.stringify(err.body()), { status: err.code, headers });
}

/** Any thrown value as a response: Status errors as themselves, anything else as a 500 Status. */
export function errorResponse(err: unknown): Response {
  if (err instanceof StatusError) return statusResponse(err);
  const message = err instanceof Error ? err.message : String(err);
  return statusResponse(new StatusError(500, 'InternalError', `Internal error occurred: ${message}`));
}

/** Reads the body as JSON, refusing more than `limit` bytes (413) and malformed JSON (400). */
export async function readJson(c: Context, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  const text = await c.req.text();
  if (new TextEncoder().encode(text).length > limit) throw tooLarge(limit);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export type PatchType = 'merge' | 'json';

/**
 * The patch format named by Content-Type: merge patch, JSON patch, or strategic merge patch (applied as
 * a merge patch here); server-side apply and anything else is refused with 415 as upstream. Custom resources
 * (`custom`) refuse strategic merge patch too, as apiextensions-apiserver does: it has no Go struct to merge by.
 */
export function patchTypeOf(contentType: string | undefined, custom = false): PatchType {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/merge-patch+json') return 'merge';
  if (type === 'application/strategic-merge-patch+json' && !custom) return 'merge';
  if (type === 'application/json-patch+json') return 'json';
  throw unsupportedMediaType(type || '(none)', custom);
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
