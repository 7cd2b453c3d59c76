// The annotations that bind a FederatedHPA's metrics to PromQL queries and opt it into scale to zero. They are
// annotations, not spec fields, because the FederatedHPA CRD is Karmada's: its schema prunes unknown fields.
// The prefix, the two plain keys and the error shape are the registry's (src/api/annotations.ts), which
// refuses unknown keys under `autoscaling.fhpa.io/`; that is why the per-metric keys live under their own
// prefixes (`promql.autoscaling.fhpa.io/METRIC`). This module checks the values of its keys.
//
//   autoscaling.fhpa.io/prometheus               which configured Prometheus endpoint the queries go to
//   promql.autoscaling.fhpa.io/METRIC            the PromQL query that gives Object metric METRIC its value
//   autoscaling.fhpa.io/scale-to-zero-after      opt-in: scale to 0 after every activation metric has been at
//                                                or below its threshold this long (a duration, e.g. "10m")
//   activation.autoscaling.fhpa.io/METRIC        the activation threshold of Object or External metric METRIC
//                                                (a quantity; default 0, KEDA's activationThreshold default)

import { isQuantity, milliValue } from '../engine/quantity.ts';
import type { ScaleToZeroSettings } from '../engine/scale-to-zero.ts';
import { isDNS1123Label } from '../validation/names.ts';
import {
  type AnnotationError,
  annotationPath,
  PROMETHEUS_ENDPOINT,
  SCALE_TO_ZERO_AFTER,
} from './annotations.ts';

export { ANNOTATION_PREFIX as FHPA_PREFIX, PROMETHEUS_ENDPOINT, SCALE_TO_ZERO_AFTER } from './annotations.ts';
export const PROMQL_PREFIX = 'promql.autoscaling.fhpa.io/';
export const ACTIVATION_PREFIX = 'activation.autoscaling.fhpa.io/';

/** A query longer than this is refused at admission: a query is an expression, not a program. */
export const MAX_QUERY_LENGTH = 4096;
/** The longest idle period: a day (longer idleness is better expressed by pausing). */
export const MAX_IDLE_MS = 24 * 3_600_000;
export const DEFAULT_PROMETHEUS_ENDPOINT = 'default';

export interface MetricAnnotations {
  /** PromQL query by Object metric name. */
  promql: Record<string, string>;
  /** The endpoint the queries go to (DEFAULT_PROMETHEUS_ENDPOINT when absent). */
  prometheus: string;
  /** Scale to zero after this long idle; undefined: not opted in (a workload at 0 stays paused). */
  scaleToZeroAfterMs?: number;
  /** Activation threshold (quantity) by metric name; a metric without one has threshold 0. */
  activation: Record<string, string>;
}

export type { AnnotationError };
export const annotationKeyPath = annotationPath;

const DURATION = /^(\d+(ms|s|m|h))+$/;

function durationMs(text: string): number {
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h)/g)) {
    ms += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  }
  return ms;
}

/** Reads this module's annotations; other keys are ignored. Each bad value is one error, never a throw. */
export function parseMetricAnnotations(annotations: Record<string, string> | undefined): {
  settings: MetricAnnotations;
  errors: AnnotationError[];
} {
  const settings: MetricAnnotations = { promql: {}, prometheus: DEFAULT_PROMETHEUS_ENDPOINT, activation: {} };
  const errors: AnnotationError[] = [];
  for (const [key, value] of Object.entries(annotations ?? {})) {
    const bad = (message: string) => errors.push({ key, value: value.slice(0, 64), message });
    if (key.startsWith(PROMQL_PREFIX)) {
      const query = value.trim();
      if (query === '') bad('must be a PromQL query, not empty');
      else if (value.length > MAX_QUERY_LENGTH) bad(`must be at most ${MAX_QUERY_LENGTH} characters`);
      else settings.promql[key.slice(PROMQL_PREFIX.length)] = query;
    } else if (key.startsWith(ACTIVATION_PREFIX)) {
      const problem = quantityProblem(value);
      if (problem) bad(problem);
      else settings.activation[key.slice(ACTIVATION_PREFIX.length)] = value;
    } else if (key === SCALE_TO_ZERO_AFTER) {
      if (!DURATION.test(value)) bad('must be a duration such as "30s", "10m" or "1h"');
      else if (durationMs(value) > MAX_IDLE_MS) bad('must be at most 24h');
      else settings.scaleToZeroAfterMs = durationMs(value);
    } else if (key === PROMETHEUS_ENDPOINT) {
      if (isDNS1123Label(value).length > 0)
        bad('must name a configured Prometheus endpoint (lower case letters, digits and "-")');
      else settings.prometheus = value;
    }
  }
  return { settings, errors };
}

function quantityProblem(value: string): string | undefined {
  if (!isQuantity(value)) return 'must be a quantity such as "0", "5" or "500m"';
  return milliValue(value) < 0n ? 'must be a quantity of at least 0, such as "0", "5" or "500m"' : undefined;
}

/** The engine's scale-to-zero input, when the FederatedHPA opted in. */
export function scaleToZeroOf(settings: MetricAnnotations): ScaleToZeroSettings | undefined {
  return settings.scaleToZeroAfterMs === undefined
    ? undefined
    : { afterMs: settings.scaleToZeroAfterMs, activation: settings.activation };
}
