import type { Logger } from '../log.ts';
import type { EvaluationResult } from './types.ts';

// One log line per evaluation, whatever triggered it, at the level an operator filters on:
//   info   a decision (scaled from → to, or kept), with the engine's reason; a superseded write
//   warn   a failure that a retry or the next trigger can get past (API outage, store conflict), or a
//          FederatedHPA that does not exist (an alert naming it is stale)
//   error  a failure that will repeat until someone fixes something (TLS trust, credentials, RBAC, a missing
//          CRD, a target without a selector): Alertmanager is told 4xx and stops retrying, so this line is
//          where the operator learns of it
// Messages carry Karmada's answer as KarmadaApiError renders it, which never includes a credential.
export function logEvaluation(log: Logger, r: EvaluationResult, durationMs: number): void {
  const fields: Record<string, unknown> = {
    namespace: r.namespace,
    name: r.name,
    outcome: r.outcome,
    durationMs,
  };
  if (r.currentReplicas !== undefined) fields.from = r.currentReplicas;
  if (r.desiredReplicas !== undefined) fields.to = r.desiredReplicas;
  if (r.reason !== undefined) fields.reason = r.reason;
  switch (r.outcome) {
    case 'scaled':
      log.info(`scaled ${r.namespace}/${r.name} from ${r.currentReplicas} to ${r.desiredReplicas}`, fields);
      return;
    case 'unchanged':
      log.info(`kept ${r.namespace}/${r.name} at ${r.currentReplicas}`, {
        ...fields,
        ...(r.message ? { warning: r.message } : {}),
        ...(r.retryable ? { retryable: true } : {}),
      });
      return;
    case 'superseded':
      log.info(`scale of ${r.namespace}/${r.name} changed under the evaluation; not written`, {
        ...fields,
        cause: r.message,
      });
      return;
    case 'dry-run':
    case 'shadow':
    case 'paused':
      // Decided, not applied (write-policy.ts): the decision is what the operator is watching for.
      log.info(
        `${r.outcome}: ${r.namespace}/${r.name} would ${r.wouldScale ? `scale from ${r.currentReplicas} to ${r.desiredReplicas}` : `keep ${r.currentReplicas}`}`,
        fields,
      );
      return;
    case 'not-found':
      log.warn(`FederatedHPA ${r.namespace}/${r.name} not found`, { ...fields, cause: r.message });
      return;
    case 'failed':
      (r.retryable ? log.warn : log.error)(`evaluation of ${r.namespace}/${r.name} failed`, {
        ...fields,
        retryable: r.retryable,
        cause: r.message,
      });
  }
}
