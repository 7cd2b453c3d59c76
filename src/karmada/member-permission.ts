import { isForbidden, KarmadaApiError, KarmadaStateError } from './errors.ts';

// A 403 on a read through Karmada's cluster proxy, turned into an error that names the grant that is missing.
// Three parties can refuse: the Karmada API server (get clusters/proxy), the member refusing Karmada's
// impersonation of fhpa's user or one of its groups (the proxy forwards every group but system:authenticated,
// pkg/util/proxy/proxy.go, and Karmada lets its impersonator impersonate only the subjects of ClusterRoleBindings
// whose role names clusters/proxy, pkg/util/rbac.go GenerateImpersonationRules: karmada issues 2075 and 5278),
// or the member's own RBAC for the impersonated identity. The API server's Forbidden message says which
// (responsewriters/errors.go forbiddenMessage), so it is parsed rather than guessed.
//
// Decision: a permission error is PERMANENT for the evaluation (retryable: false). Karmada's controller would
// skip the member and, with every member refused, report "all of clusters are not ready"; retrying cannot
// help until an operator changes RBAC, and the next sweep evaluates again anyway. It is not skipped either:
// deciding on the members fhpa may read would scale the federation on part of its pods.

/** The condition reason: Karmada's controller reports an unreadable member scale as FailedGetScale. */
export const PERMISSION_REASON = 'FailedGetScale';

export class MemberPermissionError extends KarmadaStateError {
  constructor(
    readonly cluster: string,
    /** What to grant, in a sentence. */
    readonly grant: string,
    readonly detail: string,
  ) {
    super(PERMISSION_REASON, `${grant} (${detail})`, true);
    this.name = 'MemberPermissionError';
  }
}

const FORBIDDEN =
  /^(?:\S+?)(?: "([^"]*)")? is forbidden: User "([^"]*)" cannot (\S+) resource "([^"]*)" in API group "([^"]*)"/;

const IMPERSONATION_SUBJECT: Record<string, string> = {
  groups: 'Group',
  users: 'User',
  serviceaccounts: 'ServiceAccount',
};

/** The permission error for a refused proxy read of `cluster`, or undefined when `err` is no 403. */
export function memberPermissionError(err: unknown, cluster: string): MemberPermissionError | undefined {
  if (!isForbidden(err) || !(err instanceof KarmadaApiError)) return undefined;
  const m = FORBIDDEN.exec(err.detail);
  const [, name = '', user = '', verb = '', resource = '', group = ''] = m ?? [];
  if (!m) {
    return new MemberPermissionError(
      cluster,
      `reading member cluster ${cluster} through Karmada's cluster proxy is forbidden`,
      err.message,
    );
  }
  if (verb === 'impersonate') {
    const kind = IMPERSONATION_SUBJECT[resource] ?? resource;
    return new MemberPermissionError(
      cluster,
      `member cluster ${cluster} refuses Karmada's impersonation of ${kind} "${name}": on the Karmada API server, ` +
        `bind ${kind} "${name}" to a ClusterRole that names clusters/proxy (infra/karmada/rbac.yaml, ` +
        'ClusterRoleBinding fhpa-proxy-groups), so that Karmada lets its impersonator impersonate it',
      err.message,
    );
  }
  if (group === 'cluster.karmada.io' && resource === 'clusters/proxy') {
    return new MemberPermissionError(
      cluster,
      `the Karmada API server does not grant ${user} "${verb}" on clusters/proxy (infra/karmada/rbac.yaml, ClusterRole fhpa)`,
      err.message,
    );
  }
  return new MemberPermissionError(
    cluster,
    `member cluster ${cluster} does not grant ${user} "${verb}" on ${resource} in API group "${group}": apply ` +
      'the fhpa-member ClusterRole and ClusterRoleBinding in every member (infra/karmada/README.md, "Member clusters")',
    err.message,
  );
}

/** Runs a read of a member through the proxy, turning a 403 into a MemberPermissionError. */
export async function asMember<T>(cluster: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw memberPermissionError(err, cluster) ?? err;
  }
}
