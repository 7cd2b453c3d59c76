import type { Alert } from '../api/alertmanager.ts';
import type { KarmadaAdapter } from '../karmada/adapter.ts';

// Which FederatedHPA an alert asks us to evaluate. Two ways, documented in README ("Wiring Alertmanager"):
//  1. explicit labels `federatedhpa` (its name) and `namespace` — the reliable way, set in the alert rule;
//  2. the workload's labels, as kube-state-metrics and most rules already carry them: `namespace` plus one of
//     `deployment`, `statefulset`, or `workload` (with optional `workload_kind`, default Deployment); the
//     FederatedHPA whose scaleTargetRef names that workload is evaluated.
// An alert is only a trigger: fhpa re-reads metrics and decides itself, so direction labels are not needed
// and a late or duplicated alert is harmless.

export type AlertTarget =
  | { kind: 'fhpa'; namespace: string; name: string }
  | { kind: 'workload'; namespace: string; workloadKind: string; workload: string }
  | { kind: 'none'; message: string };

export function alertTarget(alert: Alert): AlertTarget {
  const l = alert.labels;
  const namespace = l.federatedhpa_namespace ?? l.namespace;
  if (l.federatedhpa) {
    if (!namespace)
      return { kind: 'none', message: 'label "federatedhpa" is set but "namespace" is missing' };
    return { kind: 'fhpa', namespace, name: l.federatedhpa };
  }
  const byKind: Array<[string, string | undefined]> = [
    ['Deployment', l.deployment],
    ['StatefulSet', l.statefulset],
    [l.workload_kind ?? 'Deployment', l.workload],
  ];
  for (const [workloadKind, workload] of byKind) {
    if (!workload) continue;
    if (!namespace)
      return { kind: 'none', message: `workload label names "${workload}" but "namespace" is missing` };
    return { kind: 'workload', namespace, workloadKind, workload };
  }
  return {
    kind: 'none',
    message:
      'no target labels: set "federatedhpa" and "namespace", or "namespace" and "deployment"/"statefulset"',
  };
}

/** Resolves a workload target to the FederatedHPAs scaling it (normally one). */
export async function federatedHPAsForWorkload(
  karmada: KarmadaAdapter,
  target: Extract<AlertTarget, { kind: 'workload' }>,
): Promise<string[]> {
  const list = await karmada.listFederatedHPAs({ namespace: target.namespace });
  return list
    .filter(
      (f) =>
        f.spec.scaleTargetRef.name === target.workload && f.spec.scaleTargetRef.kind === target.workloadKind,
    )
    .map((f) => f.metadata.name ?? '')
    .filter((n) => n !== '');
}
