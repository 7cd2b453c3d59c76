import { z } from 'zod';
import { ADMISSION_API_VERSION, admissionReviewResponseSchema } from '../api/admission-review.ts';
import { AUTOSCALING_GROUP, AUTOSCALING_VERSION, type FederatedHPA } from '../api/federatedhpa.ts';
import { deploymentManifest } from '../sim/index.ts';
import { call, type Endpoint } from './endpoint.ts';
import type { WorkloadSpec } from './scenario.ts';

// Setting the scene the way a user does it, over the API: `kubectl apply` of the workload and its
// PropagationPolicy on the Karmada API server, then the FederatedHPA — which the API server first sends to
// fhpa's validating webhook as an AdmissionReview, and creates only if the webhook allows it.

const anyObject = z.looseObject({ metadata: z.looseObject({ name: z.string() }) });

const workloadPath = (w: WorkloadSpec) =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(w.namespace)}/${w.kind === 'StatefulSet' ? 'statefulsets' : 'deployments'}`;

/** The Deployment (or StatefulSet) and a PropagationPolicy dividing it over `clusters` by equal static weights. */
export function workloadManifests(w: WorkloadSpec) {
  const workload = deploymentManifest({
    namespace: w.namespace,
    name: w.name,
    kind: w.kind,
    replicas: w.replicas,
    labels: { app: w.name },
    // the walkthrough's container; a CPU request so Resource cpu Utilization targets work in `fhpa simulate`
    containers: [
      { name: 'metrics-provider', image: 'luxas/autoscale-demo:v0.1.2', requests: { cpu: '100m' } },
    ],
  });
  const policy = {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: {
      name: w.name === 'sample-app' ? 'app-propagation' : `${w.name}-propagation`,
      namespace: w.namespace,
    },
    spec: {
      resourceSelectors: [
        { apiVersion: 'apps/v1', kind: w.kind, name: w.name },
        { apiVersion: 'v1', kind: 'Service', name: w.name },
      ],
      placement: {
        clusterAffinity: { clusterNames: [...w.clusters] },
        replicaScheduling: {
          replicaDivisionPreference: 'Weighted',
          replicaSchedulingType: 'Divided',
          weightPreference: {
            staticWeightList: w.clusters.map((c) => ({ targetCluster: { clusterNames: [c] }, weight: 1 })),
          },
        },
      },
    },
  };
  return { workload, policy };
}

/** Creates the workload and its PropagationPolicy on the (simulated) Karmada API server. */
export async function applyWorkload(karmada: Endpoint, w: WorkloadSpec): Promise<void> {
  const { workload, policy } = workloadManifests(w);
  await call(karmada, 'POST', workloadPath(w), anyObject, { body: workload });
  await call(
    karmada,
    'POST',
    `/apis/policy.karmada.io/v1alpha1/namespaces/${encodeURIComponent(w.namespace)}/propagationpolicies`,
    anyObject,
    { body: policy },
  );
}

/** The webhook said no: `message` is its aggregate of field errors, as `kubectl apply` would print it. */
export class AdmissionDeniedError extends Error {
  constructor(readonly denial: string) {
    super(`admission webhook "validate-federatedhpa" denied the request: ${denial}`);
    this.name = 'AdmissionDeniedError';
  }
}

export interface Admitted {
  warnings: string[];
}

/**
 * What the API server does on `kubectl apply` of a FederatedHPA: an AdmissionReview (CREATE) to fhpa's
 * /validate-federatedhpa, then, only if allowed, the create itself. Throws AdmissionDeniedError otherwise.
 */
export async function admitAndCreate(
  karmada: Endpoint,
  fhpa: Endpoint,
  obj: FederatedHPA,
): Promise<Admitted> {
  const namespace = obj.metadata.namespace ?? 'default';
  const review = {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'AdmissionReview',
    request: {
      uid: crypto.randomUUID(),
      kind: { group: AUTOSCALING_GROUP, version: AUTOSCALING_VERSION, kind: 'FederatedHPA' },
      resource: { group: AUTOSCALING_GROUP, version: AUTOSCALING_VERSION, resource: 'federatedhpas' },
      namespace,
      ...(obj.metadata.name ? { name: obj.metadata.name } : {}),
      operation: 'CREATE',
      userInfo: { username: 'kubernetes-admin' },
      object: { ...obj, metadata: { ...obj.metadata, namespace } },
    },
  };
  const { body } = await call(fhpa, 'POST', '/validate-federatedhpa', admissionReviewResponseSchema, {
    body: review,
  });
  if (body.response.uid !== review.request.uid) {
    throw new Error(`the webhook answered review ${body.response.uid}, not ${review.request.uid}`);
  }
  if (!body.response.allowed)
    throw new AdmissionDeniedError(body.response.status?.message ?? 'no reason given');
  await call(
    karmada,
    'POST',
    `/apis/${AUTOSCALING_GROUP}/${AUTOSCALING_VERSION}/namespaces/${encodeURIComponent(namespace)}/federatedhpas`,
    anyObject,
    { body: { ...obj, metadata: { ...obj.metadata, namespace } } },
  );
  return { warnings: body.response.warnings ?? [] };
}
