import { rfc3339 } from './clock.ts';
import { alreadyExists, conflict, invalid, notFound, type StatusCause } from './k8s-status.ts';
import { listKeyOf } from './list-order.ts';
import { type Manager, withManagedFields } from './managed-fields.ts';
import { ObjectTables } from './object-tables.ts';
import { deepEqual } from './patch.ts';
import { type ResourceType, storeKey } from './resources.ts';
import { type StoreEvent, StoreEvents } from './store-events.ts';

// The simulator's etcd: objects by kind, namespace and name, with the optimistic concurrency of the
// generic registry (k8s.io/apiserver/pkg/registry/generic/registry/store.go): one global, increasing
// resourceVersion stamped on every write, 409 Conflict on a stale one, no-op writes that change nothing
// (GuaranteedUpdate skips them), metadata.generation bumped when anything but metadata and status changes.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface WriteOptions {
  /** Write through the /status subresource: only `.status` changes. */
  subresource?: 'status';
  /** PUT semantics: a missing resourceVersion is refused unless the kind allows unconditional updates. */
  put?: boolean;
  /** Server-side dry run (dry-run.ts): every check, the object as it would be, and nothing stored. */
  dryRun?: boolean;
  /** The client's field manager (managed-fields.ts): what the write changes is recorded as its. */
  manager?: Manager;
}

export interface StoreDeps {
  now: () => number;
  /** The UID for a new object; given its identity so UIDs do not depend on what else was created first. */
  uid: (key: string) => string;
  suffix: () => string;
}

// apimachinery validation.IsDNS1123Subdomain, which most kinds use for metadata.name.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const subject = (t: ResourceType, name?: string) => ({
  resource: t.resource,
  group: t.group,
  ...(name !== undefined ? { name } : {}),
});

