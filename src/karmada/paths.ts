// REST paths of the Kubernetes API (k8s.io/apiserver/pkg/endpoints/installer.go layout) and of Karmada's
// aggregated cluster proxy (karmada pkg/registry/cluster/storage/proxy.go: /clusters/{name}/proxy/{path}).

export interface GroupVersionResource {
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
}

export const CLUSTER_API = '/apis/cluster.karmada.io/v1alpha1';

const seg = (s: string) => encodeURIComponent(s);

/** `/api/v1` for the core group, `/apis/{group}/{version}` otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${seg(version)}` : `/apis/${seg(group)}/${seg(version)}`;
}

export function resourcePath(
  gvr: GroupVersionResource,
  at: { namespace?: string; name?: string; subresource?: string } = {},
): string {
  let p = groupVersionPath(gvr.group, gvr.version);
  if (at.namespace !== undefined) p += `/namespaces/${seg(at.namespace)}`;
  p += `/${seg(gvr.resource)}`;
  if (at.name !== undefined) p += `/${seg(at.name)}`;
  if (at.subresource !== undefined) p += `/${seg(at.subresource)}`;
  return p;
}

/** How errors name a resource: `apps/v1/deployments default/web/scale`. */
export function describeResource(
  gvr: GroupVersionResource,
  at: { namespace?: string; name?: string; subresource?: string; cluster?: string } = {},
): string {
  const gv = gvr.group === '' ? gvr.version : `${gvr.group}/${gvr.version}`;
  const object = [at.namespace, at.name, at.subresource].filter((s) => s !== undefined && s !== '').join('/');
  const where = at.cluster !== undefined ? ` in cluster ${at.cluster}` : '';
  return `${gv}/${gvr.resource}${object ? ` ${object}` : ''}${where}`;
}

/** A member cluster's API path reached through Karmada's cluster proxy. */
export function clusterProxyPath(cluster: string, memberPath: string): string {
  return `${CLUSTER_API}/clusters/${seg(cluster)}/proxy${memberPath}`;
}

/** `apps/v1` → {group: apps, version: v1}; `v1` → core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0]) return { group: '', version: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { group: parts[0], version: parts[1] };
  throw new Error(`invalid apiVersion ${JSON.stringify(apiVersion)}: want "group/version" or "version"`);
}
