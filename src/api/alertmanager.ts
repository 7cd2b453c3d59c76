import { z } from 'zod';
import { timeSchema } from './quantity-schema.ts';

// Alertmanager's webhook payload, version 4 (prometheus/alertmanager notify/webhook/webhook.go#Message,
// template/template.go#Data). Objects are loose: newer Alertmanagers add keys (routeLabels in v0.34,
// notification_reason in v0.32) and older ones lack them, so unknown keys pass and optional ones stay optional.
const labels = z.record(z.string(), z.string());

export const alertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels.optional(),
  startsAt: timeSchema.optional(),
  endsAt: z.string().optional(), // "0001-01-01T00:00:00Z" for firing alerts: not worth rejecting
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

export const alertmanagerPayloadSchema = z.looseObject({
  version: z.literal('4'),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().optional(),
  groupLabels: labels.optional(),
  commonLabels: labels.optional(),
  commonAnnotations: labels.optional(),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema).max(1000, { message: 'at most 1000 alerts per notification' }),
});

export type Alert = z.infer<typeof alertSchema>;
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;
