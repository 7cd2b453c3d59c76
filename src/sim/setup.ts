import type { CronFederatedHPA } from '../api/cronfederatedhpa.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import type { Placement, ResourceSelector } from '../api/propagationpolicy.ts';
import type { ContainerSpec } from './members.ts';
import type { KObject } from './object-store.ts';
import {
  apiVersionOf,
  CRON_FEDERATED_HPAS,
  DEPLOYMENTS,
  FEDERATED_HPAS,
  PROPAGATION_POLICIES,
  RESOURCE_TYPES,
  STATEFULSETS,
} from './resources.ts';
import type { SimState } from './state.ts';
import { validateObject } from './validation.ts';

// Setup helpers for tests, the demo and benchmarks: each builds the manifest a user would `kubectl
// apply` and applies it through the same validation and controllers as a REST create.

export interface DeploymentInput {
  namespace?: string;
  name: string;
  replicas: number;
  /** Labels of the template, its selector and its pods (default app=<name>). */
  labels?: Record<string, string>;
  containers: ContainerSpec[];
  kind?: 'Deployment' | 'StatefulSet';
}

export function deploymentManifest(input: DeploymentInput): KObject {
  const t = input.kind === 'StatefulSet' ? STATEFULSETS : DEPLOYMENTS;
  const labels = input.labels ?? { app: input.name };
  return {
    apiVersion: apiVersionOf(t),
    kind: t.kind,
    metadata: { name: input.name, namespace: input.namespace ?? 'default', labels },
    spec: {
      replicas: input.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: input.containers.map((c) => ({
            name: c.name,
            image: c.image ?? 'registry.k8s.io/pause:3.10',
            ...(c.requests ? { resources: { requests: c.requests } } : {}),
          })),
        },
      },
    },
  };
}

export function applyDeployment(state: SimState, input: DeploymentInput): KObject {
  const t = input.kind === 'StatefulSet' ? STATEFULSETS : DEPLOYMENTS;
  return state.apply(t, validateObject(t, deploymentManifest(input)));
}

export interface PropagationPolicyInput {
  namespace?: string;
  name: string;
  resourceSelectors: ResourceSelector[];
  placement: Placement;
  priority?: number;
}

export function applyPropagationPolicy(state: SimState, input: PropagationPolicyInput): KObject {
  const manifest: KObject = {
    apiVersion: apiVersionOf(PROPAGATION_POLICIES),
    kind: PROPAGATION_POLICIES.kind,
    metadata: { name: input.name, namespace: input.namespace ?? 'default' },
    spec: {
      resourceSelectors: input.resourceSelectors,
      placement: input.placement,
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
    },
  };
  return state.apply(PROPAGATION_POLICIES, validateObject(PROPAGATION_POLICIES, manifest));
}

/** Applies manifests of any stored kind (e.g. the documents of infra/karmada/rbac.yaml), as `kubectl apply`. */
export function applyManifests(state: SimState, docs: readonly KObject[]): KObject[] {
  return docs.map((doc) => {
    const t = RESOURCE_TYPES.find((r) => r.kind === doc.kind && apiVersionOf(r) === doc.apiVersion);
    if (!t) throw new Error(`the simulator stores no ${doc.apiVersion} ${doc.kind}`);
    return state.apply(t, validateObject(t, doc));
  });
}

export function applyFederatedHPA(state: SimState, obj: FederatedHPA): KObject {
  return state.apply(FEDERATED_HPAS, validateObject(FEDERATED_HPAS, obj) as KObject);
}

export function applyCronFederatedHPA(state: SimState, obj: CronFederatedHPA): KObject {
  return state.apply(CRON_FEDERATED_HPAS, validateObject(CRON_FEDERATED_HPAS, obj) as KObject);
}

/**
 * The seed walkthrough's setup (Karmada docs "FederatedHPA scaling on custom metrics"): Deployment
 * sample-app with 1 replica in `default`, propagated by app-propagation to member1 and member2 with
 * static weights 1:1 (Divided, Weighted).
 */
export function applyWalkthrough(state: SimState): { deployment: KObject; policy: KObject } {
  const deployment = applyDeployment(state, {
    namespace: 'default',
    name: 'sample-app',
    replicas: 1,
    labels: { app: 'sample-app' },
    containers: [
      { name: 'metrics-provider', image: 'luxas/autoscale-demo:v0.1.2', requests: { cpu: '100m' } },
    ],
  });
  const policy = applyPropagationPolicy(state, {
    namespace: 'default',
    name: 'app-propagation',
    resourceSelectors: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
      { apiVersion: 'v1', kind: 'Service', name: 'sample-app' },
    ],
    placement: {
      clusterAffinity: { clusterNames: ['member1', 'member2'] },
      replicaScheduling: {
        replicaDivisionPreference: 'Weighted',
        replicaSchedulingType: 'Divided',
        weightPreference: {
          staticWeightList: [
            { targetCluster: { clusterNames: ['member1'] }, weight: 1 },
            { targetCluster: { clusterNames: ['member2'] }, weight: 1 },
          ],
        },
      },
    },
  });
  return { deployment, policy };
}
