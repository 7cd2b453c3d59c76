import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { collectionPath, patchedObject } from './crud-routes.ts';
import { dryRun } from './dry-run.ts';
import { json, readJson } from './http.ts';
import { badRequest, conflict, invalid } from './k8s-status.ts';
import { requestManager } from './managed-fields.ts';
import type { WorkloadKind } from './members.ts';
import type { ResourceType } from './resources.ts';
import type { SimState } from './state.ts';
import { toScale } from './workload-status.ts';

// The /scale subresource of workload templates on the Karmada API server (apps/v1 deployments and
// statefulsets, autoscaling/v1 Scale; registry/apps/deployment/storage/storage.go#ScaleREST). A write
// changes the template's spec.replicas (bumping resourceVersion and generation); Karmada then divides the
// new count over the bound clusters, which the simulator does before answering.

const scaleSchema = z.looseObject({
  apiVersion: z.literal('autoscaling/v1').optional(),
  kind: z.literal('Scale').optional(),
  metadata: z
    .looseObject({
      name: z.string().optional(),
      namespace: z.string().optional(),
      resourceVersion: z.string().optional(),
    })
    .optional(),
  spec: z.looseObject({
    // validation.go#ValidateScale: spec.replicas must be >= 0.
    replicas: z.number().int().min(0, { message: 'must be greater than or equal to 0' }).max(2147483647),
  }),
});

export function mountScale(app: Hono, state: SimState, t: ResourceType): void {
  const path = `${collectionPath(t)}/:name/scale`;
  const subject = (name: string) => ({ resource: t.resource, group: t.group, name });
  const current = (c: Context, opts: { catchUp?: boolean } = {}) => {
    const template = state.store.mustGet(t, c.req.param('namespace'), c.req.param('name') ?? '');
    return state.render(t, template, opts);
  };

  app.get(path, (c) => json(toScale(current(c))));

  const write = (method: 'PUT' | 'PATCH') => async (c: Context) => {
    const template = current(c);
    const name = template.metadata.name;
    const namespace = template.metadata.namespace ?? '';
    const before = toScale(template);
    const body = method === 'PUT' ? await readJson(c) : await patchedObject(c, before);
    const parsed = scaleSchema.safeParse(body);
    if (!parsed.success) {
      throw invalid(
        { resource: t.resource, group: 'autoscaling', kind: 'Scale', name },
        parsed.error.issues.map((i) => ({
          reason: 'FieldValueInvalid',
          message: i.message,
          field: i.path.map(String).join('.'),
        })),
      );
    }
    const scale = parsed.data;
    if (scale.metadata?.name !== undefined && scale.metadata.name !== name)
      throw badRequest(
        `the name of the object (${scale.metadata.name}) does not match the name on the URL (${name})`,
      );
    const rv = scale.metadata?.resourceVersion;
    // The Scale's resourceVersion is the template's: a stale one is a lost update, refused with 409.
    if (rv !== undefined && rv !== '' && rv !== template.metadata.resourceVersion)
      throw conflict(subject(name));
    const next = { ...template, spec: { ...(template.spec as object), replicas: scale.spec.replicas } };
    if (dryRun(c, method === 'PUT' ? 'UpdateOptions' : 'PatchOptions')) {
      // The Scale as it would be: the new spec.replicas, the status as it is (nothing was divided).
      return json(
        toScale(state.render(t, state.store.update(t, next, { dryRun: true }), { catchUp: false })),
      );
    }
    const manager = requestManager(c, 'scale');
    state.store.update(t, next, manager ? { manager } : {});
    state.afterWrite(t, namespace, name);
    state.recordScaleWrite({
      method,
      kind: t.kind as WorkloadKind,
      namespace,
      name,
      replicas: scale.spec.replicas,
    });
    // The Scale as written: Karmada's status write for the new division follows (workload-status.ts).
    return json(toScale(current(c, { catchUp: false })));
  };
  app.put(path, write('PUT'));
  app.patch(path, write('PATCH'));
}
