import { z } from 'zod';
import { labelSelectorSchema } from '../../api/autoscaling-v2.ts';

// Generic Kubernetes shapes the adapter reads: list envelopes, the autoscaling/v1 Scale subresource, and
// the few fields of a workload template it needs. Unknown fields are neither rejected nor copied: zod's plain
// objects read only the declared keys, where loose ones walked and copied every field of every response
// (managedFields, a pod's whole spec) for nothing; only what fhpa reads is validated (issue 13.2).

/** A quantity as the API server serialises it (a string; numbers tolerated from hand-written servers). */
export const quantityString = z.union([z.string(), z.number()]).transform(String);

export const listMetaSchema = z.object({
  resourceVersion: z.string().optional(),
  continue: z.string().optional(),
});

/** A list whose items are parsed one by one by the caller (so one bad item does not hide the others). */
export const rawListSchema = z.object({
  metadata: listMetaSchema.optional(),
  items: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
});

export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({
    metadata: listMetaSchema.optional(),
    items: z
      .array(item)
      .nullish()
      .transform((v) => (v ?? []) as z.infer<T>[]),
  });
}

const metaSchema = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  deletionTimestamp: z.string().nullish(),
});

export { metaSchema as objectMetaSchema };

/**
 * A replica count as the API server's validation guarantees it (ValidateNonnegativeField, int32). A response
 * outside that range is impossible state, and fhpa refuses to decide on it rather than trusting it (issue 18:
 * a Scale with spec.replicas -5 made fhpa scale a loaded Deployment from 10 to 1).
 */
export const replicaCount = z
  .number()
  .int()
  .min(0, { message: 'a replica count must not be negative' })
  .max(2147483647, { message: 'a replica count must fit in int32' });

/** autoscaling/v1 Scale (k8s.io/api/autoscaling/v1/types.go): spec.replicas and status.{replicas,selector}. */
export const scaleSchema = z.object({
  kind: z.literal('Scale').optional(),
  metadata: metaSchema.extend({ resourceVersion: z.string() }),
  spec: z.object({ replicas: replicaCount.optional() }).optional(),
  status: z
    .object({
      replicas: replicaCount.optional(),
      selector: z.string().optional(),
    })
    .optional(),
});
export type Scale = z.infer<typeof scaleSchema>;

/** The fields of a resource template the placement lookup reads (its labels, spec.replicas). */
export const templateSchema = z.object({
  metadata: metaSchema,
  spec: z.object({ replicas: replicaCount.optional() }).optional(),
});

/** An apps/v1 workload as a list item: the fields its /scale is made of (fleet-lists.ts). */
export const workloadSchema = z.looseObject({
  metadata: metaSchema.extend({ resourceVersion: z.string() }),
  spec: z
    .looseObject({ replicas: replicaCount.optional(), selector: labelSelectorSchema.nullish() })
    .optional(),
  status: z.looseObject({ replicas: replicaCount.optional() }).nullish(),
});
