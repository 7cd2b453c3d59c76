import type { Alert } from '../api/alertmanager.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { KarmadaAdapter } from '../karmada/adapter.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/names.ts';

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

// A Kind is a Go identifier in CamelCase; 63 is far above any real one.
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;

/** Shows at most 64 characters of a label value in a message. */
const shown = (v: string) => JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v);

/**
 * Why a label cannot name what it should, or undefined. Labels come from whoever writes alert rules and reach
 * Karmada API paths, so each is checked as the Kubernetes name it must be (issue 18: namespace=".." made fhpa
 * list FederatedHPAs cluster-wide) before any call.
 */
function badLabel(label: string, value: string, what: 'namespace' | 'name' | 'kind'): string | undefined {
  const errs =
    what === 'namespace'
      ? isDNS1123Label(value)
      : what === 'name'
        ? isDNS1123Subdomain(value)
        : KIND.test(value)
          ? []
          : ['must be a Kind such as Deployment'];
  if (errs.length === 0) return undefined;
  const noun = what === 'namespace' ? 'a namespace' : what === 'name' ? 'a Kubernetes object name' : 'a Kind';
  return `label "${label}" ${shown(value)} is not ${noun}: ${errs[0]}`;
}

export function alertTarget(alert: Alert): AlertTarget {
  const l = alert.labels;
  const nsLabel = l.federatedhpa_namespace !== undefined ? 'federatedhpa_namespace' : 'namespace';
  const namespace = l[nsLabel];
  const bad = (label: string, value: string | undefined, what: 'namespace' | 'name' | 'kind') =>
    value === undefined ? undefined : badLabel(label, value, what);
  const invalid = bad(nsLabel, namespace || undefined, 'namespace');
  if (l.federatedhpa) {
    if (!namespace)
      return { kind: 'none', message: 'label "federatedhpa" is set but "namespace" is missing' };
    const message = invalid ?? bad('federatedhpa', l.federatedhpa, 'name');
    if (message !== undefined) return { kind: 'none', message };
    return { kind: 'fhpa', namespace, name: l.federatedhpa };
  }
  const byKind: Array<[string, string | undefined]> = [
    ['Deployment', l.deployment],
    ['StatefulSet', l.statefulset],
    [l.workload_kind ?? 'Deployment', l.workload],
  ];
  const labelOf = ['deployment', 'statefulset', 'workload'];
  for (const [i, [workloadKind, workload]] of byKind.entries()) {
    if (!workload) continue;
    if (!namespace)
      return { kind: 'none', message: `workload label names ${shown(workload)} but "namespace" is missing` };
    const message =
      invalid ??
      bad(labelOf[i] ?? 'workload', workload, 'name') ??
      bad('workload_kind', workloadKind, 'kind');
    if (message !== undefined) return { kind: 'none', message };
    return { kind: 'workload', namespace, workloadKind, workload };
  }
  return {
    kind: 'none',
    message:
      'no target labels: set "federatedhpa" and "namespace", or "namespace" and "deployment"/"statefulset"',
  };
}

/** The FederatedHPAs of a namespace, as one notification's lookups share them. */
export type NamespaceLister = (namespace: string) => Promise<FederatedHPA[]>;

/**
 * A lister that LISTs each namespace once, however many alerts of one notification name workloads in it
 * (issue 18: 1,000 alerts made 1,000 LIST calls), and at most `maxNamespaces` namespaces: beyond that it
 * throws a TooManyLookupsError without calling Karmada.
 */
export function listOncePerNamespace(karmada: KarmadaAdapter, maxNamespaces: number): NamespaceLister {
  const lists = new Map<string, Promise<FederatedHPA[]>>();
  return (namespace) => {
    let p = lists.get(namespace);
    if (p === undefined) {
      if (lists.size >= maxNamespaces) return Promise.reject(new TooManyLookupsError(maxNamespaces));
      p = karmada.listFederatedHPAs({ namespace });
      lists.set(namespace, p);
    }
    return p;
  };
}

/** A notification named workloads in more namespaces than one notification may list. */
export class TooManyLookupsError extends Error {
  constructor(readonly limit: number) {
    super(
      `workload alerts in more than ${limit} namespaces in one notification: the rest are left to the sweep`,
    );
    this.name = 'TooManyLookupsError';
  }
}

/** Resolves a workload target to the FederatedHPAs scaling it (normally one). */
export async function federatedHPAsForWorkload(
  list: NamespaceLister,
  target: Extract<AlertTarget, { kind: 'workload' }>,
): Promise<string[]> {
  return (await list(target.namespace))
    .filter(
      (f) =>
        f.spec.scaleTargetRef.name === target.workload && f.spec.scaleTargetRef.kind === target.workloadKind,
    )
    .map((f) => f.metadata.name ?? '')
    .filter((n) => n !== '');
}
