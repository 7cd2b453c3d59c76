import { Hono } from 'hono';
import { alertmanagerPayloadSchema } from '../api/alertmanager.ts';
import { alertTarget, federatedHPAsForWorkload } from '../pipeline/alert-targets.ts';
import { evaluate } from '../pipeline/evaluate.ts';
import type { EvaluationResult, PipelineDeps } from '../pipeline/types.ts';
import { readJsonBody } from './json-body.ts';

export interface AlertOutcome {
  fingerprint?: string;
  status: 'firing' | 'resolved';
  target?: string;
  outcome: EvaluationResult['outcome'] | 'ignored' | 'duplicate';
  retryable: boolean;
  message?: string;
  desiredReplicas?: number;
}

// The Alertmanager webhook receiver. Status codes follow what Alertmanager does with them
// (notify/util.go#Retrier.Check): it retries only on 5xx and network errors and drops every 4xx until the
// next group_interval. So: 401 bad credentials, 400/413 bad payload (retrying cannot help), 503 when any
// evaluation failed transiently (the whole notification comes back, and evaluations are idempotent), 200
// otherwise — including alerts that name no known FederatedHPA, which are reported in the body.
export function alertRoutes(deps: () => PipelineDeps, opts: { maxBodyBytes: number }): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const body = await readJsonBody(c, alertmanagerPayloadSchema, { maxBytes: opts.maxBodyBytes });
    if (!body.ok) return body.response;
    const d = deps();
    const log = d.log.child({ receiver: body.value.receiver, groupKey: body.value.groupKey });

    const outcomes: AlertOutcome[] = [];
    const evaluations = new Map<string, Promise<EvaluationResult>>();
    const evaluateOnce = (namespace: string, name: string) => {
      const key = `${namespace}/${name}`;
      let p = evaluations.get(key);
      const duplicate = p !== undefined;
      if (!p) {
        p = evaluate(d, { namespace, name });
        evaluations.set(key, p);
      }
      return { key, promise: p, duplicate };
    };

    const pending: Array<Promise<void>> = [];
    for (const alert of body.value.alerts) {
      const base = {
        ...(alert.fingerprint ? { fingerprint: alert.fingerprint } : {}),
        status: alert.status,
      };
      const target = alertTarget(alert);
      if (target.kind === 'none') {
        outcomes.push({ ...base, outcome: 'ignored', retryable: false, message: target.message });
        continue;
      }
      const slot = outcomes.push({ ...base, outcome: 'ignored', retryable: false }) - 1;
      pending.push(
        (async () => {
          let names: string[];
          if (target.kind === 'fhpa') {
            names = [target.name];
          } else {
            try {
              names = await federatedHPAsForWorkload(d.karmada, target);
            } catch (err) {
              outcomes[slot] = {
                ...base,
                outcome: 'failed',
                retryable: true,
                message: `listing FederatedHPAs: ${err instanceof Error ? err.message : String(err)}`,
              };
              return;
            }
            if (names.length === 0) {
              outcomes[slot] = {
                ...base,
                outcome: 'not-found',
                retryable: false,
                message: `no FederatedHPA scales ${target.workloadKind} ${target.namespace}/${target.workload}`,
              };
              return;
            }
          }
          // One alert naming a workload scaled by several FederatedHPAs evaluates them all; the alert's outcome
          // is the first one's, and a transient failure of any makes the notification retryable.
          const runs = names.map((n) => evaluateOnce(target.namespace, n));
          const results = await Promise.all(runs.map((r) => r.promise));
          const first = results[0]!;
          outcomes[slot] = {
            ...base,
            target: runs.map((r) => r.key).join(','),
            outcome: runs.every((r) => r.duplicate) ? 'duplicate' : first.outcome,
            retryable: results.some((r) => r.retryable),
            ...(first.message ? { message: first.message } : {}),
            ...(first.desiredReplicas !== undefined ? { desiredReplicas: first.desiredReplicas } : {}),
          };
        })(),
      );
    }
    await Promise.all(pending);

    const retry = outcomes.some((o) => o.retryable);
    log.info('alert notification handled', {
      alerts: outcomes.length,
      evaluations: evaluations.size,
      retry,
    });
    if (retry) c.header('Retry-After', '10');
    return c.json({ evaluations: evaluations.size, alerts: outcomes }, retry ? 503 : 200);
  });
  return app;
}
