import type { MiddlewareHandler } from 'hono';
import { constantTimeEqual } from '../app/auth.ts';
import { statusResponse } from './http.ts';
import { forbiddenRequest, StatusError, unauthorized } from './k8s-status.ts';
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  type Attributes,
  authorize,
  impersonationRules,
  type PolicyRule,
  policyOf,
  type RbacPolicy,
  SYSTEM_MASTERS,
  serviceAccountGroups,
  serviceAccountUser,
  splitServiceAccount,
  type UserInfo,
} from './rbac.ts';
import { attributesOf, proxiedPath, type RequestInfo, requestInfo } from './request-info.ts';
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, CLUSTERS } from './resources.ts';
import type { SimState } from './state.ts';

// Who is asking and whether they may, on the Karmada API server and, through its cluster proxy, in the
// member. Authentication: bearer tokens mapped to users and groups (the token authenticator). Authorization
// (SimulatorOptions.authorization): 'AlwaysAllow' by default, so tests that do not care about RBAC need no
// roles; 'RBAC' evaluates the ClusterRoles and ClusterRoleBindings stored on the simulated Karmada API
// server, and for `clusters/{name}/proxy` does what Karmada's proxy and the member's API server do
// (pkg/util/proxy/proxy.go newProxyHandler; k8s.io/apiserver/pkg/endpoints/filters/impersonation.go):
// the proxy calls the member as Karmada's impersonator with Impersonate-User = the caller and one
// Impersonate-Group per caller group except system:authenticated/unauthenticated (SkipGroup); the member
// refuses unless the impersonator may impersonate that user and EVERY group, then authorizes the request as
// the impersonated identity against the member's own RBAC. The impersonator's role in each member is what
// Karmada's unified-auth controller derives from the Karmada-side bindings (rbac.ts impersonationRules),
// evaluated on every request: the simulator's controller converges instantly.

export type AuthorizationMode = 'AlwaysAllow' | 'RBAC';

/** The simulator's own token: cluster admin, as karmada-apiserver.config's system:admin. */
export const ADMIN: UserInfo = { name: 'system:admin', groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED] };

/** The service account `karmadactl join` creates in a member for the proxy (karmada-cluster namespace). */
export const MEMBER_IMPERSONATOR: UserInfo = {
  name: serviceAccountUser('karmada-cluster', 'karmada-impersonator'),
  groups: serviceAccountGroups('karmada-cluster'),
};

/** Bearer tokens and who they are; compared in constant time. */
export class Authenticator {
  private readonly tokens: Array<[string, UserInfo]> = [];

  add(token: string, user: UserInfo): void {
    this.tokens.push([token, { name: user.name, groups: [...user.groups] }]);
  }

  /** The user of an `Authorization: Bearer` header, or undefined. Every token is compared (no early exit). */
  authenticate(header: string | undefined): UserInfo | undefined {
    const value = header ?? '';
    const token = value.startsWith('Bearer ') ? value.slice('Bearer '.length).trim() : '';
    if (token === '') return undefined;
    let found: UserInfo | undefined;
    for (const [t, user] of this.tokens) if (constantTimeEqual(token, t) && !found) found = user;
    return found;
  }
}

/** The bootstrap policy every member has (bootstrappolicy: system:discovery for all authenticated users). */
const MEMBER_BOOTSTRAP: RbacPolicy = {
  roles: new Map<string, PolicyRule[]>([
    [
      'system:discovery',
      [
        {
          verbs: ['get'],
          nonResourceURLs: [
            '/api',
            '/api/*',
            '/apis',
            '/apis/*',
            '/healthz',
            '/openapi',
            '/openapi/*',
            '/version',
          ],
        },
      ],
    ],
  ]),
  bindings: [
    {
      roleRef: { kind: 'ClusterRole', name: 'system:discovery' },
      subjects: [{ kind: 'Group', name: ALL_AUTHENTICATED }],
    },
  ],
};

export function karmadaPolicy(state: SimState): RbacPolicy {
  return policyOf(state.store.list(CLUSTER_ROLES), state.store.list(CLUSTER_ROLE_BINDINGS));
}

