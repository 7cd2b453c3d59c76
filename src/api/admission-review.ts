import { z } from 'zod';
import { boundedText } from './bounded-text.ts';

// admission.k8s.io/v1 AdmissionReview (k8s.io/api/admission/v1/types.go), as the Karmada API server sends
// it to validating webhooks and as they answer. Only what a validating webhook reads is required; the
// rest is kept loose so a newer API server's extra fields do not break the route.

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

const groupVersionKindSchema = z.object({
  group: boundedText(),
  version: boundedText(),
  kind: boundedText(),
});
const groupVersionResourceSchema = z.object({
  group: boundedText(),
  version: boundedText(),
  resource: boundedText(),
});

export const admissionOperationSchema = z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

export const admissionRequestSchema = z.looseObject({
  uid: boundedText().min(1, { message: 'must be the non-empty uid of the request' }),
  kind: groupVersionKindSchema,
  resource: groupVersionResourceSchema,
  subResource: z.string().optional(),
  requestKind: groupVersionKindSchema.optional(),
  requestResource: groupVersionResourceSchema.optional(),
  requestSubResource: z.string().optional(),
  name: boundedText().optional(),
  namespace: boundedText().optional(),
  operation: admissionOperationSchema,
  userInfo: z.looseObject({ username: z.string().optional() }).optional(),
  // RawExtension: any JSON object (or null for DELETE's object / CREATE's oldObject).
  object: z.record(z.string(), z.unknown()).nullable().optional(),
  oldObject: z.record(z.string(), z.unknown()).nullable().optional(),
  dryRun: z.boolean().optional(),
  options: z.unknown().optional(),
});

export const admissionReviewRequestSchema = z.object({
  apiVersion: z.literal(ADMISSION_API_VERSION, { message: `must be "${ADMISSION_API_VERSION}"` }),
  kind: z.literal('AdmissionReview', { message: 'must be "AdmissionReview"' }),
  request: admissionRequestSchema,
});

export const admissionStatusSchema = z.object({
  code: z.number().int(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export const admissionResponseSchema = z.object({
  uid: z.string(),
  allowed: z.boolean(),
  status: admissionStatusSchema.optional(),
  warnings: z.array(z.string()).optional(),
});

export const admissionReviewResponseSchema = z.object({
  apiVersion: z.literal(ADMISSION_API_VERSION),
  kind: z.literal('AdmissionReview'),
  response: admissionResponseSchema,
});

export type AdmissionRequest = z.infer<typeof admissionRequestSchema>;
export type AdmissionReviewRequest = z.infer<typeof admissionReviewRequestSchema>;
export type AdmissionResponse = z.infer<typeof admissionResponseSchema>;
export type AdmissionReviewResponse = z.infer<typeof admissionReviewResponseSchema>;
