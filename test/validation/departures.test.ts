import { describe, expect, it } from 'vitest';
import { validateCronFederatedHPA } from '../../src/validation/cronfederatedhpa.ts';
import { validateFederatedHPA } from '../../src/validation/federatedhpa.ts';
import { renderError } from '../../src/validation/field-error.ts';

// Where fhpa deliberately differs from Karmada's webhooks, and the CRD-schema checks the API server makes
// before any webhook runs.

const fhpa = (spec: Record<string, unknown>) => ({
  apiVersion: 'autoscaling.karmada.io/v1alpha1',
  kind: 'FederatedHPA',
  metadata: { name: 'x', namespace: 'default' },
  spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, minReplicas: 1, maxReplicas: 10, ...spec },
});
const errorsOf = (obj: unknown, raw = true) => validateFederatedHPA(obj, { raw }).errors.map(renderError);
const external = (target: Record<string, unknown>) => [
  { type: 'External', external: { metric: { name: 'queue_depth' }, target } },
];

describe('External metrics (Karmada refuses the type; fhpa validates it as Kubernetes does)', () => {
  it('accepts a Value or AverageValue target', () => {
    expect(errorsOf(fhpa({ metrics: external({ type: 'Value', value: '100' }) }))).toEqual([]);
    expect(errorsOf(fhpa({ metrics: external({ type: 'AverageValue', averageValue: '30' }) }))).toEqual([]);
  });
  it.each([
    [
      { type: 'Value' },
      'spec.metrics[0].external.target.averageValue: Required value: must set either a target value for metric or a per-pod target',
    ],
    [
      { type: 'Value', value: '1', averageValue: '1' },
      'spec.metrics[0].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target',
    ],
    [
      { type: 'Value', value: '0' },
      'spec.metrics[0].external.target.value: Invalid value: "0": must be positive',
    ],
  ])('refuses %j', (target, error) => {
    expect(errorsOf(fhpa({ metrics: external(target) }))).toEqual([error]);
  });
  it('requires the external source for type External', () => {
    expect(errorsOf(fhpa({ metrics: [{ type: 'External' }] }))).toEqual([
      'spec.metrics[0].external: Required value: must populate information for the given metric source',
    ]);
  });
});

describe('behavior tolerance (ignored by Karmada; honoured and checked by fhpa)', () => {
  const withTolerance = (tolerance: unknown) =>
    fhpa({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }], tolerance } } });
  it.each(['0', '0.05', 0.1, '50m'])('accepts %j', (t) => {
    expect(errorsOf(withTolerance(t))).toEqual([]);
  });
  it('refuses a negative tolerance', () => {
    expect(errorsOf(withTolerance('-0.1'))).toEqual([
      'spec.behavior.scaleUp.tolerance: Invalid value: "-100m": must be greater than or equal to 0',
    ]);
  });
});

