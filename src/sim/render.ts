import type { ClusterHealth } from './cluster-health.ts';
import type { ClusterMembership } from './cluster-membership.ts';
import type { WorkloadKind } from './members.ts';
import type { KObject } from './object-store.ts';
import { bindingName, type PropagationContext } from './propagation.ts';
import { CLUSTERS, RESOURCE_BINDINGS, type ResourceType, WORKLOAD_TYPES } from './resources.ts';
import { renderBinding, syncTemplateStatus } from './workload-status.ts';

// Objects as clients read them: the status Karmada's controllers aggregate from the members (templates,
// ResourceBindings, a Cluster's resourceSummary) is computed on read rather than by a running controller.

export interface RenderContext extends PropagationContext {
  health: ClusterHealth;
  resourceSummary(name: string): ReturnType<ClusterMembership['resourceSummary']>;
}

/**
 * An object as clients see it: templates and bindings carry status aggregated from the members. Reading a
 * template first lets Karmada's status controller catch up (a status write when the members' counts moved);
 * `catchUp: false` answers a write with the object as written, as the API server does, the status write
 * following later (so a client reusing that resourceVersion meets the 409 it would meet on Karmada).
 */
export function render(
  ctx: RenderContext,
  t: ResourceType,
  obj: KObject,
  opts: { catchUp?: boolean } = {},
): KObject {
  if (WORKLOAD_TYPES.includes(t)) return opts.catchUp === false ? obj : syncTemplateStatus(ctx, t, obj);
  if (t === RESOURCE_BINDINGS) return renderBinding(ctx, obj);
  if (t === CLUSTERS) {
    ctx.health.catchUp(obj.metadata.name);
    obj = ctx.store.get(CLUSTERS, undefined, obj.metadata.name) ?? obj;
    const summary = ctx.resourceSummary(obj.metadata.name);
    if (summary) return { ...obj, status: { ...(obj.status as object), resourceSummary: summary } };
  }
  return obj;
}

/** Karmada's status controller catching up on one template before a client reads or writes it. */
export function catchUp(
  ctx: RenderContext,
  t: ResourceType,
  namespace: string | undefined,
  name: string,
): void {
  if (!WORKLOAD_TYPES.includes(t)) return;
  const template = ctx.store.peek(t, namespace, name);
  if (template) syncTemplateStatus(ctx, t, template as KObject);
}

/** A workload's ResourceBinding with its aggregated status, if the detector made one. */
export function bindingOf(
  ctx: RenderContext,
  namespace: string,
  name: string,
  kind: WorkloadKind,
): KObject | undefined {
  const b = ctx.store.get(RESOURCE_BINDINGS, namespace, bindingName(kind, name));
  return b && renderBinding(ctx, b);
}
