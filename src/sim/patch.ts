// The two patch formats the API server accepts on JSON objects: JSON Merge Patch (RFC 7386) and
// JSON Patch (RFC 6902, including `test`). Pure functions over plain JSON; the input is never mutated.
// A strategic merge patch is applied as a merge patch: the simulator's objects have no list merge keys
// that fhpa relies on (a deliberate simplification of apimachinery's strategicpatch).

import { z } from 'zod';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Structural equality of JSON values (RFC 6902 §4.6: objects compare by members, arrays by order). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** RFC 7386 §2 MergePatch: objects merge member by member, `null` removes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return structuredClone(patch as Json);
  const result: Record<string, Json> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

export type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: Json }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** Why a JSON patch could not be applied (the API server answers 422 for every such failure, `test` included). */
export class JsonPatchError extends Error {}

/** RFC 6901 pointer → reference tokens (`~1` → `/`, then `~0` → `~`). */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(arr: Json[], token: string, forInsert: boolean, pointer: string): number {
  if (forInsert && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`invalid array index in ${pointer}`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i === arr.length))
    throw new JsonPatchError(`array index out of bounds in ${pointer}`);
  return i;
}

function get(doc: Json, pointer: string): Json {
  let node: Json = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false, pointer)] as Json;
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token] as Json;
    else throw new JsonPatchError(`path ${pointer} does not exist`);
  }
  return node;
}

/** The container of the pointer's last token and that token; the container must exist (RFC 6902 §4.1). */
function parent(doc: Json, pointer: string): { container: Json; token: string } {
  const tokens = parsePointer(pointer);
  const token = tokens.pop();
  if (token === undefined) throw new JsonPatchError('the root cannot be the target here');
  const prefix = tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  const container = get(doc, prefix);
  if (!Array.isArray(container) && !isObject(container))
    throw new JsonPatchError(`parent of ${pointer} is not an object or array`);
  return { container, token };
}

function add(doc: Json, pointer: string, value: Json): Json {
  if (pointer === '') return value;
  const { container, token } = parent(doc, pointer);
  if (Array.isArray(container)) container.splice(arrayIndex(container, token, true, pointer), 0, value);
  else (container as Record<string, Json>)[token] = value;
  return doc;
}

function remove(doc: Json, pointer: string): Json {
  const { container, token } = parent(doc, pointer);
  if (Array.isArray(container)) container.splice(arrayIndex(container, token, false, pointer), 1);
  else {
    const obj = container as Record<string, Json>;
    if (!Object.hasOwn(obj, token)) throw new JsonPatchError(`path ${pointer} does not exist`);
    delete obj[token];
  }
  return doc;
}

/** RFC 6902 §4: apply the operations in order; any failure aborts the whole patch. */
export function applyJsonPatch(target: unknown, ops: readonly JsonPatchOp[]): Json {
  let doc = structuredClone(target as Json);
  for (const [i, op] of ops.entries()) {
    try {
      switch (op.op) {
        case 'add':
          doc = add(doc, op.path, structuredClone(op.value));
          break;
        case 'remove':
          doc = remove(doc, op.path);
          break;
        case 'replace':
          get(doc, op.path);
          doc =
            op.path === ''
              ? structuredClone(op.value)
              : add(remove(doc, op.path), op.path, structuredClone(op.value));
          break;
        case 'move': {
          if (op.path.startsWith(`${op.from}/`))
            throw new JsonPatchError('a value cannot be moved into one of its children');
          const value = get(doc, op.from);
          doc = add(remove(doc, op.from), op.path, value);
          break;
        }
        case 'copy':
          doc = add(doc, op.path, structuredClone(get(doc, op.from)));
          break;
        case 'test':
          if (!deepEqual(get(doc, op.path), op.value))
            throw new JsonPatchError(`testing value ${op.path} failed`);
          break;
      }
    } catch (e) {
      if (e instanceof JsonPatchError) throw new JsonPatchError(`op ${i} (${op.op}): ${e.message}`);
      throw e;
    }
  }
  return doc;
}

const pointer = z.string();
const jsonValue = z.custom<Json>((v) => v !== undefined, { message: 'value is required' });
/** An RFC 6902 document: an array of operations, each checked for the members its `op` needs. */
export const jsonPatchSchema = z.array(
  z.discriminatedUnion('op', [
    z.object({ op: z.enum(['add', 'replace', 'test']), path: pointer, value: jsonValue }),
    z.object({ op: z.literal('remove'), path: pointer }),
    z.object({ op: z.enum(['move', 'copy']), from: pointer, path: pointer }),
  ]),
);

/**
 * Applies a PATCH body of either format. A JSON patch whose document is malformed, or whose operations
 * fail (a `test` included), throws JsonPatchError; the API server answers those with 400 and 422.
 */
export function applyPatch(type: 'merge' | 'json', current: unknown, body: unknown): Json {
  if (type === 'merge') return applyMergePatch(current, body);
  const ops = jsonPatchSchema.safeParse(body);
  if (!ops.success) {
    const issue = ops.error.issues[0];
    throw new MalformedPatchError(
      `invalid JSON patch at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`,
    );
  }
  return applyJsonPatch(current, ops.data as JsonPatchOp[]);
}

/** The PATCH body is not a JSON patch document at all (400, not 422). */
export class MalformedPatchError extends Error {}
