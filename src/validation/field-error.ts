// Field errors as k8s.io/apimachinery/pkg/util/validation/field renders them (errors.go#ErrorBody), so a
// refusal from fhpa reads exactly like one from Karmada's webhook, which returns
// `admission.Denied(errs.ToAggregate().Error())`.

export type FieldErrorType =
  | 'Required'
  | 'Invalid'
  | 'NotSupported'
  | 'Forbidden'
  | 'Duplicate'
  | 'TooLong'
  | 'TypeInvalid';

/**
 * One field error. `value` is the bad value as Go would hold it: a plain number or boolean renders
 * bare, a plain string renders quoted, and anything else (Go pointers, named string types, quantities)
 * renders JSON-encoded; wrap it with `jsonValue` to say so.
 */
export interface FieldError {
  field: string;
  type: FieldErrorType;
  value?: unknown;
  detail?: string;
}

/** A bad value that Go renders with json.Marshal (pointers, named string types, quantities). */
export interface JsonValue {
  json: unknown;
}

export const jsonValue = (json: unknown): JsonValue => ({ json });

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  Duplicate: 'Duplicate value',
  TooLong: 'Too long',
  TypeInvalid: 'Invalid value',
};

export const required = (field: string, detail = ''): FieldError => ({ field, type: 'Required', detail });
export const forbidden = (field: string, detail: string): FieldError => ({
  field,
  type: 'Forbidden',
  detail,
});
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  field,
  type: 'Invalid',
  value,
  detail,
});
export const duplicate = (field: string, value: unknown): FieldError => ({ field, type: 'Duplicate', value });

/** field.NotSupported: `supported values: "A", "B"` (callers pass the values in Karmada's order, sorted). */
export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  field,
  type: 'NotSupported',
  value,
  detail:
    supported.length > 0 ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '',
});

function isJsonValue(v: unknown): v is JsonValue {
  return typeof v === 'object' && v !== null && Object.keys(v).length === 1 && 'json' in v;
}

function renderValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  // Go's %q; JSON quoting agrees for the printable ASCII that names and schedules are made of.
  return quoteBounded(isJsonValue(value) ? value.json : value);
}

/** Longest quoted value in a message: the value is there to recognise, not to be echoed back in full. */
const MAX_RENDERED_VALUE = 1024;

/**
 * JSON text of a value for a message, cut at MAX_RENDERED_VALUE. A value too deeply nested to stringify (an
 * offline `fhpa validate` of a hostile file never passes the webhook's depth check) is named, not thrown.
 */
function quoteBounded(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'null' : (JSON.stringify(value) ?? 'null');
  } catch {
    return '<value too deeply nested to show>';
  }
  return text.length > MAX_RENDERED_VALUE ? `${text.slice(0, MAX_RENDERED_VALUE)}...` : text;
}

/** The message after the field path: what `field + ": " + message` needs to equal Error(). */
export function errorMessage(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  // Required, Forbidden, TooLong never print the value (ErrorBody's first case).
  if (e.type !== 'Required' && e.type !== 'Forbidden' && e.type !== 'TooLong')
    s += `: ${renderValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(): `spec.maxReplicas: Invalid value: 0: must be greater than 0`. */
export function renderError(e: FieldError): string {
  return `${e.field}: ${errorMessage(e)}`;
}

/**
 * ErrorList.ToAggregate().Error(): one error alone, several as `[e1, e2]` in order, identical texts
 * kept once (utilerrors aggregate.Error). Empty for no errors.
 */
export function renderAggregate(errors: readonly FieldError[]): string {
  if (errors.length === 0) return '';
  const seen = [...new Set(errors.map(renderError))];
  if (errors.length === 1 || seen.length === 1) return seen[0] ?? '';
  return `[${seen.join(', ')}]`;
}

/** The JSON form `fhpa validate -o json` prints: `field + ": " + message` is Karmada's string. */
export function toJsonError(e: FieldError): { field: string; message: string } {
  return { field: e.field, message: errorMessage(e) };
}

/** Field paths built the way field.Path.Child/Index print them. */
export const child = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);
export const index = (path: string, i: number): string => `${path}[${i}]`;
