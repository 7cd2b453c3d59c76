import { z } from 'zod';
import { objectMetaSchema, quantityString } from './k8s.ts';

// The three metrics APIs (k8s.io/metrics/pkg/apis/...): PodMetrics (metrics.k8s.io/v1beta1), MetricValue
// (custom.metrics.k8s.io v1beta2 with `metric: {name, selector}`, v1beta1 with `metricName`) and
// ExternalMetricValue (external.metrics.k8s.io/v1beta1).

export const podMetricsSchema = z.object({
  metadata: objectMetaSchema,
  timestamp: z.string(),
  /** metav1.Duration, e.g. "30s", "1m0s". */
  window: z.string(),
  containers: z
    .array(z.object({ name: z.string(), usage: z.record(z.string(), quantityString) }))
    .nullish()
    .transform((v) => v ?? []),
});
export type PodMetrics = z.infer<typeof podMetricsSchema>;

const describedObjectSchema = z.object({
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string(),
  apiVersion: z.string().optional(),
});

/** v1beta1 and v1beta2 items alike: what fhpa reads is the same. */
export const metricValueSchema = z.object({
  describedObject: describedObjectSchema,
  metricName: z.string().optional(),
  metric: z.object({ name: z.string() }).optional(),
  timestamp: z.string(),
  windowSeconds: z.number().int().nullish(),
  value: quantityString,
});
export type MetricValue = z.infer<typeof metricValueSchema>;

export const externalMetricValueSchema = z.object({
  metricName: z.string(),
  metricLabels: z.record(z.string(), z.string()).nullish(),
  timestamp: z.string(),
  windowSeconds: z.number().int().nullish(),
  value: quantityString,
});
