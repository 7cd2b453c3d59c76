// The input of `fhpa recommend`: everything one decision needs, as JSON (times RFC 3339, quantities as
// Kubernetes quantity strings). `federatedHPA` may be a Karmada FederatedHPA or a plain autoscaling/v2 or
// autoscaling/v1 HorizontalPodAutoscaler (Federation v1 federated the plain HPA API).

import { z } from 'zod';
import { type EngineInput, type MetricSamples, type PodInfo, uniformPod } from '../engine/types.ts';
import {
  behaviorSchema,
  crossVersionObjectReferenceSchema,
  hpaStatusSchema,
  metricSpecSchema,
  objectMetaSchema,
} from './autoscaling-v2.ts';
import { type FederatedHPASpec, federatedHPASchema } from './federatedhpa.ts';
import { fieldPath } from './field-path.ts';
import { parseMetricAnnotations, scaleToZeroOf } from './metric-annotations.ts';
import { int32, quantitySchema, timeSchema } from './quantity-schema.ts';

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go duration ("30s", "1m30s", "500ms", "0"), as metav1.Duration serialises, in milliseconds. */
export function durationMs(text: string): number {
  if (text === '0') return 0;
  let ms = 0;
  for (const [, n = '0', , unit = 's'] of text.matchAll(/([0-9]+(\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) {
    ms += Number(n) * (UNIT_MS[unit] ?? 0);
  }
  return ms;
}

const durationSchema = z.string().refine((s) => s === '0' || GO_DURATION.test(s), {
  message: 'must be a duration such as "30s", "1m" or "1m30s"',
});

const nullableTime = timeSchema.nullable().optional();
const nonNegativeInt = int32.min(0, { message: 'must be greater than or equal to 0' });

// autoscaling/v2 HorizontalPodAutoscaler: the spec FederatedHPA embeds, field for field.
const hpaV2Schema = z.object({
  apiVersion: z.literal('autoscaling/v2'),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata: objectMetaSchema,
  spec: z.object({
    scaleTargetRef: crossVersionObjectReferenceSchema,
    minReplicas: int32.optional(),
    maxReplicas: int32,
    metrics: z.array(metricSpecSchema).optional(),
    behavior: behaviorSchema.optional(),
  }),
  status: hpaStatusSchema.optional(),
});

// autoscaling/v1 HorizontalPodAutoscaler: targetCPUUtilizationPercentage is the only metric it can express.
const hpaV1Schema = z.object({
  apiVersion: z.literal('autoscaling/v1'),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata: objectMetaSchema,
  spec: z.object({
    scaleTargetRef: crossVersionObjectReferenceSchema,
    minReplicas: int32.optional(),
    maxReplicas: int32,
    targetCPUUtilizationPercentage: int32.optional(),
  }),
  // v1 status has no conditions list (they live in an annotation); it is not read.
  status: z.unknown().optional(),
});

const containerSchema = z.object({
  name: z.string(),
  requests: z.record(z.string(), quantitySchema).optional(),
});

const podSchema = z.object({
  name: z.string().min(1),
  cluster: z.string().min(1),
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']),
  ready: z.boolean().nullable(),
  readyTransitionTime: nullableTime,
  startTime: nullableTime,
  deletionTimestamp: nullableTime,
  containers: z.array(containerSchema),
  initContainers: z.array(containerSchema.extend({ restartPolicy: z.string().optional() })).optional(),
});

const valueSampleSchema = z.object({ timestamp: timeSchema, value: quantitySchema });

const metricsSchema = z.object({
  resource: z
    .record(
      z.string(),
      z.record(
        z.string(),
        z.object({
          timestamp: timeSchema,
          window: durationSchema,
          containers: z.record(z.string(), quantitySchema),
        }),
      ),
    )
    .optional(),
  pods: z.record(z.string(), z.record(z.string(), valueSampleSchema)).optional(),
  object: z.record(z.string(), valueSampleSchema).optional(),
  external: z
    .record(z.string(), z.object({ timestamp: timeSchema, values: z.array(quantitySchema) }))
    .optional(),
  /** Why an Object metric has no value (its PromQL query failed), by metric name, as the live pipeline saw it. */
  errors: z.record(z.string(), z.string().max(4096)).optional(),
});

const historySchema = z.object({
  recommendations: z.array(z.object({ timestamp: timeSchema, replicas: nonNegativeInt })).optional(),
  scaleUpEvents: z.array(z.object({ timestamp: timeSchema, replicaChange: nonNegativeInt })).optional(),
  scaleDownEvents: z.array(z.object({ timestamp: timeSchema, replicaChange: nonNegativeInt })).optional(),
  /** fhpa's own: evaluations in a row without a metric (the fallback annotation). */
  metricFailures: nonNegativeInt.optional(),
  /** fhpa's own: since when every activation metric has been idle (scale to zero). */
  idleSince: timeSchema.optional(),
});

const optionsSchema = z.object({
  tolerance: z.number().min(0, { message: 'must be greater than or equal to 0' }).optional(),
  cpuInitializationPeriod: durationSchema.optional(),
  initialReadinessDelay: durationSchema.optional(),
  downscaleStabilization: durationSchema.optional(),
});

export const snapshotSchema = z.object({
  now: timeSchema,
  federatedHPA: z.discriminatedUnion('apiVersion', [federatedHPASchema, hpaV2Schema, hpaV1Schema]),
  currentReplicas: nonNegativeInt,
  /** Sum of the members' scale.status.replicas; default currentReplicas. */
  statusReplicas: nonNegativeInt.optional(),
  /** Karmada's sum(member spec.replicas) / template replicas; default 1. */
  calibration: z.number().positive({ message: 'must be greater than 0' }).optional(),
  pods: z.array(podSchema),
  metrics: metricsSchema.optional(),
  history: historySchema.optional(),
  options: optionsSchema.optional(),
});

export type Snapshot = z.infer<typeof snapshotSchema>;

/** The FederatedHPA spec of any of the three accepted kinds. */
export function specOf(target: Snapshot['federatedHPA']): FederatedHPASpec {
  if (target.apiVersion !== 'autoscaling/v1') return target.spec;
  const { scaleTargetRef, minReplicas, maxReplicas, targetCPUUtilizationPercentage } = target.spec;
  return {
    scaleTargetRef,
    ...(minReplicas !== undefined ? { minReplicas } : {}),
    maxReplicas,
    ...(targetCPUUtilizationPercentage !== undefined
      ? {
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage },
              },
            },
          ],
        }
      : {}),
  };
}

