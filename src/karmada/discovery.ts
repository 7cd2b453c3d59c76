import { KarmadaStateError } from './errors.ts';
import { describeResource, type GroupVersionResource, groupVersionPath, parseApiVersion } from './paths.ts';
import type { RestClient } from './rest-client.ts';
import { type APIResourceList, apiResourceListSchema } from './schemas/discovery.ts';

// Kind → resource through API discovery, as Karmada's controller resolves scaleTargetRef with a RESTMapper
// (federatedhpa_controller.go#scaleForResourceMappings) and checks the `{resource}/scale` subresource, so
// custom resources with a scale subresource work like Deployments. One APIResourceList per group/version is
// cached for `ttlMs` (new CRDs appear after at most that long); failed lookups are not cached.

export const DEFAULT_DISCOVERY_TTL_MS = 5 * 60_000;

/** scaleTargetRef.apiVersion is optional in the CRD; for the built-in scalable kinds fhpa assumes the only
 * served version instead of failing (Karmada would fail to parse the empty group/version). */
const BUILT_IN_API_VERSION: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  ReplicationController: 'v1',
};

export class Discovery {
  readonly #cache = new Map<string, { at: number; list: Promise<APIResourceList> }>();

  constructor(
    private readonly client: RestClient,
    private readonly now: () => number,
    private readonly ttlMs = DEFAULT_DISCOVERY_TTL_MS,
  ) {}

  /** The resource serving `kind` in `apiVersion`; with `subresource`, also that it has it (e.g. scale). */
  async resourceFor(
    apiVersion: string | undefined,
    kind: string,
    subresource?: string,
  ): Promise<GroupVersionResource> {
    const gvString = apiVersion || BUILT_IN_API_VERSION[kind];
    if (!gvString) {
      throw new KarmadaStateError('FailedGetScale', `scaleTargetRef.apiVersion is required for kind ${kind}`);
    }
    const { group, version } = parseApiVersion(gvString);
    const list = await this.resources(group, version);
    const main = list.resources.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!main)
      throw new KarmadaStateError('FailedGetScale', `no resource of kind ${kind} is served at ${gvString}`);
    const gvr = { group, version, resource: main.name };
    if (subresource && !list.resources.some((r) => r.name === `${main.name}/${subresource}`)) {
      throw new KarmadaStateError(
        'FailedGetScale',
        `${describeResource(gvr)} has no ${subresource} subresource (kind ${kind} cannot be scaled)`,
      );
    }
    return gvr;
  }

  /** Whether a group/version is served at all (used to pick custom.metrics.k8s.io's version). */
  async resources(group: string, version: string): Promise<APIResourceList> {
    const key = `${group}/${version}`;
    const hit = this.#cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.list;
    const list = this.client.request({
      verb: 'get',
      path: groupVersionPath(group, version),
      resource: `discovery ${group === '' ? version : key}`,
      schema: apiResourceListSchema,
    });
    this.#cache.set(key, { at: this.now(), list });
    list.catch(() => {
      if (this.#cache.get(key)?.list === list) this.#cache.delete(key);
    });
    return list;
  }
}
