import { Hono } from 'hono';
import { evaluate } from '../pipeline/evaluate.ts';
import type { EvaluationResult, PipelineDeps } from '../pipeline/types.ts';

// Kubernetes names: RFC 1123 subdomain (FederatedHPA) and label (namespace). Checked before any API call so a
// path like /evaluate/../x never reaches the Karmada client.
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** HTTP status for an evaluation result: 5xx only when trying again can help. */
export function httpStatusFor(r: EvaluationResult): 200 | 404 | 409 | 422 | 503 {
  if (r.outcome === 'not-found') return 404;
  if (r.outcome === 'superseded') return 409;
  if (r.outcome === 'failed') return r.retryable ? 503 : 422;
  return 200;
}

export function evaluateRoutes(deps: () => PipelineDeps): Hono {
  const app = new Hono();
  app.post('/:namespace/:name', async (c) => {
    const { namespace, name } = c.req.param();
    if (!NAMESPACE.test(namespace)) {
      return c.json(
        { error: `namespace: invalid Kubernetes namespace name "${namespace.slice(0, 64)}"` },
        400,
      );
    }
    if (!NAME.test(name))
      return c.json({ error: `name: invalid FederatedHPA name "${name.slice(0, 64)}"` }, 400);
    // As the Kubernetes API spells it (apiserver's handlers: dryRun is a list whose only value is "All").
    const dryRun = c.req.queries('dryRun') ?? [];
    const badDryRun = dryRun.find((v) => v !== 'All');
    if (badDryRun !== undefined) {
      return c.json(
        { error: `dryRun: unsupported value "${badDryRun.slice(0, 64)}": the only supported value is "All"` },
        400,
      );
    }
    const result = await evaluate(deps(), { namespace, name }, dryRun.length > 0 ? { dryRun: true } : {});
    const status = httpStatusFor(result);
    if (status === 503) c.header('Retry-After', '10');
    return c.json(result, status);
  });
  return app;
}
