import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { fhpaAdmission, karmadaAdmission } from './admission.ts';
import { dryRun } from './dry-run.ts';
import { checkFields, fieldValidationOf, withWarnings } from './field-validation.ts';
import { json, patchTypeOf, readJson } from './http.ts';
import { badRequest, invalid, StatusError, successStatus } from './k8s-status.ts';
import { encodeContinue, type ListQuery, listBody, type Page, paginate, parseListQuery } from './list.ts';
import { requestManager } from './managed-fields.ts';
import { type KObject, ObjectStore } from './object-store.ts';
import { applyPatch, JsonPatchError, MalformedPatchError } from './patch.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';
import type { SimState } from './state.ts';
import { table, wantsTable } from './table.ts';
import { validateObject } from './validation.ts';
import { watchResponse } from './watch.ts';

// The generic REST endpoints of a stored kind (k8s.io/apiserver/pkg/endpoints/handlers: get.go,
// create.go, update.go, patch.go, delete.go): list with selectors and pages, create, get, replace,
// patch and delete, and the /status subresource where the kind has one.

// metav1.DeleteOptions: only the preconditions matter here (no finalizers, no cascading choices).
// kubectl sends dryRun in this body rather than the query (client-go's Delete).
const deleteOptionsSchema = z.looseObject({
  preconditions: z.object({ uid: z.string().optional(), resourceVersion: z.string().optional() }).optional(),
  dryRun: z.array(z.string()).optional(),
});
type DeleteOptions = z.infer<typeof deleteOptionsSchema>;

export function collectionPath(t: ResourceType, namespaced = t.namespaced): string {
  const prefix = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  return namespaced ? `${prefix}/namespaces/:namespace/${t.resource}` : `${prefix}/${t.resource}`;
}

