import { describe, expect, it } from 'vitest';
import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import { setDefaultsFederatedHPA } from '../../src/validation/defaults.ts';
import { validateFederatedHPA } from '../../src/validation/federatedhpa.ts';

const base = (spec: Partial<FederatedHPA['spec']>): FederatedHPA => ({
  apiVersion: 'autoscaling.karmada.io/v1alpha1',
  kind: 'FederatedHPA',
  metadata: { name: 'test', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'test' },
    maxReplicas: 10,
    ...spec,
  },
});

describe('setDefaultsFederatedHPA (karmada pkg/util/lifted/federatedhpa.go#SetDefaultsFederatedHPA)', () => {
  it('fills minReplicas, the CPU metric and both behavior sides', () => {
    // karmada pkg/webhook/federatedhpa/mutating_test.go#TestMutatingAdmission_Handle_FullCoverage
    const out = setDefaultsFederatedHPA(base({ metrics: [], behavior: {} }));
    expect(out.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'test' },
      maxReplicas: 10,
      minReplicas: 1,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ],
        },
        scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      },
    });
  });

  it('leaves an omitted behavior omitted (the controller then takes the legacy path)', () => {
    expect(setDefaultsFederatedHPA(base({ minReplicas: 2 })).spec.behavior).toBeUndefined();
  });

  it('copies set fields one by one and keeps tolerance (a departure: Karmada drops it)', () => {
    const out = setDefaultsFederatedHPA(
      base({ behavior: { scaleDown: { stabilizationWindowSeconds: 60, tolerance: '0.05' } } }),
    );
    expect(out.spec.behavior?.scaleDown).toEqual({
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      tolerance: '0.05',
    });
  });

  it('keeps an explicit empty policy list, which validation then refuses', () => {
    const r = validateFederatedHPA(base({ behavior: { scaleUp: { policies: [] } } }));
    expect(r.errors.map((e) => e.field)).toEqual(['spec.behavior.scaleUp.policies']);
  });

  it('does not mutate its input', () => {
    const input = base({ behavior: {} });
    setDefaultsFederatedHPA(input);
    expect(input.spec.behavior).toEqual({});
    expect(input.spec.minReplicas).toBeUndefined();
  });
});

describe('raw versus admitted validation', () => {
  it('a behavior side without policies is invalid raw and valid once defaulted', () => {
    const fhpa = base({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    expect(validateFederatedHPA(fhpa, { raw: true }).errors.map((e) => e.field)).toEqual([
      'spec.behavior.scaleDown.policies',
    ]);
    expect(validateFederatedHPA(fhpa).errors).toEqual([]);
  });

  it('a defaulted minReplicas of 1 makes maxReplicas 0 fail twice', () => {
    const r = validateFederatedHPA(base({ maxReplicas: 0 }));
    expect(r.errors.map((e) => e.detail)).toEqual([
      'must be greater than 0',
      'must be greater than or equal to `minReplicas`',
    ]);
    expect(validateFederatedHPA(base({ maxReplicas: 0 }), { raw: true }).errors.map((e) => e.detail)).toEqual(
      ['must be greater than 0'],
    );
  });
});
