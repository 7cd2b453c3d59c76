import { firstAfter, inListOrder, ListOrders, listKeyOf, type Ordered } from './list-order.ts';
import type { KObject } from './object-store.ts';
import { type ResourceType, storeKey } from './resources.ts';

// How the object store keeps what it stores: one table per kind, by key (`namespace/name`, or the name of a
// cluster-scoped kind), with a per-kind index of keys by metadata.namespace so that a namespaced list does not
// scan every namespace, and each kind's list order (list-order.ts), forgotten here whenever a key comes or
// goes. The store's rules for writes (object-store.ts) sit on top; nothing here copies an object.

export class ObjectTables {
  private readonly data = new Map<string, Map<string, KObject>>();
  /** Per kind: metadata.namespace → keys. */
  private readonly namespaces = new Map<string, Map<string | undefined, Set<string>>>();
  /** Per kind, the list order, so that a page of a large kind is cut without a sort. */
  private readonly order = new ListOrders();

  static key(t: ResourceType, namespace: string | undefined, name: string) {
    return t.namespaced ? `${namespace ?? ''}/${name}` : name;
  }

  get(t: ResourceType, key: string): KObject | undefined {
    return this.table(t).get(key);
  }

  /** Stores `obj` under `key`, keeping the namespace index and the list order in step with what is stored. */
  set(t: ResourceType, key: string, obj: KObject) {
    const table = this.table(t);
    const old = table.get(key);
    if (old && old.metadata.namespace !== obj.metadata.namespace) this.unindex(t, key, old);
    if (!old) this.order.forget(storeKey(t));
    table.set(key, obj);
    entry(this.nsIndex(t), obj.metadata.namespace, () => new Set<string>()).add(key);
  }

  delete(t: ResourceType, key: string) {
    const table = this.table(t);
    const old = table.get(key);
    if (!old) return;
    table.delete(key);
    this.order.forget(storeKey(t));
    this.unindex(t, key, old);
  }

  /** A kind's keys and objects, in one namespace or all (namespace undefined, or a cluster-scoped kind), unordered. */
  entries(t: ResourceType, namespace?: string): [string, KObject][] {
    const table = this.table(t);
    if (namespace === undefined || !t.namespaced) return [...table.entries()];
    const entries: [string, KObject][] = [];
    for (const key of this.nsIndex(t).get(namespace) ?? []) {
      const o = table.get(key);
      if (o) entries.push([key, o]);
    }
    return entries;
  }

  /** The stored objects (not copies) in list order, only those whose listKey sorts after `after`. */
  inListOrderAfter(t: ResourceType, namespace?: string, after?: string): Readonly<KObject>[] {
    const table = this.table(t);
    const ordered = ([key, o]: [string, KObject]): Ordered => ({ key, listKey: listKeyOf(o) });
    const order =
      namespace !== undefined && t.namespaced
        ? inListOrder(this.entries(t, namespace).map(ordered))
        : this.order.of(storeKey(t), () => [...table].map(ordered));
    const out: Readonly<KObject>[] = [];
    for (let i = firstAfter(order, after); i < order.length; i++) {
      const o = table.get((order[i] as Ordered).key);
      if (o) out.push(o);
    }
    return out;
  }

  private table(t: ResourceType) {
    return entry(this.data, storeKey(t), () => new Map<string, KObject>());
  }

  private nsIndex(t: ResourceType) {
    return entry(this.namespaces, storeKey(t), () => new Map<string | undefined, Set<string>>());
  }

  private unindex(t: ResourceType, key: string, obj: KObject) {
    const index = this.nsIndex(t);
    const keys = index.get(obj.metadata.namespace);
    keys?.delete(key);
    if (keys?.size === 0) index.delete(obj.metadata.namespace);
  }
}

/** The value at `key`, created (and stored) first if there is none. */
function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
