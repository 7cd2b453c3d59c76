import type { Context } from 'hono';
import { badRequest, invalid } from './k8s-status.ts';
import { kindSchema, type OpenApiSchema } from './openapi-schema.ts';
import type { ResourceType } from './resources.ts';

// Server-side field validation (KEP-2885; apiserver handlers create.go/update.go/patch.go with
// `?fieldValidation=`): a field the kind's structural schema does not declare is dropped (apiextensions-apiserver
// prunes it), and reported as the client asked: Strict refuses the write (400, "strict decoding error: unknown
// field ..."), Warn (the default when unset) answers a Warning header per field, Ignore says nothing. kubectl 1.27+
// finds `fieldValidation` among the PATCH parameters of /openapi/v3 and then validates on the server instead of
// downloading schemas (openapi-routes.ts). Duplicate JSON keys, which Strict also reports, are not detected:
// the simulator's JSON parser keeps the last one silently.

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The request's directive; an unknown value is refused as apimachinery's ValidateFieldValidation does. */
export function fieldValidationOf(c: Context, optionsKind: string): FieldValidation {
  const v = c.req.query('fieldValidation');
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw invalid({ resource: '', group: 'meta.k8s.io', kind: optionsKind }, [
    {
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`,
      field: 'fieldValidation',
    },
  ]);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Removes undeclared fields from `value` in place; returns their paths (`spec.metrics[0].bogus`). */
function prune(schema: OpenApiSchema, value: unknown, path: string, found: string[]): void {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) for (const [i, v] of value.entries()) prune(items, v, `${path}[${i}]`, found);
    return;
  }
  if (!isRecord(value)) return;
  const props = schema.properties;
  const extra = schema.additionalProperties;
  for (const [key, v] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    const declared = props?.[key];
    if (declared) prune(declared, v, at, found);
    else if (isRecord(extra)) prune(extra, v, at, found);
    else if (props && !schema['x-kubernetes-preserve-unknown-fields']) {
      found.push(at);
      delete value[key];
    }
  }
}

/**
 * Applies field validation to a decoded body for kind `t`: the body without undeclared fields, and the Warning
 * header values to answer (empty unless Warn). Throws the Strict refusal.
 */
export function checkFields(
  t: ResourceType,
  body: unknown,
  mode: FieldValidation,
): { body: unknown; warnings: string[] } {
  if (!isRecord(body)) return { body, warnings: [] };
  const copy = structuredClone(body);
  const unknown: string[] = [];
  prune(kindSchema(t), copy, '', unknown);
  if (unknown.length === 0) return { body: copy, warnings: [] };
  const what = unknown.map((f) => `unknown field "${f}"`);
  if (mode === 'Strict')
    throw badRequest(
      `${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: strict decoding error: ${what.join(', ')}`,
    );
  return { body: copy, warnings: mode === 'Warn' ? what : [] };
}

/** Adds one RFC 7234 Warning header per message, as the API server's warning recorder does (code 299). */
export function withWarnings(res: Response, warnings: readonly string[]): Response {
  for (const w of warnings) res.headers.append('Warning', `299 - ${JSON.stringify(w)}`);
  return res;
}
