import { describe, expect, it } from 'vitest';
import { validateCronFederatedHPA } from '../../src/validation/cronfederatedhpa.ts';
import { validateFederatedHPA } from '../../src/validation/federatedhpa.ts';
import { federatedHPAWarnings } from '../../src/validation/warnings.ts';

const fhpa = (spec: Record<string, unknown>) => ({
  apiVersion: 'autoscaling.karmada.io/v1alpha1' as const,
  kind: 'FederatedHPA' as const,
  metadata: { name: 'x', namespace: 'default' },
  spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, minReplicas: 1, maxReplicas: 10, ...spec },
});
const warningsOf = (spec: Record<string, unknown>) => validateFederatedHPA(fhpa(spec)).warnings;
const pods = (type: string) => [
  { type: 'Pods', pods: { metric: { name: 'http_requests' }, target: { type, averageValue: '700m' } } },
];

describe('FederatedHPA warnings (valid, probably wrong)', () => {
  it('has none for a plain spec', () => {
    expect(warningsOf({ metrics: pods('AverageValue') })).toEqual([]);
  });
  it('names a target type the controller does not read', () => {
    // Karmada's own example (and pkg/webhook/federatedhpa/validating_test.go) write type Value on a Pods metric.
    expect(warningsOf({ metrics: pods('Value') })).toEqual([
      'spec.metrics[0].pods.target.type is "Value", but a Pods metric is compared by averageValue: write type AverageValue so the spec says what the controller does',
    ]);
  });
  it('warns when minReplicas equals maxReplicas', () => {
    expect(warningsOf({ minReplicas: 3, maxReplicas: 3 })).toEqual([
      'spec.minReplicas equals spec.maxReplicas (3): the FederatedHPA can never scale',
    ]);
  });
  it('warns about a scale-down window shorter than the evaluation period', () => {
    expect(warningsOf({ behavior: { scaleDown: { stabilizationWindowSeconds: 10 } } })).toEqual([
      'spec.behavior.scaleDown.stabilizationWindowSeconds (10s) is shorter than the evaluation period (15s): the window rarely holds more than one recommendation, so it does not smooth scale-downs',
    ]);
    expect(warningsOf({ behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } })).toEqual([]);
    expect(
      federatedHPAWarnings(fhpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 10 } } }), {
        evaluationPeriodSeconds: 5,
      }),
    ).toEqual([]);
  });
  it('warns about policies that can never act', () => {
    const policies = [
      { type: 'Pods', value: 2, periodSeconds: 60 },
      { type: 'Pods', value: 5, periodSeconds: 60 },
    ];
    expect(warningsOf({ behavior: { scaleUp: { policies } } })).toEqual([
      'spec.behavior.scaleUp.policies[0] can never act: spec.behavior.scaleUp.policies[1] has the same type and period and selectPolicy Max always prefers it',
    ]);
    expect(warningsOf({ behavior: { scaleUp: { policies, selectPolicy: 'Min' } } })).toEqual([
      'spec.behavior.scaleUp.policies[1] can never act: spec.behavior.scaleUp.policies[0] has the same type and period and selectPolicy Min always prefers it',
    ]);
    expect(
      warningsOf({ behavior: { scaleDown: { selectPolicy: 'Disabled', policies: [policies[0]] } } }),
    ).toEqual([
      'spec.behavior.scaleDown.policies never apply: spec.behavior.scaleDown.selectPolicy is Disabled, so this direction never scales',
    ]);
  });
  it('gives no warnings for an invalid object', () => {
    expect(
      validateFederatedHPA(fhpa({ minReplicas: 3, maxReplicas: 3, metrics: [{ type: 'Foo' }] })).warnings,
    ).toEqual([]);
  });
});

describe('CronFederatedHPA warnings', () => {
  const cron = (ref: Record<string, unknown>, rule: Record<string, unknown>) => ({
    apiVersion: 'autoscaling.karmada.io/v1alpha1',
    kind: 'CronFederatedHPA',
    metadata: { name: 'c', namespace: 'default' },
    spec: { scaleTargetRef: ref, rules: [{ name: 'r', ...rule }] },
  });
  const NOW = Date.parse('2026-01-01T00:00:00Z');
  it('warns about a missing time zone, a schedule that never fires and ignored targets', () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' };
    expect(
      validateCronFederatedHPA(
        cron(deploy, { schedule: '0 0 30 2 *', targetReplicas: 1, targetMaxReplicas: 3 }),
        NOW,
      ).warnings,
    ).toEqual([
      "spec.rules[0].timeZone is not set: Karmada uses the controller's local time zone, fhpa uses UTC; set it to be sure",
      'spec.rules[0].schedule "0 0 30 2 *" never fires',
      'spec.rules[0].targetMinReplicas/targetMaxReplicas are ignored: the target is a Deployment, whose replicas are set to targetReplicas',
    ]);
    const fh = { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: 'x' };
    expect(
      validateCronFederatedHPA(
        cron(fh, { schedule: '@daily', timeZone: 'UTC', targetReplicas: 2, targetMinReplicas: 1 }),
        NOW,
      ).warnings,
    ).toEqual([
      'spec.rules[0].targetReplicas is ignored: the target is a FederatedHPA, whose targetMinReplicas/targetMaxReplicas are set',
    ]);
  });
});
