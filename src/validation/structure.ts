import type { z } from 'zod';
import type { FieldError } from './field-error.ts';

// zod issues → field errors with Kubernetes paths. These are the refusals the API server's CRD schema
// (structural OpenAPI validation) makes before any webhook sees the object: a missing required field
// is `Required value`, a value of the wrong JSON type is `Invalid value: "string": … in body must be of type …`.

function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s === '' ? String(p) : `.${String(p)}`;
  }
  return s;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** A string over its cap (src/api/bounded-text.ts), wherever zod reports it: `Too long: …`, value not echoed. */
function tooLong(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'too_big' && issue.origin === 'string') return issue.message;
  // A record key over its cap, and the string branch of a union (a quantity), report it one level down.
  const inner =
    issue.code === 'invalid_key' ? issue.issues : issue.code === 'invalid_union' ? issue.errors[0] : [];
  for (const i of inner ?? []) {
    const found = tooLong(i);
    if (found !== undefined) return found;
  }
  return undefined;
}

function issueToError(issue: z.core.$ZodIssue, root: unknown): FieldError[] {
  const long = tooLong(issue);
  if (long !== undefined) return [{ field: pathText(issue.path), type: 'TooLong', detail: long }];
  // A union (quantity: string or number) reports its branches; the first branch's issue names the field.
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const value = valueAt(root, issue.path);
    return [
      {
        field: pathText(issue.path),
        type: 'Invalid',
        value: { json: value },
        detail: 'must be a Kubernetes quantity such as "500m", "1.5" or "64Mi"',
      },
    ];
  }
  const field = pathText(issue.path);
  const value = valueAt(root, issue.path);
  if (value === undefined && issue.code === 'invalid_type') return [{ field, type: 'Required', detail: '' }];
  if (issue.code === 'invalid_type') {
    // The API server's wording: `spec.maxReplicas: Invalid value: "string": spec.maxReplicas in body must be of type integer: "string"`.
    const actual = jsonType(value);
    return [
      {
        field,
        type: 'Invalid',
        value: actual,
        detail: `${field} in body must be of type ${issue.expected}: "${actual}"`,
      },
    ];
  }
  if (issue.code === 'invalid_value') {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
    return [{ field, type: 'NotSupported', value: { json: value }, detail: `supported values: ${allowed}` }];
  }
  return [{ field, type: 'Invalid', value: { json: value }, detail: issue.message }];
}

/** Parses `input` with `schema`; on failure every issue becomes a field error, in zod's order. */
export function parseStructure<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; value: z.infer<S> } | { ok: false; errors: FieldError[] } {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: r.error.issues.flatMap((i) => issueToError(i, input)) };
}
