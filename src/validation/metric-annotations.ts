import type { FederatedHPA } from '../api/federatedhpa.ts';
import {
  ACTIVATION_PREFIX,
  annotationKeyPath,
  PROMQL_PREFIX,
  parseMetricAnnotations,
  SCALE_TO_ZERO_AFTER,
} from '../api/metric-annotations.ts';
import { type FieldError, invalid } from './field-error.ts';

// fhpa's checks of its PromQL and scale-to-zero annotations (src/api/metric-annotations.ts), after Karmada's
// rules: each value's shape, and that what a key names exists in spec.metrics. A PromQL query binds an
// Object metric (the type Karmada's webhook admits; it refuses External); activation thresholds belong to
// Object and External metrics, the ones that still have a value when the workload has no pods.

export function metricAnnotationErrors(fhpa: FederatedHPA): FieldError[] {
  const annotations = fhpa.metadata.annotations ?? {};
  const { settings, errors } = parseMetricAnnotations(annotations);
  const out: FieldError[] = errors.map((e) => invalid(annotationKeyPath(e.key), e.value, e.message));
  const metrics = fhpa.spec.metrics ?? [];
  const objectNames = new Set(
    metrics.flatMap((m) => (m.type === 'Object' && m.object ? [m.object.metric.name] : [])),
  );
  const wakeNames = new Set([
    ...objectNames,
    ...metrics.flatMap((m) => (m.type === 'External' && m.external ? [m.external.metric.name] : [])),
  ]);
  for (const name of Object.keys(settings.promql)) {
    if (!objectNames.has(name)) {
      const key = `${PROMQL_PREFIX}${name}`;
      out.push(
        invalid(
          annotationKeyPath(key),
          annotations[key]?.slice(0, 64),
          `names no Object metric of spec.metrics: add one with metric.name "${name}" (type Object, any describedObject)`,
        ),
      );
    }
  }
  for (const name of Object.keys(settings.activation)) {
    if (!wakeNames.has(name)) {
      const key = `${ACTIVATION_PREFIX}${name}`;
      out.push(
        invalid(
          annotationKeyPath(key),
          annotations[key],
          `names no Object or External metric of spec.metrics (per-pod metrics vanish with the pods and cannot wake a workload)`,
        ),
      );
    }
  }
  if (settings.scaleToZeroAfterMs !== undefined && wakeNames.size === 0) {
    out.push(
      invalid(
        annotationKeyPath(SCALE_TO_ZERO_AFTER),
        annotations[SCALE_TO_ZERO_AFTER],
        'needs an Object or External metric in spec.metrics to wake the workload from zero',
      ),
    );
  }
  return out;
}
