import { z } from 'zod';
import { cronFederatedHPASchema } from '../api/cronfederatedhpa.ts';
import { federatedHPASchema } from '../api/federatedhpa.ts';
import { propagationPolicySchema } from '../api/propagationpolicy.ts';
import { badRequest, invalid, type StatusCause } from './k8s-status.ts';
import type { KObject } from './object-store.ts';
import {
  apiVersionOf,
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  CRON_FEDERATED_HPAS,
  DEPLOYMENTS,
  EVENTS,
  FEDERATED_HPAS,
  PROPAGATION_POLICIES,
  type ResourceType,
  STATEFULSETS,
} from './resources.ts';

// What the simulated API server checks on a write: the envelope every object needs, then the kind's
// schema (the shared zod schemas in src/api are the CRDs' OpenAPI schemas), reported like the API server
// does: 422 Invalid with one cause per field path.

const envelopeSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string().max(253).optional(),
    generateName: z.string().max(253).optional(),
    namespace: z.string().max(63).optional(),
    resourceVersion: z.string().max(64).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
});

const containerSchema = z.looseObject({
  name: z.string().min(1),
  resources: z
    .looseObject({ requests: z.record(z.string(), z.union([z.string(), z.number()])).optional() })
    .optional(),
});
const workloadSchema = z.looseObject({
  spec: z.looseObject({
    replicas: z.number().int().min(0).max(2147483647).optional(),
    selector: z.looseObject({ matchLabels: z.record(z.string(), z.string()).optional() }),
    template: z.looseObject({
      metadata: z.looseObject({ labels: z.record(z.string(), z.string()).optional() }).optional(),
      spec: z.looseObject({ containers: z.array(containerSchema).min(1) }),
    }),
  }),
});
const eventSchema = z.looseObject({
  involvedObject: z.looseObject({ kind: z.string().optional(), name: z.string().optional() }),
  reason: z.string().max(128).optional(),
  message: z.string().max(4096).optional(),
  type: z.enum(['Normal', 'Warning']).optional(),
});

// rbac/validation: a rule needs verbs, and resources or non-resource URLs; a binding its roleRef.
const clusterRoleSchema = z.looseObject({
  rules: z
    .array(
      z.looseObject({
        verbs: z.array(z.string()).min(1),
        apiGroups: z.array(z.string()).optional(),
        resources: z.array(z.string()).optional(),
        resourceNames: z.array(z.string()).optional(),
        nonResourceURLs: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
const clusterRoleBindingSchema = z.looseObject({
  roleRef: z.looseObject({ apiGroup: z.string(), kind: z.enum(['ClusterRole']), name: z.string().min(1) }),
  subjects: z
    .array(
      z.looseObject({
        kind: z.enum(['User', 'Group', 'ServiceAccount']),
        name: z.string().min(1),
        namespace: z.string().optional(),
      }),
    )
    .optional(),
});

export const KIND_SCHEMAS = new Map<ResourceType, z.ZodType>([
  [FEDERATED_HPAS, federatedHPASchema],
  [CRON_FEDERATED_HPAS, cronFederatedHPASchema],
  [PROPAGATION_POLICIES, propagationPolicySchema],
  [DEPLOYMENTS, workloadSchema],
  [STATEFULSETS, workloadSchema],
  [EVENTS, eventSchema],
  [CLUSTER_ROLES, clusterRoleSchema],
  [CLUSTER_ROLE_BINDINGS, clusterRoleBindingSchema],
]);

/**
 * Kinds whose zod schema models every field of the CRD, so a field it does not name is unknown (pruned, or refused
 * under fieldValidation=Strict). The others' schemas check only what the simulator reads, and keep the rest.
 */
export const COMPLETE_SCHEMAS: ReadonlySet<ResourceType> = new Set([FEDERATED_HPAS, CRON_FEDERATED_HPAS]);

const causesOf = (error: z.ZodError): StatusCause[] =>
  error.issues.map((i) => ({
    reason: i.code === 'invalid_type' && i.input === undefined ? 'FieldValueRequired' : 'FieldValueInvalid',
    message: i.message,
    field: i.path.map(String).join('.') || '(root)',
  }));

/**
 * Checks a body written to `t`'s endpoint: apiVersion and kind must be the endpoint's (400 as upstream's
 * "does not match the expected API version"), then the kind's schema (422).
 */
export function validateObject(t: ResourceType, body: unknown): KObject {
  const env = envelopeSchema.safeParse(body);
  if (!env.success)
    throw invalid({ resource: t.resource, group: t.group, kind: t.kind }, causesOf(env.error));
  const obj = env.data as KObject;
  if (obj.apiVersion !== apiVersionOf(t))
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(t)})`,
    );
  if (obj.kind !== t.kind)
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${t.kind})`);
  const schema = KIND_SCHEMAS.get(t);
  const parsed = schema?.safeParse(obj);
  if (parsed && !parsed.success) {
    const name = obj.metadata.name;
    throw invalid(
      { resource: t.resource, group: t.group, kind: t.kind, ...(name ? { name } : {}) },
      causesOf(parsed.error),
    );
  }
  return obj;
}
