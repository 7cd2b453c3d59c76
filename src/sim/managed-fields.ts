import type { Context } from 'hono';
import { rfc3339 } from './clock.ts';
import type { KObject } from './object-store.ts';
import { deepEqual } from './patch.ts';

// metadata.managedFields as the API server's field manager keeps them for Update operations
// (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager): a write names its manager with ?fieldManager= or,
// without it, by its User-Agent up to the first '/' (handlers/rest.go#prefixFromUserAgent); the fields the
// write sets become that manager's entry (one per manager, operation and subresource) and leave every other
// entry, an entry left with no field being dropped.
// Simplified: a field counts when its value changed (the real manager also takes the fields an update merely
// repeats), lists are atomic (`f:containers: {}`, no `k:`/`i:` keys), and there is no server-side apply.

export interface Manager {
  name: string;
  subresource?: string;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldSet;
  subresource?: string;
}

type FieldSet = { [key: string]: FieldSet };

/** The manager a request names: its fieldManager, else its User-Agent's first segment (empty: none). */
export function managerOf(
  fieldManager: string | undefined,
  userAgent: string | undefined,
): string | undefined {
  if (fieldManager) return fieldManager;
  const prefix = (userAgent ?? '').split('/')[0]?.trim() ?? '';
  return prefix === '' ? undefined : prefix.slice(0, 128);
}

/** The manager of a write request, for the store (absent when the request names none). */
export function requestManager(c: Context, subresource?: string): Manager | undefined {
  const name = managerOf(c.req.query('fieldManager'), c.req.header('user-agent'));
  return name === undefined ? undefined : { name, ...(subresource ? { subresource } : {}) };
}

const SYSTEM_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
]);

/** Leaf paths whose value differs between `a` and `b` (objects recursed, anything else a leaf). */
function changedPaths(a: unknown, b: unknown, path: string[], out: string[][]): void {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in b)) continue; // a removed field is owned by no one
      changedPaths(a[k], b[k], [...path, k], out);
    }
    return;
  }
  if (isObj(b) && a === undefined) {
    for (const k of Object.keys(b)) changedPaths(undefined, b[k], [...path, k], out);
    if (Object.keys(b).length === 0) out.push(path);
    return;
  }
  if (!deepEqual(a, b)) out.push(path);
}

function fieldsOf(obj: KObject | undefined, subresource: string | undefined) {
  if (!obj) return {};
  const { metadata, status, apiVersion: _a, kind: _k, ...rest } = obj;
  const meta = Object.fromEntries(Object.entries(metadata).filter(([k]) => !SYSTEM_META.has(k)));
  return subresource === 'status' ? { status } : { metadata: meta, ...rest };
}

const add = (set: FieldSet, path: string[]) => {
  let at = set;
  for (const p of path) {
    const key = `f:${p}`;
    at[key] ??= {};
    at = at[key];
  }
};

/** Removes `path` and any field under it from `set`; prunes parents left empty. */
function remove(set: FieldSet, path: string[]): void {
  const [head, ...tail] = path;
  if (head === undefined) return;
  const key = `f:${head}`;
  const child = set[key];
  if (!child) return;
  if (tail.length === 0) delete set[key];
  else {
    remove(child, tail);
    if (Object.keys(child).length === 0) delete set[key];
  }
}

/**
 * `next` with its managedFields updated for a write by `manager` from `old` (undefined: a create). Scale writes
 * are recorded on the object with subresource `scale`, as the API server records them.
 */
export function withManagedFields(
  old: KObject | undefined,
  next: KObject,
  manager: Manager,
  now: number,
): KObject {
  const paths: string[][] = [];
  const sub = manager.subresource;
  changedPaths(fieldsOf(old, sub), fieldsOf(next, sub), [], paths);
  if (paths.length === 0) return next;
  const entries = structuredClone((old?.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? []);
  const same = (e: ManagedFieldsEntry) =>
    e.manager === manager.name && e.operation === 'Update' && e.subresource === sub;
  const mine: ManagedFieldsEntry = entries.find(same) ?? {
    manager: manager.name,
    operation: 'Update',
    apiVersion: next.apiVersion,
    time: '',
    fieldsType: 'FieldsV1',
    fieldsV1: {},
    ...(sub ? { subresource: sub } : {}),
  };
  for (const e of entries) if (!same(e)) for (const p of paths) remove(e.fieldsV1, p);
  for (const p of paths) add(mine.fieldsV1, p);
  mine.time = rfc3339(now);
  mine.apiVersion = next.apiVersion;
  const kept = entries.filter((e) => !same(e) && Object.keys(e.fieldsV1).length > 0);
  return { ...next, metadata: { ...next.metadata, managedFields: [...kept, mine] } };
}
