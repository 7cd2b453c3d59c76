import { describe, expect, it } from 'vitest';
import type { CronFederatedHPA, CronFederatedHPARule } from '../../src/api/cronfederatedhpa.ts';
import { cronTarget, ruleAction, type TargetState } from '../../src/cron/rule-action.ts';

const cron = (apiVersion: string | undefined, kind: string): CronFederatedHPA => ({
  apiVersion: 'autoscaling.karmada.io/v1alpha1',
  kind: 'CronFederatedHPA',
  metadata: { name: 'cron', namespace: 'default' },
  spec: { scaleTargetRef: { ...(apiVersion ? { apiVersion } : {}), kind, name: 'target' }, rules: [] },
});
const FHPA = cron('autoscaling.karmada.io/v1alpha1', 'FederatedHPA');
const DEPLOYMENT = cron('apps/v1', 'Deployment');
const rule = (r: Partial<CronFederatedHPARule>): CronFederatedHPARule => ({
  name: 'r',
  schedule: '* * * * *',
  ...r,
});

describe('cronTarget', () => {
  it.each([
    [FHPA, { type: 'FederatedHPA', namespace: 'default', name: 'target' }],
    [
      DEPLOYMENT,
      { type: 'workload', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'target' },
    ],
    [
      cron('autoscaling.karmada.io/v1alpha1', 'CronFederatedHPA'),
      {
        type: 'unsupported',
        message:
          'CronFederatedHPA(default/cron) do not support scale target autoscaling.karmada.io/v1alpha1/CronFederatedHPA',
      },
    ],
    // Only the exact apiVersion string means "a FederatedHPA" (karmada.md §c.2).
    [
      cron('autoscaling.karmada.io/v1beta1', 'FederatedHPA'),
      {
        type: 'workload',
        apiVersion: 'autoscaling.karmada.io/v1beta1',
        kind: 'FederatedHPA',
        namespace: 'default',
        name: 'target',
      },
    ],
  ] as const)('%#: %j', (c, want) => {
    expect(cronTarget(c)).toEqual(want);
  });
});

describe('ruleAction on a FederatedHPA (cronfederatedhpa_job_test.go#TestScaleFHPA)', () => {
  it.each<{ name: string; rule: Partial<CronFederatedHPARule>; fhpa: TargetState; want: unknown }>([
    {
      name: 'Update MaxReplicas',
      rule: { targetMaxReplicas: 10 },
      fhpa: { type: 'FederatedHPA', maxReplicas: 5 },
      want: { type: 'updateFederatedHPA', minReplicas: 1, maxReplicas: 10 },
    },
    {
      name: 'Update MinReplicas',
      rule: { targetMinReplicas: 3 },
      fhpa: { type: 'FederatedHPA', minReplicas: 2, maxReplicas: 5 },
      want: { type: 'updateFederatedHPA', minReplicas: 3, maxReplicas: 5 },
    },
    {
      name: 'No Updates Needed',
      rule: { targetMinReplicas: 2, targetMaxReplicas: 5 },
      fhpa: { type: 'FederatedHPA', minReplicas: 2, maxReplicas: 5 },
      want: { type: 'none' },
    },
    {
      name: 'an unset minReplicas reads as the webhook default 1',
      rule: { targetMinReplicas: 1 },
      fhpa: { type: 'FederatedHPA', maxReplicas: 5 },
      want: { type: 'none' },
    },
    {
      name: 'targetReplicas is ignored for a FederatedHPA',
      rule: { targetReplicas: 7, targetMaxReplicas: 5 },
      fhpa: { type: 'FederatedHPA', minReplicas: 1, maxReplicas: 5 },
      want: { type: 'none' },
    },
    {
      name: 'a min above the existing max is denied by the FederatedHPA webhook',
      rule: { targetMinReplicas: 8 },
      fhpa: { type: 'FederatedHPA', minReplicas: 2, maxReplicas: 5 },
      want: {
        type: 'fail',
        message:
          'admission webhook "federatedhpa.karmada.io" denied the request: spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`',
      },
    },
    {
      name: 'raising both together passes',
      rule: { targetMinReplicas: 8, targetMaxReplicas: 20 },
      fhpa: { type: 'FederatedHPA', minReplicas: 2, maxReplicas: 5 },
      want: { type: 'updateFederatedHPA', minReplicas: 8, maxReplicas: 20 },
    },
  ])('$name', ({ rule: r, fhpa, want }) => {
    expect(ruleAction(FHPA, rule(r), fhpa)).toEqual(want);
  });
});

describe('ruleAction on a workload (cronfederatedhpa_job.go#ScaleWorkloads)', () => {
  it.each<{ name: string; rule: Partial<CronFederatedHPARule>; state: TargetState; want: unknown }>([
    {
      name: 'different replicas → scale',
      rule: { targetReplicas: 6 },
      state: { type: 'workload', replicas: 2 },
      want: { type: 'scale', replicas: 6 },
    },
    {
      name: 'same replicas → nothing',
      rule: { targetReplicas: 2 },
      state: { type: 'workload', replicas: 2 },
      want: { type: 'none' },
    },
    // karmada PR #7183: a scale without spec.replicas is at 0.
    {
      name: 'absent spec.replicas scales from zero',
      rule: { targetReplicas: 3 },
      state: { type: 'workload' },
      want: { type: 'scale', replicas: 3 },
    },
    {
      name: 'absent spec.replicas and target 0 → nothing',
      rule: { targetReplicas: 0 },
      state: { type: 'workload' },
      want: { type: 'none' },
    },
    {
      name: 'min/max are ignored; targetReplicas missing fails with the webhook text',
      rule: { targetMinReplicas: 3 },
      state: { type: 'workload', replicas: 1 },
      want: { type: 'fail', message: 'targetReplicas cannot be nil if you want to scale Deployment' },
    },
  ])('$name', ({ rule: r, state, want }) => {
    expect(ruleAction(DEPLOYMENT, rule(r), state)).toEqual(want);
  });

  it('fails an unsupported target whatever its state', () => {
    const c = cron('autoscaling.karmada.io/v1alpha1', 'Deployment');
    expect(ruleAction(c, rule({ targetReplicas: 1 }), { type: 'workload', replicas: 0 })).toEqual({
      type: 'fail',
      message:
        'CronFederatedHPA(default/cron) do not support scale target autoscaling.karmada.io/v1alpha1/Deployment',
    });
  });

  it('fails when the state read does not match the target', () => {
    expect(
      ruleAction(DEPLOYMENT, rule({ targetReplicas: 1 }), { type: 'FederatedHPA', maxReplicas: 3 }),
    ).toEqual({
      type: 'fail',
      message: 'scale target Deployment was read as a FederatedHPA',
    });
  });
});
