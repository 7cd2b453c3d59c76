import type { KObject } from './object-store.ts';

// Kubernetes RBAC as data, for the simulated Karmada API server and its members: a rule matcher as
// plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows, with the verb, group, resource/subresource, name and
// non-resource URL matchers of pkg/apis/rbac/v1/evaluation_helpers.go), subject matching as
// rbac.go#appliesToUser, and Karmada's impersonation rules for members (pkg/util/rbac.go
// GenerateImpersonationRules, fed by pkg/controllers/unifiedauth findRBACSubjectsWithCluster).
// Simplification: only ClusterRoles and ClusterRoleBindings are evaluated (fhpa's grants are all
// cluster-wide); Roles, RoleBindings and aggregated ClusterRoles are not modelled.

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface RbacSubject {
  kind: 'User' | 'Group' | 'ServiceAccount' | string;
  name: string;
  namespace?: string;
}

export interface ClusterRoleBinding {
  roleRef: { kind: string; name: string };
  subjects?: RbacSubject[];
}

/** What is asked, as authorizer.Attributes: a resource request or a non-resource path. */
export type Attributes =
  | {
      resourceRequest: true;
      verb: string;
      apiGroup: string;
      resource: string;
      subresource?: string;
      namespace?: string;
      name?: string;
    }
  | { resourceRequest: false; verb: string; path: string };

/** The ClusterRoles (by name) and ClusterRoleBindings one API server holds. */
export interface RbacPolicy {
  roles: ReadonlyMap<string, PolicyRule[]>;
  bindings: readonly ClusterRoleBinding[];
}

export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
/** kube-apiserver's privileged group: authorized for everything before RBAC is asked (authorizerfactory). */
export const SYSTEM_MASTERS = 'system:masters';

const SA_PREFIX = 'system:serviceaccount:';

export const serviceAccountUser = (namespace: string, name: string) => `${SA_PREFIX}${namespace}:${name}`;

/** serviceaccount.MakeGroupNames plus the group every authenticated user has. */
export const serviceAccountGroups = (namespace: string) => [
  'system:serviceaccounts',
  `system:serviceaccounts:${namespace}`,
  ALL_AUTHENTICATED,
];

/** serviceaccount.SplitUsername: namespace and name of a service-account user name, if it is one. */
export function splitServiceAccount(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const parts = user.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

const has = (list: readonly string[] | undefined, value: string) =>
  !!list && (list.includes('*') || list.includes(value));

function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (subresource !== undefined && r === `*/${subresource}`),
  );
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
  );
}

/** rbac.go#RuleAllows. */
export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return nonResourceURLMatches(rule, a.path);
  if (!has(rule.apiGroups, a.apiGroup) || !resourceMatches(rule, a.resource, a.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

/** rbac.go#appliesToUser for ClusterRoleBinding subjects. */
export function appliesTo(user: UserInfo, s: RbacSubject): boolean {
  if (s.kind === 'User') return s.name === user.name;
  if (s.kind === 'Group') return user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount')
    return s.namespace !== undefined && user.name === serviceAccountUser(s.namespace, s.name);
  return false;
}

/** Whether `user` may do `a` under `policy` (system:masters always may). */
export function authorize(policy: RbacPolicy, user: UserInfo, a: Attributes): boolean {
  if (user.groups.includes(SYSTEM_MASTERS)) return true;
  return policy.bindings.some(
    (b) =>
      b.roleRef.kind === 'ClusterRole' &&
      (b.subjects ?? []).some((s) => appliesTo(user, s)) &&
      (policy.roles.get(b.roleRef.name) ?? []).some((r) => ruleAllows(r, a)),
  );
}

/** The ClusterRoles and ClusterRoleBindings among stored objects, as a policy. */
export function policyOf(roles: readonly KObject[], bindings: readonly KObject[]): RbacPolicy {
  return {
    roles: new Map(
      roles.map((r) => [r.metadata.name, ((r as { rules?: PolicyRule[] }).rules ?? []) as PolicyRule[]]),
    ),
    bindings: bindings as unknown as ClusterRoleBinding[],
  };
}

/**
 * The rules Karmada's unified-auth controller syncs to a member as ClusterRole karmada-impersonator: every
 * subject of a ClusterRoleBinding whose ClusterRole has a rule matching `clusters/proxy` of this cluster
 * (group, resource and resourceNames only: the verbs are not looked at) may be impersonated, users and
 * service accounts by name, groups by name. A subject's service-account namespace is dropped, as upstream.
 */
export function impersonationRules(policy: RbacPolicy, cluster: string): PolicyRule[] {
  const proxyRoles = new Set(
    [...policy.roles]
      .filter(([, rules]) =>
        rules.some(
          (r) =>
            has(r.apiGroups, 'cluster.karmada.io') &&
            has(r.resources, 'clusters/proxy') &&
            ((r.resourceNames ?? []).length === 0 || (r.resourceNames ?? []).includes(cluster)),
        ),
      )
      .map(([name]) => name),
  );
  const subjects = policy.bindings
    .filter((b) => b.roleRef.kind === 'ClusterRole' && proxyRoles.has(b.roleRef.name))
    .flatMap((b) => b.subjects ?? []);
  const names = (kind: string) =>
    [...new Set(subjects.filter((s) => s.kind === kind).map((s) => s.name))].sort();
  const rule = (resource: string, resourceNames: string[]): PolicyRule[] =>
    resourceNames.length === 0
      ? []
      : [{ verbs: ['impersonate'], apiGroups: [''], resources: [resource], resourceNames }];
  return [
    ...rule('users', names('User')),
    ...rule('serviceaccounts', names('ServiceAccount')),
    ...rule('groups', names('Group')),
  ];
}
