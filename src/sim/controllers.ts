import { type AdmissionConfig, karmadaAdmission } from './admission.ts';
import type { WorkloadKind } from './members.ts';
import type { KObject } from './object-store.ts';
import { PERMANENT_ID_LABEL, reconcileNamespace, reconcileWorkload, removeWorkload } from './propagation.ts';
import { type RenderContext, render } from './render.ts';
import { CLUSTERS, PROPAGATION_POLICIES, type ResourceType, WORKLOAD_TYPES } from './resources.ts';

// What Karmada's controllers do when an object is written through the API, run synchronously within the
// write: the policy webhook's mutation on create, then the fan-out to the detector and scheduler
// (propagation.ts) or the cluster controller. Routes and the setup helpers' `kubectl apply` share it.

export interface ControllerContext extends RenderContext {
  admission: AdmissionConfig;
}

/** A mutating step on create: policies get their permanent ID (Karmada's policy webhook). */
export function prepareCreate(ctx: ControllerContext, t: ResourceType, obj: KObject): void {
  if (t === PROPAGATION_POLICIES && !obj.metadata.labels?.[PERMANENT_ID_LABEL]) {
    obj.metadata.labels = { ...obj.metadata.labels, [PERMANENT_ID_LABEL]: ctx.naming.uid() };
  }
}

/** What Karmada's controllers do after an object was written through the API. */
export function afterWrite(
  ctx: ControllerContext,
  t: ResourceType,
  namespace: string | undefined,
  name: string,
): void {
  ctx.health.catchUpAll();
  if (WORKLOAD_TYPES.includes(t)) reconcileWorkload(ctx, t, namespace ?? '', name);
  else if (t === PROPAGATION_POLICIES) reconcileNamespace(ctx, namespace ?? '');
  else if (t === CLUSTERS) ctx.member(name);
}

export function afterDelete(
  ctx: ControllerContext,
  t: ResourceType,
  namespace: string | undefined,
  name: string,
): void {
  if (WORKLOAD_TYPES.includes(t)) removeWorkload(ctx, t.kind as WorkloadKind, namespace ?? '', name);
}

/** Creates `obj`, or replaces the stored one (status kept), then runs the controllers: `kubectl apply`. */
export function apply(ctx: ControllerContext, t: ResourceType, obj: KObject): KObject {
  const ns = t.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
  const input = {
    ...structuredClone(obj),
    metadata: { ...obj.metadata, ...(ns ? { namespace: ns } : {}) },
  };
  const existing = ctx.store.get(t, ns, obj.metadata.name);
  const admitted = karmadaAdmission(ctx.admission, t, input);
  let stored: KObject;
  if (existing) {
    admitted.metadata.resourceVersion = existing.metadata.resourceVersion;
    stored = ctx.store.update(t, admitted);
  } else {
    prepareCreate(ctx, t, admitted);
    stored = ctx.store.create(t, admitted);
  }
  afterWrite(ctx, t, ns, stored.metadata.name);
  return render(ctx, t, ctx.store.mustGet(t, ns, stored.metadata.name));
}
