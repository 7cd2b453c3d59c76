// The object kinds the simulated Karmada API server stores, as data: discovery documents, the
// generic REST routes and the store all read this one table. Metrics APIs are served separately
// (metrics-routes.ts) because they are computed on read, not stored.

export interface ResourceType {
  /** API group; '' for the core group served under /api/v1. */
  group: string;
  version: string;
  /** Plural resource name as it appears in URLs. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  /** Whether writes to the main resource ignore `.status` and /status writes only change `.status`. */
  status: boolean;
  /** Whether a /scale subresource (autoscaling/v1 Scale) is served. */
  scale: boolean;
  /**
   * Whether PUT without metadata.resourceVersion is allowed: true for built-in kinds, false for custom
   * resources (apiextensions-apiserver customresource/strategy.go#AllowUnconditionalUpdate).
   */
  unconditionalUpdate: boolean;
  shortNames?: string[];
  categories?: string[];
}

export const apiVersionOf = (t: ResourceType) => (t.group ? `${t.group}/${t.version}` : t.version);
export const storeKey = (t: ResourceType) => `${t.group}/${t.resource}`;

const builtIn = { unconditionalUpdate: true, scale: false, status: false } as const;
const custom = { unconditionalUpdate: false, scale: false, status: true } as const;

export const NAMESPACES: ResourceType = {
  ...builtIn,
  group: '',
  version: 'v1',
  resource: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
};
export const EVENTS: ResourceType = {
  ...builtIn,
  group: '',
  version: 'v1',
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
};
export const DEPLOYMENTS: ResourceType = {
  ...builtIn,
  status: true,
  scale: true,
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  singular: 'deployment',
  kind: 'Deployment',
  namespaced: true,
  shortNames: ['deploy'],
};
export const STATEFULSETS: ResourceType = {
  ...DEPLOYMENTS,
  resource: 'statefulsets',
  singular: 'statefulset',
  kind: 'StatefulSet',
  shortNames: ['sts'],
};
export const FEDERATED_HPAS: ResourceType = {
  ...custom,
  group: 'autoscaling.karmada.io',
  version: 'v1alpha1',
  resource: 'federatedhpas',
  singular: 'federatedhpa',
  kind: 'FederatedHPA',
  namespaced: true,
  shortNames: ['fhpa'],
};
export const CRON_FEDERATED_HPAS: ResourceType = {
  ...FEDERATED_HPAS,
  resource: 'cronfederatedhpas',
  singular: 'cronfederatedhpa',
  kind: 'CronFederatedHPA',
  shortNames: ['cronfhpa'],
};
export const PROPAGATION_POLICIES: ResourceType = {
  ...custom,
  status: false,
  group: 'policy.karmada.io',
  version: 'v1alpha1',
  resource: 'propagationpolicies',
  singular: 'propagationpolicy',
  kind: 'PropagationPolicy',
  namespaced: true,
  shortNames: ['pp'],
};
export const RESOURCE_BINDINGS: ResourceType = {
  ...custom,
  group: 'work.karmada.io',
  version: 'v1alpha2',
  resource: 'resourcebindings',
  singular: 'resourcebinding',
  kind: 'ResourceBinding',
  namespaced: true,
  shortNames: ['rb'],
};
export const CLUSTERS: ResourceType = {
  ...custom,
  group: 'cluster.karmada.io',
  version: 'v1alpha1',
  resource: 'clusters',
  singular: 'cluster',
  kind: 'Cluster',
  namespaced: false,
};

export const SERVICE_ACCOUNTS: ResourceType = {
  ...builtIn,
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  kind: 'ServiceAccount',
  namespaced: true,
  shortNames: ['sa'],
};
export const CLUSTER_ROLES: ResourceType = {
  ...builtIn,
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'clusterroles',
  singular: 'clusterrole',
  kind: 'ClusterRole',
  namespaced: false,
};
export const CLUSTER_ROLE_BINDINGS: ResourceType = {
  ...CLUSTER_ROLES,
  resource: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  kind: 'ClusterRoleBinding',
};

/** Every stored kind, in the order discovery lists them. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  NAMESPACES,
  EVENTS,
  SERVICE_ACCOUNTS,
  DEPLOYMENTS,
  STATEFULSETS,
  FEDERATED_HPAS,
  CRON_FEDERATED_HPAS,
  PROPAGATION_POLICIES,
  RESOURCE_BINDINGS,
  CLUSTERS,
  CLUSTER_ROLES,
  CLUSTER_ROLE_BINDINGS,
];

/** The workload kinds whose replicas are divided across member clusters. */
export const WORKLOAD_TYPES: readonly ResourceType[] = [DEPLOYMENTS, STATEFULSETS];
