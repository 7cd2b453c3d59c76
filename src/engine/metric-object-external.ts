// Object and External metrics: one value (or a sum of values) for the whole target (computeStatusForObjectMetric
// in Karmada's federatedhpa_controller.go; Kubernetes' computeStatusForExternalMetric, which Karmada lacks).

import type { MetricSpec } from '../api/autoscaling-v2.ts';
import { fail, type MetricContext, type MetricOutcome, selectorText } from './metric-outcome.ts';
import { formatMilli, milliValue } from './quantity.ts';
import {
  externalPerPodReplicas,
  objectPerPodReplicas,
  sumCapped,
  valueTargetReplicas,
} from './replicas-object-external.ts';

export function objectMetric(source: NonNullable<MetricSpec['object']>, ctx: MetricContext): MetricOutcome {
  const name = source.metric.name;
  const { kind, name: objectName } = source.describedObject;
  const reason = 'FailedGetObjectMetric';
  const outer = (e: string) => `failed to get object metric value: ${e}`;
  const target = source.target;
  const type = target.type === 'Value' && target.value !== undefined ? 'Value' : target.type;
  if (!(type === 'Value' || (type === 'AverageValue' && target.averageValue !== undefined))) {
    return fail(
      reason,
      'invalid object metric source: neither a value target nor an average value target was set',
      outer,
    );
  }
  const sample = ctx.samples.object?.[name];
  if (!sample) {
    // A PromQL-bound metric says why its query gave no value; otherwise Karmada's text.
    const e =
      ctx.samples.errors?.[name] ??
      `unable to get metric ${name} on ${kind} ${objectName}: no metrics returned from custom metrics API`;
    return type === 'Value'
      ? fail(reason, e, outer)
      : fail(reason, e, (x) => outer(`failed to get ${name} object metric: ${x}`));
  }
  const usage = milliValue(sample.value);
  if (type === 'Value') {
    const r = valueTargetReplicas(
      ctx.currentReplicas,
      usage,
      milliValue(target.value as string | number),
      ctx.pods,
      ctx.calibration,
      ctx.tolerance,
    );
    if (!r.ok) return fail(reason, r.error, outer);
    return {
      ok: true,
      replicas: r.replicas,
      metricName: `${kind} metric ${name}`,
      status: {
        type: 'Object',
        object: {
          describedObject: source.describedObject,
          metric: source.metric,
          current: { value: formatMilli(usage) },
        },
      },
    };
  }
  const r = objectPerPodReplicas(
    ctx.statusReplicas,
    usage,
    milliValue(target.averageValue as string | number),
    ctx.calibration,
    ctx.tolerance,
  );
  return {
    ok: true,
    replicas: r.replicas,
    // Karmada labels this path "external metric …" (federatedhpa_controller.go); kept for identical messages.
    metricName: `external metric ${name}(${selectorText(source.metric.selector)})`,
    // Karmada leaves describedObject out of this status although the API requires it; fhpa fills it in.
    status: {
      type: 'Object',
      object: {
        describedObject: source.describedObject,
        metric: source.metric,
        current: { averageValue: formatMilli(r.usage) },
      },
    },
  };
}

export function externalMetric(
  source: NonNullable<MetricSpec['external']>,
  ctx: MetricContext,
): MetricOutcome {
  const name = source.metric.name;
  const reason = 'FailedGetExternalMetric';
  const { value, averageValue } = source.target;
  if (value === undefined && averageValue === undefined) {
    return fail(
      reason,
      'invalid external metric source: neither a value target nor an average value target was set',
    );
  }
  const outer = (e: string) => `failed to get ${name} external metric: ${e}`;
  const sample = ctx.samples.external?.[name];
  if (!sample || sample.values.length === 0) {
    return fail(
      reason,
      `unable to get external metric ${name}: no metrics returned from external metrics API`,
      outer,
    );
  }
  const total = sumCapped(sample.values.map((v) => milliValue(v)));
  const metricName = `external metric ${name}(${selectorText(source.metric.selector)})`;
  // Kubernetes checks AverageValue first (computeStatusForExternalMetric).
  if (averageValue !== undefined) {
    const r = externalPerPodReplicas(
      ctx.statusReplicas,
      total,
      milliValue(averageValue),
      ctx.calibration,
      ctx.tolerance,
    );
    return {
      ok: true,
      replicas: r.replicas,
      metricName,
      status: {
        type: 'External',
        external: { metric: source.metric, current: { averageValue: formatMilli(r.usage) } },
      },
    };
  }
  const r = valueTargetReplicas(
    ctx.currentReplicas,
    total,
    milliValue(value as string | number),
    ctx.pods,
    ctx.calibration,
    ctx.tolerance,
  );
  if (!r.ok) return fail(reason, r.error, outer);
  return {
    ok: true,
    replicas: r.replicas,
    metricName,
    status: { type: 'External', external: { metric: source.metric, current: { value: formatMilli(total) } } },
  };
}
