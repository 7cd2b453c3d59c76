import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import type { Simulator } from '../../src/sim/index.ts';
import { seedFederatedHPA } from '../../test/support/seed.ts';

// The objects the benchmarks and reliability suites send and set up: the seed walkthrough's workload under
// any name, Alertmanager notifications and AdmissionReviews, shaped as their senders shape them.

export interface WorkloadRef {
  namespace: string;
  name: string;
}

/** The seed FederatedHPA (Karmada's custom-metrics walkthrough) for workload `ref`, spec fields overridden. */
export function federatedHPAFor(ref: WorkloadRef, spec: Partial<FederatedHPA['spec']> = {}): FederatedHPA {
  const seed = seedFederatedHPA(spec);
  return {
    ...seed,
    metadata: { name: ref.name, namespace: ref.namespace },
    spec: { ...seed.spec, scaleTargetRef: { ...seed.spec.scaleTargetRef, name: ref.name } },
  };
}

/**
 * The walkthrough's Deployment (one `metrics-provider` container, 100m CPU) under `ref`, with its
 * FederatedHPA. `policy: false` skips the PropagationPolicy, for callers that apply one policy selecting
 * many workloads by label (the sweep).
 */
export function applyWorkload(
  sim: Pick<Simulator, 'applyDeployment' | 'applyPropagationPolicy' | 'applyFederatedHPA'>,
  ref: WorkloadRef,
  opts: {
    replicas?: number;
    spec?: Partial<FederatedHPA['spec']>;
    clusters?: string[];
    policy?: boolean;
  } = {},
): FederatedHPA {
  sim.applyDeployment({
    namespace: ref.namespace,
    name: ref.name,
    replicas: opts.replicas ?? 1,
    labels: { app: ref.name, 'fhpa.bench/workload': 'true' },
    containers: [{ name: 'metrics-provider', requests: { cpu: '100m' } }],
  });
  if (opts.policy !== false)
    applyDividedPolicy(sim, ref.namespace, `${ref.name}-propagation`, { name: ref.name }, opts.clusters);
  const fhpa = federatedHPAFor(ref, opts.spec);
  sim.applyFederatedHPA(fhpa);
  return fhpa;
}

/** A Divided/Weighted PropagationPolicy at equal static weights, as in the walkthrough (member1 and member2). */
export function applyDividedPolicy(
  sim: Pick<Simulator, 'applyPropagationPolicy'>,
  namespace: string,
  name: string,
  select: { name: string } | { labelSelector: Record<string, string> },
  clusters: string[] = ['member1', 'member2'],
): void {
  sim.applyPropagationPolicy({
    namespace,
    name,
    resourceSelectors: [
      'name' in select
        ? { apiVersion: 'apps/v1', kind: 'Deployment', name: select.name }
        : { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: select.labelSelector } },
    ],
    placement: {
      clusterAffinity: { clusterNames: clusters },
      replicaScheduling: {
        replicaDivisionPreference: 'Weighted',
        replicaSchedulingType: 'Divided',
        weightPreference: {
          staticWeightList: clusters.map((c) => ({ targetCluster: { clusterNames: [c] }, weight: 1 })),
        },
      },
    },
  });
}

/** An Alertmanager v4 webhook notification (notify/webhook/webhook.go#Message) whose alerts name FederatedHPAs. */
export function alertNotification(targets: readonly WorkloadRef[], status: 'firing' | 'resolved' = 'firing') {
  return {
    version: '4',
    groupKey: '{}:{alertname="HttpRequestsAboveTarget"}',
    truncatedAlerts: 0,
    status,
    receiver: 'fhpa',
    groupLabels: { alertname: 'HttpRequestsAboveTarget' },
    commonLabels: { alertname: 'HttpRequestsAboveTarget' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.monitoring:9093',
    alerts: targets.map((t, i) => ({
      status,
      labels: { alertname: 'HttpRequestsAboveTarget', federatedhpa: t.name, namespace: t.namespace },
      annotations: { summary: `requests per pod above target for ${t.namespace}/${t.name}` },
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.monitoring:9090/graph',
      fingerprint: `bench${i.toString(16).padStart(12, '0')}`,
    })),
  };
}

/** An admission.k8s.io/v1 AdmissionReview as the Karmada API server sends a validating webhook a CREATE. */
export function admissionReview(object: Record<string, unknown>, uid: string, kind = 'FederatedHPA') {
  const meta = (object.metadata ?? {}) as { name?: string; namespace?: string };
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: 'autoscaling.karmada.io', version: 'v1alpha1', kind },
      resource: {
        group: 'autoscaling.karmada.io',
        version: 'v1alpha1',
        resource: kind === 'FederatedHPA' ? 'federatedhpas' : 'cronfederatedhpas',
      },
      requestKind: { group: 'autoscaling.karmada.io', version: 'v1alpha1', kind },
      ...(meta.name ? { name: meta.name } : {}),
      namespace: meta.namespace ?? 'default',
      operation: 'CREATE',
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}

/** The seed CronFederatedHPA shape (Karmada docs: scale sample-app's FederatedHPA on a schedule). */
export function cronFederatedHPA() {
  return {
    apiVersion: 'autoscaling.karmada.io/v1alpha1',
    kind: 'CronFederatedHPA',
    metadata: { name: 'sample-app-cron', namespace: 'default' },
    spec: {
      scaleTargetRef: {
        apiVersion: 'autoscaling.karmada.io/v1alpha1',
        kind: 'FederatedHPA',
        name: 'sample-app',
      },
      rules: [{ name: 'scale-up', schedule: '*/1 * * * *', targetMinReplicas: 5 }],
    },
  };
}