/** Applies a PATCH request's body to `current`, mapping patch failures to the API server's answers. */
export async function patchedObject(c: Context, current: unknown, custom = false): Promise<unknown> {
  const type = patchTypeOf(c.req.header('content-type'), custom);
  const body = await readJson(c);
  if (type === 'merge' && (typeof body !== 'object' || body === null || Array.isArray(body)))
    throw badRequest('a merge patch must be a JSON object');
  try {
    return applyPatch(type, current, body);
  } catch (e) {
    if (e instanceof MalformedPatchError) throw badRequest(e.message);
    // patch.go#applyJSPatch: failing operations (a `test` included) are 422.
    if (e instanceof JsonPatchError)
      throw new StatusError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: ${e.message}`,
      );
    throw e;
  }
}

/** Body checks shared by PUT and PATCH: the object must keep the URL's name and namespace. */
function checkIdentity(t: ResourceType, obj: KObject, name: string, namespace: string | undefined): KObject {
  if (obj.metadata.name !== undefined && obj.metadata.name !== name)
    throw badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
    );
  if (t.namespaced && obj.metadata.namespace !== undefined && obj.metadata.namespace !== namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  return { ...obj, metadata: { ...obj.metadata, name, ...(t.namespaced ? { namespace } : {}) } };
}

export function mountCrud(app: Hono, state: SimState, t: ResourceType): void {
  const coll = collectionPath(t);
  const item = `${coll}/:name`;
  const ns = (c: Context) => (t.namespaced ? c.req.param('namespace') : undefined);
  const show = (namespace: string | undefined, name: string, opts: { catchUp?: boolean } = {}) =>
    state.render(t, state.store.mustGet(t, namespace, name), opts);
  // A write's answer is the object as written; Karmada's status write comes after it.
  const written = { catchUp: false };

  // Admission webhooks see writes of the object, not of its /status.
  const admitted = (obj: KObject, subresource: string | undefined) =>
    subresource || typeof obj !== 'object' || obj === null ? obj : karmadaAdmission(state.admission, t, obj);

  const list = (c: Context) => {
    const q = parseListQuery((k) => c.req.query(k));
    if (c.req.query('watch') === 'true' || c.req.query('watch') === '1')
      return watchResponse(c, state, {
        t,
        namespace: ns(c),
        query: q,
        asTable: wantsTable(c.req.header('accept'), t.kind),
      });
    const page = listPage(state, t, ns(c), q);
    const rv = state.store.resourceVersion();
    if (wantsTable(c.req.header('accept'), t.kind))
      return json(
        table(t.kind, page.items, state.now(), {
          resourceVersion: rv,
          ...(page.continue !== undefined ? { continue: page.continue } : {}),
        }),
      );
    return json(listBody(`${t.kind}List`, apiVersionOf(t), rv, page));
  };
  app.get(coll, list);
  if (t.namespaced) app.get(collectionPath(t, false), list);

  app.post(coll, async (c) => {
    const fields = checkFields(t, await readJson(c), fieldValidationOf(c, 'CreateOptions'));
    const obj = validateObject(t, karmadaAdmission(state.admission, t, fields.body as KObject));
    const namespace = ns(c);
    if (t.namespaced && obj.metadata.namespace !== undefined && obj.metadata.namespace !== namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    const input = { ...obj, metadata: { ...obj.metadata, ...(t.namespaced ? { namespace } : {}) } };
    await fhpaAdmission(state.admission, t, 'CREATE', input, undefined);
    state.prepareCreate(t, input);
    if (dryRun(c, 'CreateOptions'))
      return withWarnings(
        json(state.render(t, state.store.create(t, input, { dryRun: true })), 201),
        fields.warnings,
      );
    const manager = requestManager(c);
    const created = state.store.create(t, input, manager ? { manager } : {});
    state.afterWrite(t, namespace, created.metadata.name);
    return withWarnings(json(show(namespace, created.metadata.name, written), 201), fields.warnings);
  });

  app.get(item, (c) => {
    const obj = show(ns(c), c.req.param('name') ?? '');
    return json(wantsTable(c.req.header('accept'), t.kind) ? table(t.kind, [obj], state.now()) : obj);
  });

  const replace = (subresource?: 'status') => async (c: Context) => {
    const name = c.req.param('name') ?? '';
    state.catchUp(t, ns(c), name);
    const fields = checkFields(t, await readJson(c), fieldValidationOf(c, 'UpdateOptions'));
    const body = fields.body as KObject;
    const obj = checkIdentity(t, validateObject(t, admitted(body, subresource)), name, ns(c));
    if (!subresource) await fhpaAdmission(state.admission, t, 'UPDATE', obj, state.store.get(t, ns(c), name));
    const dry = dryRun(c, 'UpdateOptions');
    const manager = requestManager(c, subresource);
    const next = state.store.update(t, obj, {
      put: true,
      dryRun: dry,
      ...(subresource ? { subresource } : {}),
      ...(manager ? { manager } : {}),
    });
    if (dry) return withWarnings(json(state.render(t, next, written)), fields.warnings);
    if (!subresource) state.afterWrite(t, ns(c), name);
    return withWarnings(json(show(ns(c), name, written)), fields.warnings);
  };
  const patch = (subresource?: 'status') => async (c: Context) => {
    const name = c.req.param('name') ?? '';
    state.catchUp(t, ns(c), name);
    const current = state.store.mustGet(t, ns(c), name);
    // A custom resource (no unconditional update) refuses strategic merge patch (415).
    const mode = fieldValidationOf(c, 'PatchOptions');
    const fields = checkFields(t, await patchedObject(c, current, !t.unconditionalUpdate), mode);
    const result = fields.body as KObject;
    const patched = checkIdentity(t, validateObject(t, admitted(result, subresource)), name, ns(c));
    if (!subresource) await fhpaAdmission(state.admission, t, 'UPDATE', patched, current);
    // A patch that sets metadata.resourceVersion makes it a precondition (patch.go: "resourceVersion
    // in the patch must match"); one that leaves it alone keeps the current one and always applies.
    const dry = dryRun(c, 'PatchOptions');
    const manager = requestManager(c, subresource);
    const next = state.store.update(t, patched, {
      dryRun: dry,
      ...(subresource ? { subresource } : {}),
      ...(manager ? { manager } : {}),
    });
    if (dry) return withWarnings(json(state.render(t, next, written)), fields.warnings);
    if (!subresource) state.afterWrite(t, ns(c), name);
    return withWarnings(json(show(ns(c), name, written)), fields.warnings);
  };
  app.put(item, replace());
  app.patch(item, patch());

  app.delete(item, async (c) => {
    const name = c.req.param('name') ?? '';
    let preconditions: DeleteOptions['preconditions'] = {};
    let dryRunValues: string[] = [];
    if (Number(c.req.header('content-length') ?? '0') > 0) {
      const parsed = deleteOptionsSchema.safeParse(await readJson(c, 64 * 1024));
      if (!parsed.success) {
        throw invalid(
          { resource: 'deleteoptions', group: 'meta.k8s.io', kind: 'DeleteOptions' },
          parsed.error.issues.map((i) => ({
            reason: 'FieldValueInvalid',
            message: i.message,
            field: i.path.map(String).join('.'),
          })),
        );
      }
      preconditions = parsed.data.preconditions ?? {};
      dryRunValues = parsed.data.dryRun ?? [];
    }
    const dry = dryRun(c, 'DeleteOptions', dryRunValues);
    const deleted = state.store.delete(t, ns(c), name, preconditions, { dryRun: dry });
    if (!dry) state.afterDelete(t, ns(c), name);
    return json(successStatus({ resource: t.resource, group: t.group, name }, deleted.metadata.uid));
  });

  if (t.status) {
    app.get(`${item}/status`, (c) => json(show(ns(c), c.req.param('name') ?? '')));
    app.put(`${item}/status`, replace('status'));
    app.patch(`${item}/status`, patch('status'));
  }
}

/**
 * One page of a list, rendered. Without a field selector the page is cut from the stored objects (their names
 * and labels are what a label selector and the continue key read, and rendering changes neither), and only its
 * objects are copied and rendered: paging through a large kind stays linear. A field selector may name a
 * field rendering fills in (a template's aggregated status), so it is applied to rendered objects.
 */
function listPage(
  state: SimState,
  t: ResourceType,
  namespace: string | undefined,
  q: ListQuery,
): Page<KObject> {
  if (q.fields.length > 0) {
    // Objects before a continue token's key are skipped unread (paginate would drop them after rendering).
    const after = q.after !== undefined ? { after: q.after } : {};
    const items = state.store.list(t, namespace, after).map((o) => state.render(t, o));
    // After rendering: the status writes it caught up on are part of what the list shows.
    return paginate(items, ObjectStore.listKey, (o) => o.metadata.labels, q, state.store.resourceVersion());
  }
  const stored = state.store.peekList(t, namespace, q.after);
  const cut = paginate(stored, ObjectStore.listKey, (o) => o.metadata.labels, q, '0');
  const items = cut.items.map((o) => state.render(t, structuredClone(o) as KObject));
  const last = items[items.length - 1];
  // After rendering: the status writes it caught up on are part of what the list shows (and its token).
  return {
    items,
    ...(cut.continue !== undefined && last
      ? { continue: encodeContinue(state.store.resourceVersion(), ObjectStore.listKey(last)) }
      : {}),
    ...(cut.remainingItemCount !== undefined ? { remainingItemCount: cut.remainingItemCount } : {}),
  };
}
