import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type PropagationPolicy, propagationPolicySchema } from '../../src/api/propagationpolicy.ts';
import { divideReplicas } from '../../src/placement/division.ts';
import {
  affinityMatchesName,
  policyClusterNames,
  policyWarnings,
  schedulingFromPolicy,
} from '../../src/placement/policy-scheduling.ts';

function policy(placement: unknown): PropagationPolicy {
  return propagationPolicySchema.parse({
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name: 'p', namespace: 'default' },
    spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }], placement },
  });
}

const members = ['member1', 'member2', 'member3'];

describe('schedulingFromPolicy', () => {
  it.each([
    {
      name: 'no replicaScheduling → Duplicated (propagation_helper.go#ReplicaSchedulingType)',
      placement: {},
      want: { type: 'Duplicated' },
    },
    {
      name: 'explicit Duplicated',
      placement: { replicaScheduling: { replicaSchedulingType: 'Duplicated' } },
      want: { type: 'Duplicated' },
    },
    {
      name: 'empty replicaScheduling → Divided (CRD default) Weighted (webhook default), weight 1 each',
      placement: { replicaScheduling: {} },
      want: { type: 'Divided', preference: 'Weighted' },
    },
    {
      name: 'Aggregated',
      placement: {
        replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' },
      },
      want: { type: 'Divided', preference: 'Aggregated' },
    },
    {
      name: 'dynamicWeight wins over staticWeightList (assignment.go#newAssignState)',
      placement: {
        replicaScheduling: {
          replicaDivisionPreference: 'Weighted',
          weightPreference: {
            dynamicWeight: 'AvailableReplicas',
            staticWeightList: [{ targetCluster: { clusterNames: ['member1'] }, weight: 5 }],
          },
        },
      },
      want: { type: 'Divided', preference: 'Weighted', dynamicWeight: 'AvailableReplicas' },
    },
    {
      name: 'static weights expand to candidate clusters, exclude honoured, empty clusterNames = all',
      placement: {
        replicaScheduling: {
          replicaDivisionPreference: 'Weighted',
          weightPreference: {
            staticWeightList: [
              { targetCluster: { clusterNames: ['member1', 'memberX'] }, weight: 3 },
              { targetCluster: { exclude: ['member1'] }, weight: 1 },
              {
                targetCluster: { clusterNames: ['member2'], labelSelector: { matchLabels: { a: 'b' } } },
                weight: 9,
              },
            ],
          },
        },
      },
      want: {
        type: 'Divided',
        preference: 'Weighted',
        staticWeights: [
          { cluster: 'member1', weight: 3 },
          { cluster: 'member2', weight: 1 },
          { cluster: 'member3', weight: 1 },
        ],
      },
    },
  ])('$name', ({ placement, want }) => {
    expect(schedulingFromPolicy(policy(placement), members)).toEqual(want);
  });
});

describe('cluster names from the policy', () => {
  it('takes clusterNames minus exclude, without duplicates', () => {
    const p = policy({ clusterAffinity: { clusterNames: ['b', 'a', 'b', 'c'], exclude: ['c'] } });
    expect(policyClusterNames(p)).toEqual(['b', 'a']);
  });
  it('is empty without a clusterAffinity', () => {
    expect(policyClusterNames(policy({}))).toEqual([]);
  });
  it.each([
    [{}, 'x', true],
    [{ clusterNames: ['x'] }, 'x', true],
    [{ clusterNames: ['y'] }, 'x', false],
    [{ exclude: ['x'] }, 'x', false],
    [{ clusterNames: ['x'], exclude: ['x'] }, 'x', false],
  ])('affinity %j matches %s: %s (selector.go#ClusterMatches)', (affinity, name, want) => {
    expect(affinityMatchesName(affinity, name)).toBe(want);
  });
});

describe('policyWarnings', () => {
  it('names every placement field that is not evaluated', () => {
    const p = policy({
      clusterAffinity: { labelSelector: { matchLabels: { env: 'prod' } } },
      spreadConstraints: [{ spreadByField: 'cluster', maxGroups: 2 }],
      replicaScheduling: {
        weightPreference: {
          staticWeightList: [{ targetCluster: { fieldSelector: { matchExpressions: [] } }, weight: 1 }],
        },
      },
    });
    expect(policyWarnings(p)).toEqual([
      'spec.placement.clusterAffinity.labelSelector is not evaluated: clusters are taken by name',
      'spec.placement.spreadConstraints is not evaluated: every named cluster is a candidate',
      'spec.placement.replicaScheduling.weightPreference.staticWeightList[0].targetCluster.fieldSelector is not evaluated: the rule matches no cluster',
    ]);
  });
  it('is empty for a name-only policy', () => {
    expect(policyWarnings(policy({ clusterAffinity: { clusterNames: ['a'] } }))).toEqual([]);
  });
});

describe('propagationPolicySchema', () => {
  it.each([
    [
      { replicaScheduling: { replicaSchedulingType: 'Split' } },
      'spec.placement.replicaScheduling.replicaSchedulingType',
    ],
    [
      { replicaScheduling: { weightPreference: { staticWeightList: [{ targetCluster: {}, weight: 0 }] } } },
      'spec.placement.replicaScheduling.weightPreference.staticWeightList.0.weight',
    ],
    [
      { replicaScheduling: { weightPreference: { dynamicWeight: 'CPU' } } },
      'spec.placement.replicaScheduling.weightPreference.dynamicWeight',
    ],
  ])('rejects %j at %s', (placement, path) => {
    const r = propagationPolicySchema.safeParse({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: { name: 'p' },
      spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }], placement },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual([path]);
  });

  it('requires at least one resource selector', () => {
    const r = propagationPolicySchema.safeParse({
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'PropagationPolicy',
      metadata: {},
      spec: { resourceSelectors: [] },
    });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['spec.resourceSelectors', 'must list at least one resource selector'],
    ]);
  });
});

describe('example policies', () => {
  const load = (file: string) =>
    propagationPolicySchema.parse(
      parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8')),
    );
  it.each([
    [
      'propagationpolicy-static-weight.yaml',
      9,
      [
        { name: 'member1', replicas: 6 },
        { name: 'member2', replicas: 3 },
      ],
    ],
    [
      'propagationpolicy-dynamic-weight.yaml',
      9,
      [
        { name: 'member1', replicas: 3 },
        { name: 'member2', replicas: 3 },
        { name: 'member3', replicas: 3 },
      ],
    ],
    [
      'propagationpolicy-duplicated.yaml',
      9,
      [
        { name: 'member1', replicas: 9 },
        { name: 'member2', replicas: 9 },
      ],
    ],
  ])('%s divides %i replicas as documented', (file, replicas, assignments) => {
    const p = load(file);
    const clusters = policyClusterNames(p);
    const scheduling = schedulingFromPolicy(p, clusters);
    expect(divideReplicas({ replicas, clusters: clusters.map((name) => ({ name })), scheduling })).toEqual({
      ok: true,
      assignments,
    });
  });
});