/** A member's RBAC: bootstrap, Karmada's impersonator role for this cluster, and what was applied there. */
export function memberPolicy(state: SimState, cluster: string, karmada = karmadaPolicy(state)): RbacPolicy {
  const applied = state.memberRbac(cluster);
  const own = policyOf(
    applied.filter((o) => o.kind === 'ClusterRole'),
    applied.filter((o) => o.kind === 'ClusterRoleBinding'),
  );
  const impersonator = serviceAccountUser('karmada-cluster', 'karmada-impersonator');
  return {
    roles: new Map([
      ...MEMBER_BOOTSTRAP.roles,
      ['karmada-impersonator', impersonationRules(karmada, cluster)],
      ...own.roles,
    ]),
    bindings: [
      ...MEMBER_BOOTSTRAP.bindings,
      {
        roleRef: { kind: 'ClusterRole', name: 'karmada-impersonator' },
        subjects: [{ kind: 'User', name: impersonator }],
      },
      ...own.bindings,
    ],
  };
}

/**
 * impersonation.go WithImpersonation for the headers Karmada's proxy sends: the identity the member acts as,
 * or the 403 it answers. Groups: as sent, plus system:authenticated (a service account sent without groups
 * gets its fixed ones, as upstream).
 */
export function impersonate(
  policy: RbacPolicy,
  impersonator: UserInfo,
  target: { name: string; groups: string[] },
): UserInfo | StatusError {
  const sa = splitServiceAccount(target.name);
  const userAttrs: Attributes = sa
    ? {
        resourceRequest: true,
        verb: 'impersonate',
        apiGroup: '',
        resource: 'serviceaccounts',
        namespace: sa.namespace,
        name: sa.name,
      }
    : { resourceRequest: true, verb: 'impersonate', apiGroup: '', resource: 'users', name: target.name };
  const checks: Attributes[] = [
    userAttrs,
    ...target.groups.map(
      (g): Attributes => ({
        resourceRequest: true,
        verb: 'impersonate',
        apiGroup: '',
        resource: 'groups',
        name: g,
      }),
    ),
  ];
  for (const a of checks)
    if (!authorize(policy, impersonator, a)) return forbiddenRequest(a, impersonator.name);
  let groups = target.groups.length === 0 && sa ? serviceAccountGroups(sa.namespace) : [...target.groups];
  if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED))
    groups = [...groups, ALL_AUTHENTICATED];
  return { name: target.name, groups };
}

/** For a request through `clusters/{name}/proxy` to a Ready member: the member's refusal, if it refuses. */
function memberRefusal(state: SimState, info: RequestInfo, user: UserInfo, method: string, path: string) {
  const cluster = info.name ?? '';
  if (!state.store.peek(CLUSTERS, undefined, cluster) || !state.isClusterReady(cluster)) return undefined;
  const karmada = karmadaPolicy(state);
  const policy = memberPolicy(state, cluster, karmada);
  // newProxyHandler: Impersonate-User = the caller, Impersonate-Group per group but the skipped ones.
  const groups = user.groups.filter((g) => g !== ALL_AUTHENTICATED && g !== ALL_UNAUTHENTICATED);
  const actingAs = impersonate(policy, MEMBER_IMPERSONATOR, { name: user.name, groups });
  if (actingAs instanceof StatusError) return actingAs;
  const inner = proxiedPath(path) ?? '/';
  const attrs = attributesOf(requestInfo(method, inner), inner);
  return authorize(policy, actingAs, attrs) ? undefined : forbiddenRequest(attrs, actingAs.name);
}

/**
 * Authentication, then (in RBAC mode) authorization on the Karmada API server and, for the cluster proxy,
 * in the member. An open simulator treats a request without a valid token as the admin (kubectl does not
 * send tokens over plain HTTP).
 */
export function authMiddleware(state: SimState): MiddlewareHandler {
  return async (c, next) => {
    const user =
      state.authenticator.authenticate(c.req.header('authorization')) ?? (state.open ? ADMIN : undefined);
    if (!user) return statusResponse(unauthorized());
    if (state.authorization !== 'RBAC') return next();
    const info = requestInfo(c.req.method, c.req.path);
    const attrs = attributesOf(info, c.req.path);
    if (!authorize(karmadaPolicy(state), user, attrs))
      return statusResponse(forbiddenRequest(attrs, user.name));
    if (
      info.apiGroup === 'cluster.karmada.io' &&
      info.resource === 'clusters' &&
      info.subresource === 'proxy'
    ) {
      const refusal = memberRefusal(state, info, user, c.req.method, c.req.path);
      if (refusal) return statusResponse(refusal);
    }
    return next();
  };
}
