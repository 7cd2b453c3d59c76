import type { MiddlewareHandler } from 'hono';

// Credentials the webhook routes accept, as Alertmanager's http_config sends them: `authorization`
// (Bearer) or `basic_auth`. Kept as bytes so comparison never depends on string internals.
export interface Credentials {
  bearerToken?: string;
  basicUser?: string;
  basicPassword?: string;
}

const encoder = new TextEncoder();

/**
 * Compares two secrets in time that depends only on the length of the expected one: every byte is
 * visited and differences are OR-ed together, so an attacker learns nothing from how fast a guess fails.
 * (Web-standard, so the same code runs on Workers, where node:crypto.timingSafeEqual may be missing.)
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % Math.max(a.length, 1)] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function decodeBasic(value: string): { user: string; password: string } | undefined {
  try {
    const decoded = atob(value);
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  } catch {
    return undefined;
  }
}

/** True when the Authorization header carries one of the configured credentials. */
export function authorized(header: string | undefined, creds: Credentials): boolean {
  if (!header) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' && creds.bearerToken !== undefined)
    return constantTimeEqual(value, creds.bearerToken);
  if (scheme === 'basic' && creds.basicUser !== undefined && creds.basicPassword !== undefined) {
    const basic = decodeBasic(value);
    if (!basic) return false;
    // Both halves are always compared, so a right user with a wrong password takes as long as a wrong user.
    const userOk = constantTimeEqual(basic.user, creds.basicUser);
    const passOk = constantTimeEqual(basic.password, creds.basicPassword);
    return userOk && passOk;
  }
  return false;
}

export function hasCredentials(creds: Credentials): boolean {
  return (
    creds.bearerToken !== undefined || (creds.basicUser !== undefined && creds.basicPassword !== undefined)
  );
}

/** Hono middleware: 401 with a Status-like JSON body unless the request carries valid credentials. */
export function requireAuth(creds: Credentials): MiddlewareHandler {
  return async (c, next) => {
    if (!authorized(c.req.header('authorization'), creds)) {
      c.header('WWW-Authenticate', 'Bearer realm="fhpa", Basic realm="fhpa"');
      return c.json({ error: 'unauthorized: missing or invalid credentials (Authorization header)' }, 401);
    }
    await next();
  };
}