/** Everything but metadata and status: what a spec change (and so a generation bump) is about. */
function specPart(obj: KObject) {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

export class ObjectStore {
  private counter = 0;
  private readonly tables = new ObjectTables();
  private readonly events = new StoreEvents();

  constructor(private readonly deps: StoreDeps) {}

  /** Calls `listener` with every change from now on; returns the function that stops it (store-events.ts). */
  watch(listener: (e: StoreEvent) => void): () => void {
    return this.events.watch(listener);
  }

  /** Kept events after resourceVersion `rv`, or undefined if events after it were already dropped. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    return this.events.since(rv, this.counter);
  }

  /** Open watches (tests check that a closed one leaves nothing behind). */
  watcherCount(): number {
    return this.events.watcherCount();
  }

  /** The newest resourceVersion handed out: what a list's metadata.resourceVersion reports. */
  resourceVersion(): string {
    return String(this.counter);
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    const obj = this.tables.get(t, ObjectTables.key(t, namespace, name));
    return obj && structuredClone(obj);
  }

  /**
   * The stored object itself, not a copy, for reads inside the simulator that only look (a binding's clusters
   * while rendering, a cluster's Ready condition): copying them cost more than anything else per request.
   * Never hand it to a client or change it.
   */
  peek(t: ResourceType, namespace: string | undefined, name: string): Readonly<KObject> | undefined {
    return this.tables.get(t, ObjectTables.key(t, namespace, name));
  }

  mustGet(t: ResourceType, namespace: string | undefined, name: string): KObject {
    const obj = this.get(t, namespace, name);
    if (!obj) throw notFound(subject(t, name));
    return obj;
  }

  /**
   * Objects of a kind, in one namespace or all, ordered by namespace then name (etcd key order). `after`: only
   * those whose listKey sorts after it (a continued list), so the pages before are not copied again.
   */
  list(t: ResourceType, namespace?: string, opts: { after?: string } = {}): KObject[] {
    const { after } = opts;
    return this.tables
      .entries(t, namespace)
      .filter(([, o]) => after === undefined || ObjectStore.listKey(o) > after)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => structuredClone(o));
  }

  /**
   * The stored objects themselves (not copies: see peek) in list order, only those whose listKey sorts after
   * `after`: what a list pages through before it copies and renders the few it returns.
   */
  peekList(t: ResourceType, namespace?: string, after?: string): Readonly<KObject>[] {
    return this.tables.inListOrderAfter(t, namespace, after);
  }

  /** The key a list is ordered by; continue tokens carry it. */
  static readonly listKey = listKeyOf;

  private stamp(obj: KObject): KObject {
    this.counter += 1;
    obj.metadata.resourceVersion = String(this.counter);
    return obj;
  }

  create(
    t: ResourceType,
    input: KObject,
    opts: { keepStatus?: boolean; dryRun?: boolean; manager?: Manager } = {},
  ): KObject {
    let obj = structuredClone(input);
    delete obj.metadata.managedFields;
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${this.deps.suffix()}`;
    const causes: StatusCause[] = [];
    if (!meta.name)
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
        field: 'metadata.name',
      });
    else if (!DNS1123_SUBDOMAIN.test(meta.name) || meta.name.length > 253)
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${meta.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        field: 'metadata.name',
      });
    if (causes.length > 0) throw invalid({ ...subject(t, meta.name), kind: t.kind }, causes);
    const key = ObjectTables.key(t, meta.namespace, meta.name);
    if (this.tables.get(t, key)) throw alreadyExists(subject(t, meta.name));
    if (!t.namespaced) delete meta.namespace;
    meta.uid = this.deps.uid(`${storeKey(t)}/${key}`);
    meta.creationTimestamp = rfc3339(this.deps.now());
    if (t.status) {
      meta.generation = 1;
      // Strategies of kinds with a status subresource reset status on create (e.g. deployment
      // strategy.go#PrepareForCreate); the controllers that own the status set it afterwards.
      if (!opts.keepStatus) delete obj.status;
    }
    delete meta.resourceVersion;
    if (opts.manager) obj = withManagedFields(undefined, obj, opts.manager, this.deps.now());
    if (opts.dryRun) return obj;
    this.tables.set(t, key, this.stamp(obj));
    this.events.emit('ADDED', t, obj);
    return structuredClone(obj);
  }

  update(t: ResourceType, input: KObject, opts: WriteOptions = {}): KObject {
    const name = input.metadata.name;
    const key = ObjectTables.key(t, input.metadata.namespace, name);
    const old = this.tables.get(t, key);
    if (!old) throw notFound(subject(t, name));
    const rv = input.metadata.resourceVersion;
    if (rv === undefined || rv === '') {
      if (opts.put && !t.unconditionalUpdate) {
        throw invalid({ ...subject(t, name), kind: t.kind }, [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0x0: must be specified for an update',
            field: 'metadata.resourceVersion',
          },
        ]);
      }
    } else if (rv !== old.metadata.resourceVersion) {
      throw conflict(subject(t, name));
    }
    let next: KObject;
    if (opts.subresource === 'status') {
      next = structuredClone(old);
      if (input.status === undefined) delete next.status;
      else next.status = structuredClone(input.status);
    } else {
      next = structuredClone(input);
      if (t.status) {
        if (old.status === undefined) delete next.status;
        else next.status = structuredClone(old.status);
      }
      // Identity and system fields cannot be changed by a client (ObjectMetaUpdateValidation).
      next.metadata = {
        ...next.metadata,
        name: old.metadata.name,
        uid: old.metadata.uid,
        creationTimestamp: old.metadata.creationTimestamp,
        resourceVersion: old.metadata.resourceVersion,
        ...(old.metadata.namespace !== undefined ? { namespace: old.metadata.namespace } : {}),
        ...(old.metadata.generation !== undefined ? { generation: old.metadata.generation } : {}),
      };
      // managedFields are the server's record (a client's copy in the body is not taken).
      if (old.metadata.managedFields === undefined) delete next.metadata.managedFields;
      else next.metadata.managedFields = structuredClone(old.metadata.managedFields);
    }
    if (deepEqual(next, old)) return structuredClone(old);
    if (t.status && opts.subresource !== 'status' && !deepEqual(specPart(next), specPart(old))) {
      next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    if (opts.manager) next = withManagedFields(old, next, opts.manager, this.deps.now());
    if (opts.dryRun) return next;
    this.tables.set(t, key, this.stamp(next));
    this.events.emit('MODIFIED', t, next);
    return structuredClone(next);
  }

  delete(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    preconditions: { uid?: string; resourceVersion?: string } = {},
    opts: { dryRun?: boolean } = {},
  ): KObject {
    const key = ObjectTables.key(t, namespace, name);
    const old = this.tables.get(t, key);
    if (!old) throw notFound(subject(t, name));
    // registry/store.go#checkPreconditions: the same wording as upstream's precondition failures.
    for (const field of ['uid', 'resourceVersion'] as const) {
      const want = preconditions[field];
      if (want !== undefined && want !== old.metadata[field]) {
        const label = field === 'uid' ? 'UID' : 'ResourceVersion';
        throw conflict(
          subject(t, name),
          `Precondition failed: ${label} in precondition: ${want}, ${label} in object meta: ${old.metadata[field] ?? ''}`,
        );
      }
    }
    if (opts.dryRun) return structuredClone(old);
    this.tables.delete(t, key);
    this.counter += 1;
    // The DELETED event carries the object at the deletion's revision (etcd3 watcher: the delete's mod revision).
    this.events.emit('DELETED', t, {
      ...old,
      metadata: { ...old.metadata, resourceVersion: String(this.counter) },
    });
    return structuredClone(old);
  }
}
