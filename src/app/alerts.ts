import { Hono } from 'hono';
import { alertmanagerPayloadSchema } from '../api/alertmanager.ts';
import { isPermanent } from '../karmada/errors.ts';
import {
  alertTarget,
  federatedHPAsForWorkload,
  listOncePerNamespace,
  TooManyLookupsError,
} from '../pipeline/alert-targets.ts';
import { evaluate } from '../pipeline/evaluate.ts';
import type { EvaluationResult, PipelineDeps } from '../pipeline/types.ts';
import { wantsFollowUp } from './alert-follow-up.ts';
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
// evaluation failed transiently (the whole notification comes back, and evaluations are idempotent), 422 when
// an evaluation failed for good (TLS trust, credentials, RBAC, a missing CRD: Alertmanager logs the failed
// notification and stops, fhpa logs the cause at error), 200 otherwise — including alerts that name no known
// FederatedHPA, which are reported in the body.
/**
 * What one notification may cost (issue 18): it lists the FederatedHPAs of at most this many namespaces (each
 * once) and evaluates at most this many FederatedHPAs. Alertmanager sends at most 1,000 alerts per
 * notification and fhpa refuses more; alerts beyond these bounds are answered `ignored` (not retried: the
 * sweep evaluates every FederatedHPA anyway).
 */
export const MAX_NAMESPACES_PER_NOTIFICATION = 20;
export const MAX_EVALUATIONS_PER_NOTIFICATION = 100;

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
        if (evaluations.size >= MAX_EVALUATIONS_PER_NOTIFICATION) return undefined;
        p = evaluate(d, { namespace, name });
        evaluations.set(key, p);
      }
      return { key, promise: p, duplicate };
    };
    const listFederatedHPAs = listOncePerNamespace(d.karmada, MAX_NAMESPACES_PER_NOTIFICATION);

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
              names = await federatedHPAsForWorkload(listFederatedHPAs, target);
            } catch (err) {
              if (err instanceof TooManyLookupsError) {
                outcomes[slot] = { ...base, outcome: 'ignored', retryable: false, message: err.message };
                return;
              }
              outcomes[slot] = {
                ...base,
                outcome: 'failed',
                retryable: !isPermanent(err),
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
          const runs = names.flatMap((n) => evaluateOnce(target.namespace, n) ?? []);
          if (runs.length === 0) {
            outcomes[slot] = {
              ...base,
              outcome: 'ignored',
              retryable: false,
              message: `more than ${MAX_EVALUATIONS_PER_NOTIFICATION} FederatedHPAs in one notification: the rest are left to the sweep`,
            };
            return;
          }
          const results = await Promise.all(runs.map((r) => r.promise));
          const first = results[0]!;
          outcomes[slot] = {
            ...base,
            target: runs.map((r) => r.key).join(','),
            outcome: runs.every((r) => r.duplicate) ? 'duplicate' : first.outcome,
            retryable: results.some((r) => r.retryable || wantsFollowUp(r, alert, d.clock())),
            ...(first.message ? { message: first.message } : {}),
            ...(first.desiredReplicas !== undefined ? { desiredReplicas: first.desiredReplicas } : {}),
          };
        })(),
      );
    }
    await Promise.all(pending);

    const retry = outcomes.some((o) => o.retryable);
    const failed = outcomes.some((o) => o.outcome === 'failed');
    const status = retry ? 503 : failed ? 422 : 200;
    for (const o of outcomes) d.observer?.alert?.(o);
    (status === 200 ? log.info : log.warn)('alert notification handled', {
      alerts: outcomes.length,
      evaluations: evaluations.size,
      status,
    });
    if (retry) c.header('Retry-After', '10');
    return c.json({ evaluations: evaluations.size, alerts: outcomes }, status);
  });
  return app;
}
