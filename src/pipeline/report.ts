import type { Condition, HPAStatus } from '../api/autoscaling-v2.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import { statusChanged } from './status.ts';
import type { PipelineDeps } from './types.ts';

// What an evaluation tells Kubernetes about itself: the FederatedHPA's status (written only when it changed)
// and the object reference its Events name.

export async function writeStatus(deps: PipelineDeps, fhpa: FederatedHPA, status: HPAStatus): Promise<void> {
  if (!statusChanged(fhpa.status, status)) return;
  try {
    await deps.karmada.updateFederatedHPAStatus(fhpa, status);
  } catch (err) {
    deps.log.warn('status update failed', {
      namespace: fhpa.metadata.namespace,
      name: fhpa.metadata.name,
      error: errText(err),
    });
    await deps.karmada.recordEvent(
      objectRef(fhpa),
      'Warning',
      'FailedUpdateStatus',
      errText(err),
      deps.clock(),
    );
  }
}

export function mergeConditions(conditions: Condition[], update: Condition): Condition[] {
  const i = conditions.findIndex((c) => c.type === update.type);
  if (i < 0) return [...conditions, update];
  const next = [...conditions];
  next[i] = update;
  return next;
}

export function historyKey(deps: Pick<PipelineDeps, 'scope'>, namespace: string, name: string) {
  return { scope: deps.scope, namespace, name };
}

export function objectRef(fhpa: FederatedHPA) {
  return {
    apiVersion: fhpa.apiVersion,
    kind: fhpa.kind,
    namespace: fhpa.metadata.namespace ?? 'default',
    name: fhpa.metadata.name ?? '',
    ...(fhpa.metadata.uid ? { uid: fhpa.metadata.uid } : {}),
  };
}

export function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
