import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../log.ts';

// Every request is counted by route and status code, and every refused one (4xx) is logged at warn with what
// the route answered (its `error` field: bad credentials, a body that does not parse, a field that is out of
// range), so a misconfigured Alertmanager or API server shows up in fhpa's log and not only in theirs. The
// route is the pattern, never the raw path, so the metric's cardinality is bounded; the log shows the path cut
// to 128 characters. Request headers are never logged (they carry the credentials).

export interface RequestObserver {
  request(route: string, code: number, durationMs: number): void;
}

const ROUTES = [
  '/alerts',
  '/evaluate',
  '/sweep',
  '/validate-federatedhpa',
  '/validate-cronfederatedhpa',
  '/validate',
  '/healthz',
  '/readyz',
  '/metrics',
] as const;

/** The route a path belongs to, or `other` (unknown paths are a 404, counted together). */
export function routeOf(path: string): string {
  return ROUTES.find((r) => path === r || path.startsWith(`${r}/`)) ?? 'other';
}

export function requestLog(
  log: () => Logger | undefined,
  observer: RequestObserver | undefined,
  now: () => number = Date.now,
): MiddlewareHandler {
  return async (c, next) => {
    const started = now();
    await next();
    const path = new URL(c.req.url).pathname;
    const route = routeOf(path);
    const code = c.res.status;
    observer?.request(route, code, now() - started);
    if (code < 400 || code >= 500) return;
    let error: unknown;
    try {
      error = ((await c.res.clone().json()) as { error?: unknown }).error;
    } catch {
      error = undefined;
    }
    log()?.warn('request refused', {
      method: c.req.method,
      path: path.slice(0, 128),
      route,
      status: code,
      ...(typeof error === 'string' ? { error: error.slice(0, 512) } : {}),
    });
  };
}
