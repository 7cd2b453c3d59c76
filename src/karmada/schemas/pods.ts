import { z } from 'zod';
import { quantityString } from './k8s.ts';

// The fields of core/v1 Pod that the replica calculator reads (k8s.io/api/core/v1/types.go): phase,
// start time, the Ready condition, deletion, and container requests (init containers for sidecars).

const containerSchema = z.object({
  name: z.string(),
  restartPolicy: z.string().optional(),
  resources: z.object({ requests: z.record(z.string(), quantityString).nullish() }).nullish(),
});

export const podSchema = z.object({
  // Only what fhpa reads (annotations are not): the calculator's fields, and labels to match selectors.
  metadata: z.object({
    name: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
    deletionTimestamp: z.string().nullish(),
  }),
  spec: z.object({
    containers: z.array(containerSchema),
    initContainers: z.array(containerSchema).nullish(),
  }),
  status: z
    .object({
      phase: z.string().optional(),
      startTime: z.string().nullish(),
      conditions: z
        .array(z.object({ type: z.string(), status: z.string(), lastTransitionTime: z.string().nullish() }))
        .nullish(),
    })
    .optional(),
});
export type Pod = z.infer<typeof podSchema>;
