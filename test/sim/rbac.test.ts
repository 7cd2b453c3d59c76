import { describe, expect, it } from 'vitest';
import { impersonate } from '../../src/sim/authorization.ts';
import { StatusError } from '../../src/sim/k8s-status.ts';
import {
  impersonationRules,
  type PolicyRule,
  type RbacPolicy,
  type RbacSubject,
} from '../../src/sim/rbac.ts';

// The simulator's model of Karmada's unified auth: the member impersonator's rules (pkg/util/rbac.go
// GenerateImpersonationRules, cases ported from pkg/util/rbac_test.go TestGenerateImpersonationRules, fed as
// findRBACSubjectsWithCluster feeds it) and the member's impersonation check (apiserver filters/impersonation.go).

const proxyPolicy = (subjects: RbacSubject[], rule: Partial<PolicyRule> = {}): RbacPolicy => ({
  roles: new Map([
    ['proxy', [{ verbs: ['*'], apiGroups: ['cluster.karmada.io'], resources: ['clusters/proxy'], ...rule }]],
  ]),
  bindings: [{ roleRef: { kind: 'ClusterRole', name: 'proxy' }, subjects }],
});
const impersonateRule = (resource: string, resourceNames: string[]) => ({
  verbs: ['impersonate'],
  apiGroups: [''],
  resources: [resource],
  resourceNames,
});

describe('impersonationRules (GenerateImpersonationRules)', () => {
  it.each([
    ['empty', [], []],
    [
      'generate success',
      [
        { kind: 'User', name: 'user1' },
        { kind: 'User', name: 'user2' },
        { kind: 'ServiceAccount', name: 'sa1' },
        { kind: 'ServiceAccount', name: 'sa2' },
        { kind: 'Group', name: 'group1' },
        { kind: 'Group', name: 'group2' },
      ],
      [
        impersonateRule('users', ['user1', 'user2']),
        impersonateRule('serviceaccounts', ['sa1', 'sa2']),
        impersonateRule('groups', ['group1', 'group2']),
      ],
    ],
    [
      'generate and deduplicate subject success',
      [
        { kind: 'User', name: 'user1' },
        { kind: 'User', name: 'user1' },
        { kind: 'ServiceAccount', name: 'sa1' },
        { kind: 'ServiceAccount', name: 'sa1' },
        { kind: 'Group', name: 'group1' },
        { kind: 'Group', name: 'group1' },
      ],
      [
        impersonateRule('users', ['user1']),
        impersonateRule('serviceaccounts', ['sa1']),
        impersonateRule('groups', ['group1']),
      ],
    ],
  ] as [string, RbacSubject[], PolicyRule[]][])('%s', (_, subjects, want) => {
    expect(impersonationRules(proxyPolicy(subjects), 'member1')).toEqual(want);
  });

  it('only roles naming clusters/proxy of this cluster count (resourceNames), whatever their verbs', () => {
    const subjects = [{ kind: 'Group', name: 'g' }];
    expect(impersonationRules(proxyPolicy(subjects, { resourceNames: ['member2'] }), 'member1')).toEqual([]);
    expect(impersonationRules(proxyPolicy(subjects, { verbs: ['nothing'] }), 'member1')).toEqual([
      impersonateRule('groups', ['g']),
    ]);
    expect(impersonationRules(proxyPolicy(subjects, { resources: ['clusters'] }), 'member1')).toEqual([]);
  });
});

describe('impersonate (the member refuses unless every group may be impersonated)', () => {
  const impersonator = { name: 'system:serviceaccount:karmada-cluster:karmada-impersonator', groups: [] };
  const memberPolicy = (subjects: RbacSubject[]): RbacPolicy => ({
    roles: new Map([['imp', impersonationRules(proxyPolicy(subjects), 'm')]]),
    bindings: [
      {
        roleRef: { kind: 'ClusterRole', name: 'imp' },
        subjects: [{ kind: 'User', name: impersonator.name }],
      },
    ],
  });
  const fhpa = 'system:serviceaccount:karmada-system:fhpa';
  const groups = ['system:serviceaccounts', 'system:serviceaccounts:karmada-system'];

  it('acts as the user with its groups and system:authenticated', () => {
    const policy = memberPolicy([
      { kind: 'ServiceAccount', name: 'fhpa', namespace: 'karmada-system' },
      ...groups.map((name) => ({ kind: 'Group', name })),
    ]);
    expect(impersonate(policy, impersonator, { name: fhpa, groups })).toEqual({
      name: fhpa,
      groups: [...groups, 'system:authenticated'],
    });
  });

  it('refuses the first group it may not impersonate, worded as responsewriters.Forbidden', () => {
    const policy = memberPolicy([{ kind: 'ServiceAccount', name: 'fhpa', namespace: 'karmada-system' }]);
    const refused = impersonate(policy, impersonator, { name: fhpa, groups });
    expect(refused).toBeInstanceOf(StatusError);
    expect((refused as StatusError).message).toBe(
      'groups "system:serviceaccounts" is forbidden: User "system:serviceaccount:karmada-cluster:karmada-impersonator" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
  });

  it('refuses a service account it may not impersonate, in its namespace', () => {
    const refused = impersonate(memberPolicy([]), impersonator, { name: fhpa, groups: [] });
    expect((refused as StatusError).message).toBe(
      'serviceaccounts "fhpa" is forbidden: User "system:serviceaccount:karmada-cluster:karmada-impersonator" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "karmada-system"',
    );
  });
});
