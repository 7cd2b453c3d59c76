import { badRequest } from './k8s-status.ts';
import {
  type FieldRequirement,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type Requirement,
} from './selectors.ts';

// List semantics shared by every collection the simulator serves (stored kinds, member pods, metrics):
// label and field selectors, then `limit` pages chained by an opaque `continue` token that, like the
// etcd3 store's (k8s.io/apiserver/pkg/storage/etcd3/store.go#encodeContinue), records the list's
// resourceVersion and the key to start after.

export interface ListQuery {
  labels: Requirement[];
  fields: FieldRequirement[];
  limit: number;
  /** The key to resume from (exclusive), decoded from `continue`. */
  after?: string;
  selected: boolean;
}

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

export function encodeContinue(resourceVersion: string, lastKey: string): string {
  const token: ContinueToken = {
    v: 'meta.k8s.io/v1',
    rv: Number(resourceVersion),
    start: `${lastKey}\u0000`,
  };
  return btoa(JSON.stringify(token)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeContinue(text: string): string {
  try {
    const padded = text.replace(/-/g, '+').replace(/_/g, '/');
    const token = JSON.parse(atob(padded)) as Partial<ContinueToken>;
    if (token.v !== 'meta.k8s.io/v1' || typeof token.start !== 'string' || !token.start.endsWith('\u0000'))
      throw new Error('bad token');
    return token.start.slice(0, -1);
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

/** Reads `labelSelector`, `fieldSelector`, `limit` and `continue` from a request's query. */
export function parseListQuery(query: (name: string) => string | undefined): ListQuery {
  const limitText = query('limit');
  let limit = 0;
  if (limitText !== undefined && limitText !== '') {
    if (!/^\d+$/.test(limitText))
      throw badRequest(`limit: invalid value "${limitText}": must be a non-negative integer`);
    limit = Number(limitText);
  }
  const labelText = query('labelSelector') ?? '';
  const fieldText = query('fieldSelector') ?? '';
  const cont = query('continue');
  return {
    labels: parseLabelSelector(labelText),
    fields: parseFieldSelector(fieldText),
    limit,
    ...(cont ? { after: decodeContinue(cont) } : {}),
    selected: labelText.trim() !== '' || fieldText.trim() !== '',
  };
}

export interface Page<T> {
  items: T[];
  continue?: string;
  remainingItemCount?: number;
}

/**
 * Filters `items` (already in key order) and cuts one page. remainingItemCount is only reported for
 * unfiltered lists, as upstream (it cannot be known cheaply with a selector).
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  labelsOf: (item: T) => Record<string, string> | undefined,
  q: ListQuery,
  resourceVersion: string,
): Page<T> {
  const matching = items.filter(
    (item) =>
      (q.after === undefined || keyOf(item) > q.after) &&
      matchesLabels(q.labels, labelsOf(item)) &&
      matchesFields(q.fields, item),
  );
  if (q.limit === 0 || matching.length <= q.limit) return { items: matching };
  const page = matching.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page,
    ...(last !== undefined ? { continue: encodeContinue(resourceVersion, keyOf(last)) } : {}),
    ...(q.selected ? {} : { remainingItemCount: matching.length - page.length }),
  };
}

/** A `{Kind}List` envelope. */
export function listBody<T>(kind: string, apiVersion: string, resourceVersion: string, page: Page<T>) {
  return {
    kind,
    apiVersion,
    metadata: {
      // The metrics APIs report no resourceVersion ("metadata": {}).
      ...(resourceVersion !== '' ? { resourceVersion } : {}),
      ...(page.continue !== undefined ? { continue: page.continue } : {}),
      ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
    },
    items: page.items,
  };
}