const ms = (t: string) => Date.parse(t);
const optionalMs = (t: string | null | undefined) =>
  t === null || t === undefined ? undefined : Date.parse(t);
const quantityText = (q: string | number) => String(q);

export function snapshotToEngineInput(s: Snapshot): EngineInput {
  const conditions =
    s.federatedHPA.apiVersion === 'autoscaling/v1' ? undefined : s.federatedHPA.status?.conditions;
  const o = s.options;
  // Scale to zero is opted into by annotation, as the live pipeline reads it.
  const scaleToZero =
    s.federatedHPA.apiVersion === 'autoscaling/v1'
      ? undefined
      : scaleToZeroOf(parseMetricAnnotations(s.federatedHPA.metadata.annotations).settings);
  return {
    now: ms(s.now),
    spec: specOf(s.federatedHPA),
    currentReplicas: s.currentReplicas,
    ...(s.statusReplicas !== undefined ? { statusReplicas: s.statusReplicas } : {}),
    ...(s.calibration !== undefined ? { calibration: s.calibration } : {}),
    pods: s.pods.map(toPod),
    metrics: toSamples(s.metrics),
    history: {
      recommendations: (s.history?.recommendations ?? []).map((r) => ({
        timestamp: ms(r.timestamp),
        replicas: r.replicas,
      })),
      scaleUpEvents: (s.history?.scaleUpEvents ?? []).map((e) => ({
        timestamp: ms(e.timestamp),
        replicaChange: e.replicaChange,
      })),
      scaleDownEvents: (s.history?.scaleDownEvents ?? []).map((e) => ({
        timestamp: ms(e.timestamp),
        replicaChange: e.replicaChange,
      })),
      ...(s.history?.metricFailures ? { metricFailures: s.history.metricFailures } : {}),
      ...(s.history?.idleSince !== undefined ? { idleSince: ms(s.history.idleSince) } : {}),
    },
    options: {
      ...(o?.tolerance !== undefined ? { tolerance: o.tolerance } : {}),
      ...(o?.cpuInitializationPeriod
        ? { cpuInitializationPeriodMs: durationMs(o.cpuInitializationPeriod) }
        : {}),
      ...(o?.initialReadinessDelay ? { initialReadinessDelayMs: durationMs(o.initialReadinessDelay) } : {}),
      ...(o?.downscaleStabilization
        ? { downscaleStabilizationMs: durationMs(o.downscaleStabilization) }
        : {}),
    },
    ...(conditions ? { conditions } : {}),
    ...(scaleToZero ? { scaleToZero } : {}),
  };
}