describe('structural checks the CRD schema makes first', () => {
  it('reports missing required fields and wrong types with their paths', () => {
    const obj = fhpa({ maxReplicas: 'ten', scaleTargetRef: { kind: 'Deployment' } });
    expect(errorsOf(obj)).toEqual([
      'spec.scaleTargetRef.name: Required value',
      'spec.maxReplicas: Invalid value: "string": spec.maxReplicas in body must be of type number: "string"',
    ]);
  });
  it('reports a quantity that does not parse', () => {
    const obj = fhpa({
      metrics: [
        {
          type: 'Pods',
          pods: { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: '7OOm' } },
        },
      ],
    });
    expect(errorsOf(obj)).toEqual([
      'spec.metrics[0].pods.target.averageValue: Invalid value: "7OOm": must be a Kubernetes quantity such as "500m", "1.5" or "64Mi"',
    ]);
  });
  // Issue 19.7: schema errors and rule errors come in one pass, and a bound is the field's, said in words.
  it.each([
    [
      'maxReplicas past 2^53, minReplicas 0',
      { maxReplicas: 1e20, minReplicas: 0 },
      [
        'spec.maxReplicas: Invalid value: 100000000000000000000: must fit in int32 (-2147483648 to 2147483647)',
        'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      ],
    ],
    [
      'maxReplicas 1.5, a policy of period 0',
      {
        maxReplicas: 1.5,
        behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 0 }] } },
      },
      [
        'spec.maxReplicas: Invalid value: "number": spec.maxReplicas in body must be of type integer: "number"',
        'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero',
      ],
    ],
    [
      'a bad quantity beside a bad utilization: no echo that the target lost its value',
      {
        metrics: [
          {
            type: 'Pods',
            pods: { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: '7OOm' } },
          },
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } },
          },
        ],
      },
      [
        'spec.metrics[0].pods.target.averageValue: Invalid value: "7OOm": must be a Kubernetes quantity such as "500m", "1.5" or "64Mi"',
        'spec.metrics[1].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
      ],
    ],
  ])('%s: both in one pass', (_name, spec, errors) => {
    const found = errorsOf(fhpa(spec));
    expect(found).toEqual(errors);
    expect(found.join('\n')).not.toMatch(/9007199254740991|Too big|expected int/);
  });

  it('a required field that is wrong stops the rules: only what can be known is said', () => {
    expect(errorsOf(fhpa({ scaleTargetRef: 'x', minReplicas: 0 }))).toEqual([
      'spec.scaleTargetRef: Invalid value: "string": spec.scaleTargetRef in body must be of type object: "string"',
    ]);
  });

  it('a CronFederatedHPA too: a wrong-typed rule field beside a rule error', () => {
    const obj = cron([
      { name: 'a', schedule: '0 * * * *', targetReplicas: 'five' },
      { name: 'b', schedule: 'not a schedule', targetReplicas: 1 },
    ]);
    const errors = validateCronFederatedHPA(obj, NOW).errors.map(renderError);
    expect(errors[0]).toBe(
      'spec.rules[0].targetReplicas: Invalid value: "string": spec.rules[0].targetReplicas in body must be of type number: "string"',
    );
    expect(errors.slice(1).some((e) => e.startsWith('spec.rules[1].schedule: '))).toBe(true);
  });

  it('reports a missing spec', () => {
    const { spec: _spec, ...noSpec } = fhpa({});
    expect(errorsOf(noSpec)).toEqual(['spec: Required value']);
  });
});

const cron = (rules: Record<string, unknown>[]) => ({
  apiVersion: 'autoscaling.karmada.io/v1alpha1',
  kind: 'CronFederatedHPA',
  metadata: { name: 'c', namespace: 'default' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, rules },
});
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('CronFederatedHPA schedules fhpa refuses beyond Karmada', () => {
  it.each([
    [
      '0 0 0 13 * 5',
      "expected 5 fields (minute hour day-of-month month day-of-week), found 6: Karmada's controller refuses seconds and years",
    ],
    [
      '@5minutes',
      'unknown descriptor "@5minutes": supported are @yearly, @annually, @monthly, @weekly, @daily, @hourly',
    ],
    ['0 0 L * *', 'day-of-month "L": L, W and # are not supported by Karmada\'s controller'],
  ])('refuses %j (gronx admits it, robfig/cron cannot run it) and says why in a warning', (schedule, why) => {
    const r = validateCronFederatedHPA(
      cron([{ name: 'r', schedule, targetReplicas: 1, timeZone: 'UTC' }]),
      NOW,
    );
    expect(r.errors.map(renderError)).toEqual([
      `spec.rules[0].schedule: Invalid value: ${JSON.stringify(schedule)}: invalid cron format`,
    ]);
    expect(r.warnings).toEqual([`spec.rules[0].schedule: ${why}`]);
  });

  it('checks the CRD bounds on rule names and history limits', () => {
    const r = validateCronFederatedHPA(
      cron([
        {
          name: 'a'.repeat(33),
          schedule: '@daily',
          targetReplicas: 1,
          successfulHistoryLimit: 0,
          failedHistoryLimit: 33,
        },
      ]),
      NOW,
    );
    expect(r.errors.map(renderError)).toEqual([
      'spec.rules[0].name: Too long: may not be more than 32 bytes',
      'spec.rules[0].successfulHistoryLimit: Invalid value: 0: spec.rules[0].successfulHistoryLimit in body should be greater than or equal to 1',
      'spec.rules[0].failedHistoryLimit: Invalid value: 33: spec.rules[0].failedHistoryLimit in body should be less than or equal to 32',
    ]);
  });
});
