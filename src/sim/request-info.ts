import type { Attributes } from './rbac.ts';

// What a request is about, read from its method and path the way the API server does before
// authorization (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go#NewRequestInfo): the verb, the
// group/version, namespace, resource, name and subresource. Faults, the request log and the scale-write
// counters match on it; 403 bodies are worded from it.

export interface RequestInfo {
  isResourceRequest: boolean;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace?: string;
  resource?: string;
  name?: string;
  subresource?: string;
}

const VERBS: Record<string, [collection: string, member: string]> = {
  GET: ['list', 'get'],
  HEAD: ['list', 'get'],
  POST: ['create', 'create'],
  PUT: ['update', 'update'],
  PATCH: ['patch', 'patch'],
  DELETE: ['deletecollection', 'delete'],
};

export function requestInfo(method: string, path: string, watch = false): RequestInfo {
  const parts = path.split('/').filter((p) => p !== '');
  const verbs = VERBS[method.toUpperCase()];
  let rest: string[];
  let apiGroup = '';
  let apiVersion = '';
  if (parts[0] === 'api' && parts.length >= 2) {
    apiVersion = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    apiGroup = parts[1] ?? '';
    apiVersion = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return { isResourceRequest: false, verb: method.toLowerCase(), apiGroup, apiVersion };
  }
  if (rest.length === 0 || verbs === undefined)
    return { isResourceRequest: false, verb: method.toLowerCase(), apiGroup, apiVersion };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    // A namespace is its own namespace (requestinfo.go: "if the resource is namespaces, ...").
    namespace = rest[1];
  }
  const [resource, name, subresource] = rest;
  const verb = watch ? 'watch' : name === undefined ? verbs[0] : verbs[1];
  return {
    isResourceRequest: true,
    verb,
    apiGroup,
    apiVersion,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(resource !== undefined ? { resource } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

/** Whether the request changes state (the writes a forced 409 applies to). */
export const isWrite = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method.toUpperCase());

/** The authorizer's attributes of a request (authorizer.AttributesRecord). */
export function attributesOf(info: RequestInfo, path: string): Attributes {
  if (!info.isResourceRequest) return { resourceRequest: false, verb: info.verb, path };
  return {
    resourceRequest: true,
    verb: info.verb,
    apiGroup: info.apiGroup,
    resource: info.resource ?? '',
    ...(info.subresource !== undefined ? { subresource: info.subresource } : {}),
    ...(info.namespace !== undefined ? { namespace: info.namespace } : {}),
    ...(info.name !== undefined ? { name: info.name } : {}),
  };
}

const PROXY = /^\/apis\/cluster\.karmada\.io\/v1alpha1\/clusters\/[^/]+\/proxy(\/.*)?$/;

/** The member path of a request through Karmada's cluster proxy (`/api/v1/pods`), or undefined. */
export function proxiedPath(path: string): string | undefined {
  const m = PROXY.exec(path);
  return m ? (m[1] ?? '/') : undefined;
}
