import { z } from 'zod';
import { crossVersionObjectReferenceSchema, objectMetaSchema } from './autoscaling-v2.ts';
import { boundedText, MAX_SCHEDULE_LENGTH, MAX_TIME_ZONE_LENGTH } from './bounded-text.ts';
import { AUTOSCALING_API_VERSION } from './federatedhpa.ts';
import { int32, timeSchema } from './quantity-schema.ts';

// CronFederatedHPA (karmada pkg/apis/autoscaling/v1alpha1/cronfederatedhpa_types.go; CRD
// autoscaling.karmada.io_cronfederatedhpas.yaml). CRD defaults (suspend false, history limits 3) are
// applied by the consumers, so a spec read back from the API server and one read from a file agree.
export const cronFederatedHPARuleSchema = z.object({
  name: boundedText(),
  schedule: boundedText(MAX_SCHEDULE_LENGTH),
  targetReplicas: int32.optional(),
  targetMinReplicas: int32.optional(),
  targetMaxReplicas: int32.optional(),
  suspend: z.boolean().optional(),
  timeZone: boundedText(MAX_TIME_ZONE_LENGTH).optional(),
  successfulHistoryLimit: int32.optional(),
  failedHistoryLimit: int32.optional(),
});

export const successfulExecutionSchema = z.object({
  scheduleTime: timeSchema,
  executionTime: timeSchema,
  appliedReplicas: int32.optional(),
  appliedMaxReplicas: int32.optional(),
  appliedMinReplicas: int32.optional(),
});

export const failedExecutionSchema = z.object({
  scheduleTime: timeSchema,
  executionTime: timeSchema,
  message: z.string(),
});

export const executionHistorySchema = z.object({
  ruleName: z.string(),
  nextExecutionTime: timeSchema.optional(),
  successfulExecutions: z.array(successfulExecutionSchema).optional(),
  failedExecutions: z.array(failedExecutionSchema).optional(),
});

export const cronFederatedHPASpecSchema = z.object({
  scaleTargetRef: crossVersionObjectReferenceSchema,
  rules: z.array(cronFederatedHPARuleSchema),
});

export const cronFederatedHPASchema = z.object({
  apiVersion: z.literal(AUTOSCALING_API_VERSION),
  kind: z.literal('CronFederatedHPA'),
  metadata: objectMetaSchema,
  spec: cronFederatedHPASpecSchema,
  status: z.object({ executionHistories: z.array(executionHistorySchema).optional() }).optional(),
});

export type CronFederatedHPARule = z.infer<typeof cronFederatedHPARuleSchema>;
export type CronFederatedHPASpec = z.infer<typeof cronFederatedHPASpecSchema>;
export type CronFederatedHPA = z.infer<typeof cronFederatedHPASchema>;
export type ExecutionHistory = z.infer<typeof executionHistorySchema>;
