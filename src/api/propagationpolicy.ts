import { z } from 'zod';
import { labelSelectorSchema, objectMetaSchema } from './autoscaling-v2.ts';

export const POLICY_API_VERSION = 'policy.karmada.io/v1alpha1';

// The part of PropagationPolicy / ClusterPropagationPolicy that decides where replicas land (karmada
// pkg/apis/policy/v1alpha1/propagation_types.go; CRD policy.karmada.io_propagationpolicies.yaml).
// Other fields are dropped. Selectors that need the Cluster objects (labelSelector, fieldSelector,
// clusterAffinities, spreadConstraints) are kept as opaque values so callers can say they were not evaluated.

export const clusterAffinitySchema = z.object({
  clusterNames: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  labelSelector: labelSelectorSchema.optional(),
  fieldSelector: z.unknown().optional(),
});

export const staticClusterWeightSchema = z.object({
  targetCluster: clusterAffinitySchema,
  // CRD: format int64, minimum 1.
  weight: z.number().int().min(1, { message: 'must be at least 1' }),
});

export const replicaSchedulingStrategySchema = z.object({
  // CRD default Divided (propagation_types.go ReplicaSchedulingStrategy).
  replicaSchedulingType: z.enum(['Duplicated', 'Divided']).optional(),
  // Defaulted to Weighted by the mutating webhook when Divided (pkg/util/helper/policy.go#SetReplicaDivisionPreferenceWeighted).
  replicaDivisionPreference: z.enum(['Aggregated', 'Weighted']).optional(),
  weightPreference: z
    .object({
      staticWeightList: z.array(staticClusterWeightSchema).optional(),
      dynamicWeight: z.enum(['AvailableReplicas']).optional(),
    })
    .optional(),
});

export const resourceSelectorSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  labelSelector: labelSelectorSchema.optional(),
});

/** corev1.Toleration, as placement.clusterTolerations carries it (taints on Cluster objects). */
export const tolerationSchema = z.object({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.string().optional(),
  tolerationSeconds: z.number().int().optional(),
});

export const placementSchema = z.object({
  clusterAffinity: clusterAffinitySchema.optional(),
  clusterTolerations: z.array(tolerationSchema).optional(),
  clusterAffinities: z.array(z.unknown()).optional(),
  spreadConstraints: z.array(z.unknown()).optional(),
  replicaScheduling: replicaSchedulingStrategySchema.optional(),
});

export const propagationPolicySchema = z.object({
  apiVersion: z.literal(POLICY_API_VERSION),
  kind: z.enum(['PropagationPolicy', 'ClusterPropagationPolicy']),
  metadata: objectMetaSchema,
  spec: z.object({
    // CRD: required, minItems 1.
    resourceSelectors: z
      .array(resourceSelectorSchema)
      .min(1, { message: 'must list at least one resource selector' }),
    placement: placementSchema.optional(),
    // Higher wins when several policies match one resource; default 0.
    priority: z.number().int().optional(),
  }),
});

export type ClusterAffinity = z.infer<typeof clusterAffinitySchema>;
export type ReplicaSchedulingStrategy = z.infer<typeof replicaSchedulingStrategySchema>;
export type ResourceSelector = z.infer<typeof resourceSelectorSchema>;
export type Placement = z.infer<typeof placementSchema>;
export type Toleration = z.infer<typeof tolerationSchema>;
export type PropagationPolicy = z.infer<typeof propagationPolicySchema>;
