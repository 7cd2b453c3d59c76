import { z } from 'zod';
import { boundedLabels, boundedText } from './bounded-text.ts';
import { int32, quantitySchema, timeSchema } from './quantity-schema.ts';

// autoscaling/v2 types that FederatedHPA embeds (k8s.io/api/autoscaling/v2/types.go), with the required
// fields of Karmada's CRD OpenAPI schema. Range rules are not here: they belong to validation, which
// reports every error with its field path instead of stopping at the first.

export const crossVersionObjectReferenceSchema = z.object({
  apiVersion: boundedText().optional(),
  kind: boundedText(),
  name: boundedText(),
});

export const labelSelectorSchema = z.object({
  matchLabels: boundedLabels().optional(),
  matchExpressions: z
    .array(
      z.object({
        key: boundedText(),
        operator: boundedText(),
        values: z.array(boundedText()).optional(),
      }),
    )
    .optional(),
});

export const metricTargetTypeSchema = z.enum(['Utilization', 'Value', 'AverageValue']);

export const metricTargetSchema = z.object({
  // The CRD types this as a plain string; validation names unknown values with their path.
  type: boundedText(),
  value: quantitySchema.optional(),
  averageValue: quantitySchema.optional(),
  averageUtilization: int32.optional(),
});

export const metricIdentifierSchema = z.object({
  name: boundedText(),
  selector: labelSelectorSchema.optional(),
});

export const resourceMetricSourceSchema = z.object({ name: boundedText(), target: metricTargetSchema });
export const containerResourceMetricSourceSchema = z.object({
  name: boundedText(),
  container: boundedText(),
  target: metricTargetSchema,
});
export const podsMetricSourceSchema = z.object({
  metric: metricIdentifierSchema,
  target: metricTargetSchema,
});
export const objectMetricSourceSchema = z.object({
  describedObject: crossVersionObjectReferenceSchema,
  metric: metricIdentifierSchema,
  target: metricTargetSchema,
});
export const externalMetricSourceSchema = z.object({
  metric: metricIdentifierSchema,
  target: metricTargetSchema,
});

export const metricSourceTypes = ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'] as const;

export const metricSpecSchema = z.object({
  type: boundedText(),
  object: objectMetricSourceSchema.optional(),
  pods: podsMetricSourceSchema.optional(),
  resource: resourceMetricSourceSchema.optional(),
  containerResource: containerResourceMetricSourceSchema.optional(),
  external: externalMetricSourceSchema.optional(),
});

export const scalingPolicySchema = z.object({
  type: boundedText(), // Pods | Percent
  value: int32,
  periodSeconds: int32,
});

export const scalingRulesSchema = z.object({
  stabilizationWindowSeconds: int32.optional(),
  selectPolicy: boundedText().optional(), // Max | Min | Disabled
  policies: z.array(scalingPolicySchema).optional(),
  // Kubernetes 1.33+ (HPAConfigurableTolerance). Karmada ignores it; fhpa honours it.
  tolerance: quantitySchema.optional(),
});

export const behaviorSchema = z.object({
  scaleUp: scalingRulesSchema.optional(),
  scaleDown: scalingRulesSchema.optional(),
});

export const metricValueStatusSchema = z.object({
  value: quantitySchema.optional(),
  averageValue: quantitySchema.optional(),
  averageUtilization: int32.optional(),
});

export const metricStatusSchema = z.object({
  type: z.string(),
  object: z
    .object({
      describedObject: crossVersionObjectReferenceSchema,
      metric: metricIdentifierSchema,
      current: metricValueStatusSchema,
    })
    .optional(),
  pods: z.object({ metric: metricIdentifierSchema, current: metricValueStatusSchema }).optional(),
  resource: z.object({ name: z.string(), current: metricValueStatusSchema }).optional(),
  containerResource: z
    .object({ name: z.string(), container: z.string(), current: metricValueStatusSchema })
    .optional(),
  external: z.object({ metric: metricIdentifierSchema, current: metricValueStatusSchema }).optional(),
});

export const conditionSchema = z.object({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  lastTransitionTime: timeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export const hpaStatusSchema = z.object({
  observedGeneration: z.number().int().optional(),
  lastScaleTime: timeSchema.optional(),
  currentReplicas: int32.optional(),
  desiredReplicas: int32,
  currentMetrics: z.array(metricStatusSchema).optional(),
  conditions: z.array(conditionSchema).optional(),
});

// Only the declared fields are read and kept: managedFields and the rest of a listed object's metadata are
// neither validated nor copied (a sweep parses every FederatedHPA; issue 13.2).
export const objectMetaSchema = z.object({
  name: boundedText().optional(),
  generateName: boundedText().optional(),
  namespace: boundedText().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: timeSchema.optional(),
  labels: boundedLabels().optional(),
  // Annotation values may be long (kubectl's last-applied-configuration); only their keys are parsed.
  annotations: z.record(boundedText(), z.string()).optional(),
});

export type CrossVersionObjectReference = z.infer<typeof crossVersionObjectReferenceSchema>;
export type LabelSelector = z.infer<typeof labelSelectorSchema>;
export type MetricTarget = z.infer<typeof metricTargetSchema>;
export type MetricSpec = z.infer<typeof metricSpecSchema>;
export type ScalingPolicy = z.infer<typeof scalingPolicySchema>;
export type ScalingRules = z.infer<typeof scalingRulesSchema>;
export type Behavior = z.infer<typeof behaviorSchema>;
export type MetricStatus = z.infer<typeof metricStatusSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type HPAStatus = z.infer<typeof hpaStatusSchema>;
export type ObjectMeta = z.infer<typeof objectMetaSchema>;
