import type { z } from 'zod';
import { fieldPath } from '../api/field-path.ts';
import type { FieldError } from './field-error.ts';

// zod issues → field errors with Kubernetes paths. These are the refusals the API server's CRD schema
// (structural OpenAPI validation) makes before any webhook sees the object: a missing required field
// is `Required value`, a value of the wrong JSON type is `Invalid value: "string": … in body must be of type …`.

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
  if (long !== undefined) return [{ field: fieldPath(issue.path), type: 'TooLong', detail: long }];
  // A union (quantity: string or number) reports its branches; the first branch's issue names the field.
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const value = valueAt(root, issue.path);
    return [
      {
        field: fieldPath(issue.path),
        type: 'Invalid',
        value: { json: value },
        detail: 'must be a Kubernetes quantity such as "500m", "1.5" or "64Mi"',
      },
    ];
  }
  const field = fieldPath(issue.path);
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
        detail: `${field} in body must be of type ${issue.expected === 'int' ? 'integer' : issue.expected}: "${actual}"`,
      },
    ];
  }
  if (issue.code === 'invalid_value') {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
    return [{ field, type: 'NotSupported', value: { json: value }, detail: `supported values: ${allowed}` }];
  }
  return [{ field, type: 'Invalid', value: { json: value }, detail: issue.message }];
}

export type Structure<T> =
  | { ok: true; value: T }
  /**
   * `rest`: the input with every bad value taken out (a number past its bound set to the bound), when that
   * parses, so the rules can check the remaining fields in the same pass; absent when a required field is bad.
   */
  | { ok: false; errors: FieldError[]; rest?: T };

/** Parses `input` with `schema`; on failure every issue becomes a field error, in zod's order, each once. */
export function parseStructure<S extends z.ZodType>(schema: S, input: unknown): Structure<z.infer<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const seen = new Set<string>();
  const errors = r.error.issues
    .flatMap((i) => issueToError(i, input))
    .filter((e) => {
      const key = `${e.field}\n${e.type}\n${e.detail ?? ''}`;
      return !seen.has(key) && Boolean(seen.add(key));
    });
  const repaired = withoutBadValues(input, r.error.issues);
  const again = repaired === undefined ? undefined : schema.safeParse(repaired);
  return again?.success ? { ok: false, errors, rest: again.data } : { ok: false, errors };
}

/**
 * A copy of `input` with each issue's value removed (a number clamped to the bound it broke, or cut to an
 * integer), for the rules to check the rest; undefined when nothing is left to check.
 */
function withoutBadValues(input: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  let copy: unknown;
  try {
    copy = structuredClone(input);
  } catch {
    return undefined; // too deep to copy: a hostile document gets its schema errors only
  }
  for (const issue of issues) {
    const key = issue.path.at(-1);
    if (key === undefined) return undefined; // the whole document is wrong
    const parent = valueAt(copy, issue.path.slice(0, -1));
    if (parent === null || typeof parent !== 'object') continue;
    const holder = parent as Record<PropertyKey, unknown>;
    const bound =
      issue.code === 'too_big' ? issue.maximum : issue.code === 'too_small' ? issue.minimum : undefined;
    if (typeof bound === 'number' && typeof holder[key] === 'number') {
      holder[key] = issue.code === 'too_big' ? Math.min(bound, holder[key]) : Math.max(bound, holder[key]);
    } else if (issue.code === 'invalid_type' && typeof holder[key] === 'number') {
      holder[key] = Math.trunc(holder[key]); // 1.5 where an integer belongs: check the rest as if 1
    } else if (Array.isArray(holder) && typeof key === 'number') holder[key] = undefined;
    else delete holder[key];
  }
  return copy;
}

/**
 * Rule errors about fields the schema did not already refuse (the schema's error says it better). A value the
 * schema refused was taken out, so a rule that then finds its object missing something (`Required value: must
 * set either a target raw value or a target utilization`) is an echo of that error, not news.
 */
export function besideSchemaErrors(
  rules: readonly FieldError[],
  schema: readonly FieldError[],
): FieldError[] {
  const under = (field: string, b: string) =>
    b === '' || field === b || field.startsWith(`${b}.`) || field.startsWith(`${b}[`);
  const parentOf = (field: string) => field.replace(/(\.[^.[]+|\[[^\]]*\])$/, '');
  return rules.filter(
    (e) =>
      !schema.some(
        (s) => under(e.field, s.field) || (e.type === 'Required' && under(e.field, parentOf(s.field))),
      ),
  );
}
