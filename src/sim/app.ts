import { Hono } from 'hono';
import { mountAdmin } from './admin-routes.ts';
import { authMiddleware } from './authorization.ts';
import { mountControlPlanePods } from './control-plane-pods.ts';
import { mountCrud } from './crud-routes.ts';
import { mountDiscovery } from './discovery-routes.ts';
import { errorResponse, statusResponse } from './http.ts';
import { pathNotFound } from './k8s-status.ts';
import { mountMetrics } from './metrics-routes.ts';
import { mountOpenApi } from './openapi-routes.ts';
import { mountProxy } from './proxy-routes.ts';
import { requestInfo } from './request-info.ts';
import { RESOURCE_TYPES, WORKLOAD_TYPES } from './resources.ts';
import { mountScale } from './scale-routes.ts';
import type { SimState } from './state.ts';

// The simulated Karmada API server as a web-standard Hono app (no sockets: index.ts serves it on
// loopback, tests may call app.request directly). Middleware order: request log (sees every answer,
// faults and 401s included) → authentication and authorization (authorization.ts) → scale-write counters → fault injection →
// routes; anything unrouted is the API server's 404 Status.

const WORKLOAD_RESOURCES = new Set(WORKLOAD_TYPES.map((t) => t.resource));

export function createSimulatorApp(state: SimState): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const at = state.now();
    const started = performance.now();
    await next();
    if (state.tapped) state.tapResponse(await c.res.clone().text());
    state.logRequest({
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      at,
      durationMs: performance.now() - started,
    });
  });

  app.use('*', authMiddleware(state));

  app.use('*', async (c, next) => {
    const info = requestInfo(c.req.method, c.req.path);
    if (
      info.subresource === 'scale' &&
      WORKLOAD_RESOURCES.has(info.resource ?? '') &&
      info.apiGroup === 'apps'
    ) {
      if (c.req.method === 'PUT') state.counters.scaleWrites.put += 1;
      if (c.req.method === 'PATCH') state.counters.scaleWrites.patch += 1;
    }
    return next();
  });

  app.use('*', state.faults.middleware());

  mountDiscovery(app);
  mountOpenApi(app);
  mountAdmin(app, state);
  for (const t of RESOURCE_TYPES) mountCrud(app, state, t);
  for (const t of WORKLOAD_TYPES) mountScale(app, state, t);
  mountControlPlanePods(app, () => state.store.resourceVersion());
  mountProxy(app, state);
  mountMetrics(app, state);

  app.notFound(() => statusResponse(pathNotFound()));
  app.onError((err) => errorResponse(err));
  return app;
}
