import { z } from 'zod';
import { objectMetaSchema, replicaCount } from './k8s.ts';

// Karmada objects read to find where a workload runs: ResourceBinding (work.karmada.io/v1alpha2,
// pkg/apis/work/v1alpha2/binding_types.go) and Cluster (cluster.karmada.io/v1alpha1, cluster_types.go).

export const resourceBindingSchema = z.object({
  metadata: objectMetaSchema,
  spec: z.object({
    resource: z.object({
      apiVersion: z.string(),
      kind: z.string(),
      name: z.string(),
      namespace: z.string().optional(),
    }),
    replicas: replicaCount.optional(),
    clusters: z
      .array(z.object({ name: z.string(), replicas: replicaCount.optional() }))
      .nullish()
      .transform((v) => v ?? []),
  }),
});
export type ResourceBinding = z.infer<typeof resourceBindingSchema>;

export const clusterSchema = z.object({
  metadata: objectMetaSchema,
  status: z
    .object({
      conditions: z
        .array(z.object({ type: z.string(), status: z.string() }))
        .nullish()
        .transform((v) => v ?? []),
    })
    .optional(),
});
export type KarmadaCluster = z.infer<typeof clusterSchema>;
