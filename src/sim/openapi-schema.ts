import { z } from 'zod';
import type { ResourceType } from './resources.ts';
import { COMPLETE_SCHEMAS, KIND_SCHEMAS } from './validation.ts';

// Each stored kind's OpenAPI v3 schema, generated from the zod schema the simulator validates writes with
// (validation.ts; for FederatedHPA and CronFederatedHPA the shared src/api schemas), never written twice.
// zod's JSON Schema is turned into the structural-schema dialect of apiextensions-apiserver: a z.object is a
// closed object (unknown fields are pruned, or refused under fieldValidation=Strict), a z.looseObject and
// every kind whose schema is partial keeps unknown fields (x-kubernetes-preserve-unknown-fields), as Karmada's
// CRDs and the built-in kinds (decoded into Go structs, which ignore nothing they know) would.

export type OpenApiSchema = {
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema | boolean;
  required?: string[];
  enum?: unknown[];
  anyOf?: OpenApiSchema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [key: string]: unknown;
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON Schema 2020-12 (zod's) → OpenAPI 3.0 schema, closing or opening objects as the kind's model allows. */
function toOpenApi(node: unknown, open: boolean): OpenApiSchema {
  if (!isRecord(node)) return {};
  const out: OpenApiSchema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === 'propertyNames') continue;
    if (k === 'const') out.enum = [v];
    else if (k === 'properties' && isRecord(v))
      out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toOpenApi(s, open)]));
    else if (k === 'items') out.items = toOpenApi(v, open);
    else if (k === 'anyOf' && Array.isArray(v)) out.anyOf = v.map((s) => toOpenApi(s, open));
    else if (k === 'additionalProperties') {
      // `{}` is zod's looseObject (and z.record(z.unknown())): any field, kept.
      if (isRecord(v) && Object.keys(v).length === 0) out['x-kubernetes-preserve-unknown-fields'] = true;
      else if (isRecord(v)) out.additionalProperties = toOpenApi(v, open);
    } else out[k] = v;
  }
  if (open && out.type === 'object') out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

const cache = new Map<ResourceType, OpenApiSchema>();

/** The kind's schema, with the group-version-kind extension kubectl and the API server key schemas by. */
export function kindSchema(t: ResourceType): OpenApiSchema {
  const hit = cache.get(t);
  if (hit) return hit;
  const zod = KIND_SCHEMAS.get(t);
  const base: OpenApiSchema = zod
    ? toOpenApi(z.toJSONSchema(zod, { io: 'input', unrepresentable: 'any' }), !COMPLETE_SCHEMAS.has(t))
    : {
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
        'x-kubernetes-preserve-unknown-fields': true,
      };
  // ObjectMeta is the API server's, validated apart from the kind's schema and never pruned (a CRD's schema
  // says only `metadata: {type: object}`): fields the zod schema does not read (finalizers, ownerReferences,
  // managedFields) are kept, whatever that schema declares.
  const metadata = base.properties?.metadata;
  if (base.properties && metadata)
    base.properties.metadata = { ...metadata, 'x-kubernetes-preserve-unknown-fields': true };
  const schema: OpenApiSchema = {
    ...base,
    'x-kubernetes-group-version-kind': [{ group: t.group, version: t.version, kind: t.kind }],
  };
  cache.set(t, schema);
  return schema;
}

/** `io.karmada.autoscaling.v1alpha1.FederatedHPA`, `io.k8s.api.apps.v1.Deployment`: how the documents name it. */
export function schemaName(t: ResourceType): string {
  if (t.group.endsWith('karmada.io')) return `io.karmada.${t.group.split('.')[0]}.${t.version}.${t.kind}`;
  const group = t.group === '' ? 'core' : t.group.split('.')[0];
  return `io.k8s.api.${group}.${t.version}.${t.kind}`;
}
