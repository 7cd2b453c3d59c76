import type { Hono } from 'hono';
import { collectionPath } from './crud-routes.ts';
import { json } from './http.ts';
import { pathNotFound } from './k8s-status.ts';
import { kindSchema, type OpenApiSchema, schemaName } from './openapi-schema.ts';
import { RESOURCE_TYPES, type ResourceType } from './resources.ts';

// OpenAPI v3 as the API server publishes it (k8s.io/kube-openapi handler3): /openapi/v3 lists one document per
// group-version with a content hash in its URL, and /openapi/v3/apis/{group}/{version} (or api/v1) holds the
// paths and schemas of that group-version. kubectl apply, create and replace read the PATCH operation of the
// object's kind there: with a `fieldValidation` query parameter, it sends fieldValidation=Strict and leaves the
// checking to the server (field-validation.ts) instead of validating against /openapi/v2, which the simulator
// does not serve (kubectl reads it only as protobuf). Operations carry only what clients read (the
// group-version-kind, the action, parameters, media types), not descriptions.

const gvKey = (t: ResourceType) => (t.group === '' ? `api/${t.version}` : `apis/${t.group}/${t.version}`);

const queryParam = (name: string) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
});

const ref = (t: ResourceType) => ({ $ref: `#/components/schemas/${schemaName(t)}` });

function operation(t: ResourceType, action: string, body?: string[], params: string[] = []) {
  return {
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
    parameters: params.map(queryParam),
    ...(body
      ? {
          requestBody: {
            content: Object.fromEntries(body.map((m) => [m, { schema: ref(t) }])),
            required: true,
          },
        }
      : {}),
    responses: { '200': { content: { 'application/json': { schema: ref(t) } } } },
  };
}

/** The server's URL template: `{namespace}` and `{name}` where the routes have `:namespace` and `:name`. */
const template = (path: string) => path.replace(/:(\w+)/g, '{$1}');

// Custom resources take merge and JSON patches only; built-in kinds strategic merge patches too (http.ts).
function patchTypes(t: ResourceType): string[] {
  const types = ['application/json-patch+json', 'application/merge-patch+json'];
  return t.unconditionalUpdate ? [...types, 'application/strategic-merge-patch+json'] : types;
}

function paths(t: ResourceType) {
  const writes = ['dryRun', 'fieldManager', 'fieldValidation'];
  const coll = template(collectionPath(t));
  const item = `${coll}/{name}`;
  const out: Record<string, Record<string, unknown>> = {
    [coll]: {
      get: operation(t, 'list', undefined, ['labelSelector', 'fieldSelector', 'limit', 'continue', 'watch']),
      post: operation(t, 'post', ['application/json'], writes),
    },
    [item]: {
      get: operation(t, 'get'),
      put: operation(t, 'put', ['application/json'], writes),
      patch: operation(t, 'patch', patchTypes(t), writes),
      delete: operation(t, 'delete', undefined, ['dryRun']),
    },
  };
  if (t.status)
    out[`${item}/status`] = {
      get: operation(t, 'get'),
      put: operation(t, 'put', ['application/json'], writes),
      patch: operation(t, 'patch', patchTypes(t), writes),
    };
  return out;
}

function documents(): Map<string, unknown> {
  const byGv = new Map<string, ResourceType[]>();
  for (const t of RESOURCE_TYPES) byGv.set(gvKey(t), [...(byGv.get(gvKey(t)) ?? []), t]);
  const docs = new Map<string, unknown>();
  for (const [gv, types] of byGv) {
    const schemas: Record<string, OpenApiSchema> = {};
    for (const t of types) schemas[schemaName(t)] = kindSchema(t);
    docs.set(gv, {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.31.3' },
      paths: Object.assign({}, ...types.map(paths)),
      components: { schemas },
    });
  }
  return docs;
}

/** A short, stable content hash for the document URLs (the API server uses SHA-512; any digest does for caching). */
function hash(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++)
    h = BigInt.asUintN(64, (h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return h.toString(16).toUpperCase().padStart(16, '0');
}

export function mountOpenApi(app: Hono): void {
  let built: { docs: Map<string, string>; root: unknown } | undefined;
  // Built on first request: most simulators (benchmarks, the pipeline's tests) are never asked.
  const get = () => {
    if (built) return built;
    const docs = new Map([...documents()].map(([gv, d]) => [gv, JSON.stringify(d)]));
    const root = {
      paths: Object.fromEntries(
        [...docs].map(([gv, text]) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash(text)}` }]),
      ),
    };
    built = { docs, root };
    return built;
  };
  app.get('/openapi/v3', () => json(get().root));
  const serve = (gv: string) => {
    const text = get().docs.get(gv);
    if (text === undefined) throw pathNotFound();
    return new Response(text, { headers: { 'content-type': 'application/json' } });
  };
  app.get('/openapi/v3/api/:version', (c) => serve(`api/${c.req.param('version')}`));
  app.get('/openapi/v3/apis/:group/:version', (c) =>
    serve(`apis/${c.req.param('group')}/${c.req.param('version')}`),
  );
}