function toPod(p: Snapshot['pods'][number]): PodInfo {
  return uniformPod(podOf(p));
}

function podOf(p: Snapshot['pods'][number]): PodInfo {
  const requests = (r: Record<string, string | number> | undefined) =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, quantityText(v)]));
  const readyTransitionTime = optionalMs(p.readyTransitionTime);
  const startTime = optionalMs(p.startTime);
  const deletionTimestamp = optionalMs(p.deletionTimestamp);
  return {
    name: p.name,
    cluster: p.cluster,
    phase: p.phase,
    ready: p.ready,
    ...(readyTransitionTime !== undefined ? { readyTransitionTime } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    ...(deletionTimestamp !== undefined ? { deletionTimestamp } : {}),
    containers: p.containers.map((c) => ({ name: c.name, requests: requests(c.requests) })),
    ...(p.initContainers
      ? {
          initContainers: p.initContainers.map((c) => ({
            name: c.name,
            requests: requests(c.requests),
            ...(c.restartPolicy !== undefined ? { restartPolicy: c.restartPolicy } : {}),
          })),
        }
      : {}),
  };
}

function toSamples(m: Snapshot['metrics']): MetricSamples {
  const mapValues = <A, B>(r: Record<string, A> | undefined, f: (a: A) => B): Record<string, B> =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, f(v)]));
  return {
    resource: mapValues(m?.resource, (byPod) =>
      mapValues(byPod, (s) => ({
        timestamp: ms(s.timestamp),
        window: durationMs(s.window),
        containers: mapValues(s.containers, quantityText),
      })),
    ),
    pods: mapValues(m?.pods, (byPod) =>
      mapValues(byPod, (s) => ({ timestamp: ms(s.timestamp), value: quantityText(s.value) })),
    ),
    object: mapValues(m?.object, (s) => ({ timestamp: ms(s.timestamp), value: quantityText(s.value) })),
    external: mapValues(m?.external, (s) => ({
      timestamp: ms(s.timestamp),
      values: s.values.map(quantityText),
    })),
    ...(m?.errors ? { errors: m.errors } : {}),
  };
}

export type SnapshotParse = { ok: true; snapshot: Snapshot } | { ok: false; errors: string[] };

/** Validates one snapshot; every error reads `field.path: message`. */
export function parseSnapshot(value: unknown, prefix = ''): SnapshotParse {
  const r = snapshotSchema.safeParse(value);
  if (r.success) return { ok: true, snapshot: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${fieldPath(i.path, prefix) || '(root)'}: ${i.message}`),
  };
}
