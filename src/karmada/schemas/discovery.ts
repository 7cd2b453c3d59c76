import { z } from 'zod';

// metav1.APIResourceList, the answer of GET /apis/{group}/{version} (and /api/v1).
export const apiResourceListSchema = z.looseObject({
  groupVersion: z.string(),
  resources: z.array(
    z.looseObject({
      name: z.string(),
      kind: z.string(),
      namespaced: z.boolean(),
      verbs: z.array(z.string()).optional(),
      group: z.string().optional(),
      version: z.string().optional(),
    }),
  ),
});
export type APIResourceList = z.infer<typeof apiResourceListSchema>;
