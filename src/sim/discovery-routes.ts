import type { Hono } from 'hono';
import { CONTROL_PLANE_PODS } from './control-plane-pods.ts';
import { json } from './http.ts';
import { pathNotFound } from './k8s-status.ts';
import { OBJECT_METRIC, POD_METRIC } from './metrics-routes.ts';
import { RESOURCE_TYPES, type ResourceType } from './resources.ts';

// Discovery documents (k8s.io/apiserver/pkg/endpoints/discovery): /api (APIVersions), /apis
// (APIGroupList), /apis/{group} (APIGroup) and /{api,apis/{group}}/{version} (APIResourceList with the
// subresources). Served as the legacy JSON documents; clients asking for aggregated discovery fall back
// to them when the Content-Type is plain application/json (client-go discovery_client.go).

interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
}

const CRUD_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];

function resourcesOf(t: ResourceType): APIResource[] {
  const main: APIResource = {
    name: t.resource,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: CRUD_VERBS,
    ...(t.shortNames ? { shortNames: t.shortNames } : {}),
  };
  const out = [main];
  if (t.status)
    out.push({
      name: `${t.resource}/status`,
      singularName: '',
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: SUB_VERBS,
    });
  if (t.scale)
    out.push({
      name: `${t.resource}/scale`,
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: SUB_VERBS,
    });
  if (t.resource === 'clusters')
    out.push({
      name: 'clusters/proxy',
      singularName: '',
      namespaced: false,
      kind: 'ClusterProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    });
  return out;
}

const metric = (name: string, kind: string, namespaced = true): APIResource => ({
  name,
  singularName: '',
  namespaced,
  kind,
  verbs: ['get'],
});

/** Group → version → resources, in the order /apis lists them; the first version is the preferred one. */
function catalogue(): Map<string, Map<string, APIResource[]>> {
  const groups = new Map<string, Map<string, APIResource[]>>();
  const add = (group: string, version: string, resources: APIResource[]) => {
    const versions = groups.get(group) ?? new Map<string, APIResource[]>();
    versions.set(version, [...(versions.get(version) ?? []), ...resources]);
    groups.set(group, versions);
  };
  for (const t of RESOURCE_TYPES) add(t.group, t.version, resourcesOf(t));
  add('', 'v1', [CONTROL_PLANE_PODS]);
  add('metrics.k8s.io', 'v1beta1', [metric('pods', 'PodMetrics'), metric('nodes', 'NodeMetrics', false)]);
  const custom = [
    metric(`pods/${POD_METRIC}`, 'MetricValueList'),
    metric(`services/${OBJECT_METRIC}`, 'MetricValueList'),
    metric(`deployments.apps/${OBJECT_METRIC}`, 'MetricValueList'),
  ];
  // karmada-metrics-adapter registers both versions; v1beta2 has the higher version priority.
  add('custom.metrics.k8s.io', 'v1beta2', custom);
  add('custom.metrics.k8s.io', 'v1beta1', custom);
  add('external.metrics.k8s.io', 'v1beta1', [metric('queue_messages_ready', 'ExternalMetricValueList')]);
  return groups;
}

const CATALOGUE = catalogue();

function apiGroup(name: string, versions: Map<string, APIResource[]>) {
  const list = [...versions.keys()].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: list, preferredVersion: list[0] };
}

function resourceList(groupVersion: string, resources: APIResource[]) {
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

export function mountDiscovery(app: Hono): void {
  app.get('/version', () =>
    json({
      major: '1',
      minor: '31',
      gitVersion: 'v1.31.3',
      platform: 'linux/amd64',
      goVersion: 'go1.23.4',
      compiler: 'gc',
    }),
  );
  app.get('/api', (c) =>
    json({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: new URL(c.req.url).host }],
    }),
  );
  app.get('/api/v1', () => json(resourceList('v1', CATALOGUE.get('')?.get('v1') ?? [])));
  app.get('/apis', () =>
    json({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...CATALOGUE].filter(([g]) => g !== '').map(([g, versions]) => apiGroup(g, versions)),
    }),
  );
  app.get('/apis/:group', (c) => {
    const versions = CATALOGUE.get(c.req.param('group'));
    if (!versions || c.req.param('group') === '') throw pathNotFound();
    return json(apiGroup(c.req.param('group'), versions));
  });
  app.get('/apis/:group/:version', (c) => {
    const { group, version } = c.req.param();
    const resources = CATALOGUE.get(group)?.get(version);
    if (!resources || group === '') throw pathNotFound();
    return json(resourceList(`${group}/${version}`, resources));
  });
}
