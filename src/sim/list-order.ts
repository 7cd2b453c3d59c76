import type { KObject } from './object-store.ts';

// The order a list returns objects in (etcd key order: namespace, then name), kept per kind so that paging
// through a large kind (the fleet benchmark's 100,000 FederatedHPAs, 500 a page) neither sorts nor copies the
// whole kind for every page. A kind's order is built when a list needs it and forgotten when an object of the
// kind is added or deleted; updates keep keys, so they keep the order.

/** The key a list is ordered by (ObjectStore.listKey); continue tokens carry it. */
export const listKeyOf = (obj: KObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

export interface Ordered {
  /** What the list is ordered by and continue tokens carry (listKeyOf). */
  listKey: string;
  /** Where the object is stored. */
  key: string;
}

const byListKey = (a: Ordered, b: Ordered) => (a.listKey < b.listKey ? -1 : a.listKey > b.listKey ? 1 : 0);

/** `entries` sorted into list order (the array is sorted in place and returned). */
export function inListOrder(entries: Ordered[]): Ordered[] {
  return entries.sort(byListKey);
}

/** Index of the first entry whose listKey sorts after `after` (0 without it), by binary search. */
export function firstAfter(order: readonly Ordered[], after: string | undefined): number {
  let from = 0;
  if (after === undefined) return from;
  let hi = order.length;
  while (from < hi) {
    const mid = (from + hi) >>> 1;
    if ((order[mid] as Ordered).listKey > after) hi = mid;
    else from = mid + 1;
  }
  return from;
}

/** Each kind's list order, cached until the kind's set of keys changes. */
export class ListOrders {
  readonly #byKind = new Map<string, Ordered[]>();

  of(kind: string, build: () => Ordered[]): Ordered[] {
    let order = this.#byKind.get(kind);
    if (!order) {
      order = inListOrder(build());
      this.#byKind.set(kind, order);
    }
    return order;
  }

  forget(kind: string): void {
    this.#byKind.delete(kind);
  }
}
