import { describe, expect, it } from 'vitest';
import { parseMetricAnnotations } from '../../src/api/metric-annotations.ts';
import { decide } from '../../src/app/admission.ts';
import { karmadaFederatedHPAErrors, validateFederatedHPA } from '../../src/validation/federatedhpa.ts';
import { renderError } from '../../src/validation/field-error.ts';

// The PromQL and scale-to-zero annotations at admission: the Object metric form they bind passes Karmada's own
// rules unchanged (so Karmada's webhook, which stays installed, admits it), and a bad annotation is refused
// with `metadata.annotations[KEY]` named.

const objectMetric = (name: string) => ({
  type: 'Object',
  object: {
    describedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    metric: { name },
    target: { type: 'AverageValue', averageValue: '10' },
  },
});

const fhpa = (annotations: Record<string, string>, metrics: unknown[] = [objectMetric('http_requests')]) => ({
  apiVersion: 'autoscaling.karmada.io/v1alpha1',
  kind: 'FederatedHPA',
  metadata: { name: 'web', namespace: 'default', annotations },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics,
  },
});
const errorsOf = (obj: unknown) => validateFederatedHPA(obj).errors.map(renderError);

const good = {
  'promql.autoscaling.fhpa.io/http_requests': 'sum(rate(http_requests_total{app="web"}[2m]))',
  'autoscaling.fhpa.io/prometheus': 'thanos',
  'autoscaling.fhpa.io/scale-to-zero-after': '10m',
  'activation.autoscaling.fhpa.io/http_requests': '500m',
};

describe('PromQL and scale-to-zero annotations at admission', () => {
  it('admits a PromQL-bound Object metric, and Karmada’s own rules admit the same object', () => {
    expect(errorsOf(fhpa(good))).toEqual([]);
    const parsed = validateFederatedHPA(fhpa(good));
    expect(parsed.errors).toEqual([]);
    // Karmada's rules alone (what its webhook checks): the annotations are not theirs, the Object metric is.
    expect(karmadaFederatedHPAErrors(fhpa(good) as never)).toEqual([]);
    expect(parseMetricAnnotations(good).settings).toEqual({
      promql: { http_requests: 'sum(rate(http_requests_total{app="web"}[2m]))' },
      prometheus: 'thanos',
      scaleToZeroAfterMs: 600_000,
      activation: { http_requests: '500m' },
    });
  });

  it.each([
    [
      { 'promql.autoscaling.fhpa.io/http_requests': '  ' },
      'metadata.annotations[promql.autoscaling.fhpa.io/http_requests]: Invalid value: "  ": must be a PromQL query, not empty',
    ],
    [
      { 'promql.autoscaling.fhpa.io/http_requests': `sum(${'x'.repeat(5000)})` },
      `metadata.annotations[promql.autoscaling.fhpa.io/http_requests]: Invalid value: "sum(${'x'.repeat(60)}": must be at most 4096 characters`,
    ],
    [
      { 'promql.autoscaling.fhpa.io/queue_depth': 'sum(queue_depth)' },
      'metadata.annotations[promql.autoscaling.fhpa.io/queue_depth]: Invalid value: "sum(queue_depth)": names no Object metric of spec.metrics: add one with metric.name "queue_depth" (type Object, any describedObject)',
    ],
    [
      { 'autoscaling.fhpa.io/scale-to-zero-after': 'soon' },
      'metadata.annotations[autoscaling.fhpa.io/scale-to-zero-after]: Invalid value: "soon": must be a duration such as "30s", "10m" or "1h"',
    ],
    [
      { 'autoscaling.fhpa.io/scale-to-zero-after': '25h' },
      'metadata.annotations[autoscaling.fhpa.io/scale-to-zero-after]: Invalid value: "25h": must be at most 24h',
    ],
    [
      { 'activation.autoscaling.fhpa.io/http_requests': '-1' },
      'metadata.annotations[activation.autoscaling.fhpa.io/http_requests]: Invalid value: "-1": must be a quantity of at least 0, such as "0", "5" or "500m"',
    ],
    [
      { 'activation.autoscaling.fhpa.io/cpu': '1' },
      'metadata.annotations[activation.autoscaling.fhpa.io/cpu]: Invalid value: "1": names no Object or External metric of spec.metrics (per-pod metrics vanish with the pods and cannot wake a workload)',
    ],
    [
      { 'autoscaling.fhpa.io/prometheus': 'Thanos!' },
      'metadata.annotations[autoscaling.fhpa.io/prometheus]: Invalid value: "Thanos!": must name a configured Prometheus endpoint (lower case letters, digits and "-")',
    ],
  ])('refuses %j', (annotations, error) => {
    expect(errorsOf(fhpa(annotations))).toEqual([error]);
  });

  it('refuses scale to zero without a metric that could wake the workload', () => {
    const cpu = {
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
    };
    expect(errorsOf(fhpa({ 'autoscaling.fhpa.io/scale-to-zero-after': '5m' }, [cpu]))).toEqual([
      'metadata.annotations[autoscaling.fhpa.io/scale-to-zero-after]: Invalid value: "5m": needs an Object or External metric in spec.metrics to wake the workload from zero',
    ]);
  });

  it('the webhook answers 403 naming the annotation', () => {
    const response = decide(
      {
        uid: 'u1',
        kind: { group: 'autoscaling.karmada.io', version: 'v1alpha1', kind: 'FederatedHPA' },
        operation: 'CREATE',
        namespace: 'default',
        object: fhpa({ 'promql.autoscaling.fhpa.io/http_requests': '' }),
      } as never,
      ['FederatedHPA'],
      0,
    );
    expect(response).toMatchObject({
      allowed: false,
      status: {
        code: 403,
        message:
          'metadata.annotations[promql.autoscaling.fhpa.io/http_requests]: Invalid value: "": must be a PromQL query, not empty',
      },
    });
  });
});
