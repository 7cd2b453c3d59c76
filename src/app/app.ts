import { Hono } from 'hono';
import type { PipelineDeps } from '../pipeline/types.ts';
import { admissionRoutes } from './admission.ts';
import { alertRoutes } from './alerts.ts';
import { type Credentials, requireAuth } from './auth.ts';
import { evaluateRoutes } from './evaluate-route.ts';
import { unmatched } from './method-not-allowed.ts';
import type { PipelineMetrics } from './prometheus.ts';
import { type Readiness, readinessCheck } from './readiness.ts';
import { requestLog } from './request-log.ts';
import { type SweepScope, scheduledRoutes } from './scheduled-route.ts';

export interface AppOptions {
  /** Built lazily: on Workers the environment (and so the clients) is only known at request time. */
  deps: () => PipelineDeps;
  credentials: Credentials;
  maxBodyBytes: number;
  /** What POST /sweep covers, asked per request (default: everything). */
  sweep?: () => SweepScope;
  /** Node server only: exposes /metrics. */
  metrics?: PipelineMetrics;
  /** The admission webhook's one-autoscaler-per-target check reads Karmada within this (0 or absent: off). */
  admissionLookupTimeoutMs?: number;
}

// One web-standard app for every runtime (Hono's model): Request in, Response out. functions/ hands it to
// Workers, Lambda or Node; nothing here knows which.
export function createApp(opts: AppOptions): Hono {
  const app = new Hono();
  const auth = requireAuth(opts.credentials);

  const log = () => {
    try {
      return opts.deps().log;
    } catch {
      return undefined; // bad configuration: the route itself answers 503 and says why
    }
  };
  app.use('*', requestLog(log, opts.metrics));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  // Readiness: Karmada and the store answer (readiness.ts). A probe's timeout is 1 s by default, so each check
  // gets less; answers are reused for 5 s.
  const readiness = readinessCheck({ deps: opts.deps, timeoutMs: 800, cacheMs: 5_000 });
  app.get('/readyz', async (c) => {
    let r: Readiness;
    try {
      r = await readiness();
    } catch {
      return c.json({ status: 'not ready', error: 'fhpa is not configured' }, 503);
    }
    return c.json({ status: r.ready ? 'ready' : 'not ready', checks: r.checks }, r.ready ? 200 : 503);
  });

  // Admission webhooks are called by the Karmada API server, which authenticates the webhook (TLS), not
  // itself; validation has no side effects, so these routes need no credentials.
  const metrics = opts.metrics;
  app.route(
    '/',
    admissionRoutes({
      maxBodyBytes: opts.maxBodyBytes,
      ...(metrics ? { onReview: (req, res) => metrics.admission(req.kind.kind, res.allowed) } : {}),
      ...(opts.admissionLookupTimeoutMs
        ? { targets: { karmada: () => opts.deps().karmada, timeoutMs: opts.admissionLookupTimeoutMs } }
        : {}),
    }),
  );

  app.use('/alerts', auth);
  app.route('/alerts', alertRoutes(opts.deps, { maxBodyBytes: opts.maxBodyBytes }));
  app.use('/evaluate/*', auth);
  app.route('/evaluate', evaluateRoutes(opts.deps));
  app.use('/sweep', auth);
  app.route('/sweep', scheduledRoutes(opts.deps, opts.sweep ?? (() => ({ options: {} }))));

  if (metrics) {
    app.get('/metrics', async (c) =>
      c.text(await metrics.render(), 200, { 'Content-Type': metrics.contentType }),
    );
  }

  app.notFound(unmatched(app));
  // Handlers answer bad input themselves; reaching this is a bug. Say so without leaking internals.
  app.onError((err, c) => {
    // deps may be what failed (bad configuration); the response below still goes out.
    log()?.error('unhandled error in route', { path: new URL(c.req.url).pathname, error: err.message });
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
