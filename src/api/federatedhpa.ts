import { z } from 'zod';
import {
  behaviorSchema,
  crossVersionObjectReferenceSchema,
  hpaStatusSchema,
  metricSpecSchema,
  objectMetaSchema,
} from './autoscaling-v2.ts';
import { int32 } from './quantity-schema.ts';

export const AUTOSCALING_GROUP = 'autoscaling.karmada.io';
export const AUTOSCALING_VERSION = 'v1alpha1';
export const AUTOSCALING_API_VERSION = `${AUTOSCALING_GROUP}/${AUTOSCALING_VERSION}`;

// FederatedHPA (karmada pkg/apis/autoscaling/v1alpha1/federatedhpa_types.go; CRD
// autoscaling.karmada.io_federatedhpas.yaml: spec required, spec.required [maxReplicas, scaleTargetRef]).
export const federatedHPASpecSchema = z.object({
  scaleTargetRef: crossVersionObjectReferenceSchema,
  minReplicas: int32.optional(),
  maxReplicas: int32,
  metrics: z.array(metricSpecSchema).optional(),
  behavior: behaviorSchema.optional(),
});

export const federatedHPASchema = z.object({
  apiVersion: z.literal(AUTOSCALING_API_VERSION),
  kind: z.literal('FederatedHPA'),
  metadata: objectMetaSchema,
  spec: federatedHPASpecSchema,
  status: hpaStatusSchema.optional(),
});

export type FederatedHPASpec = z.infer<typeof federatedHPASpecSchema>;
export type FederatedHPA = z.infer<typeof federatedHPASchema>;
