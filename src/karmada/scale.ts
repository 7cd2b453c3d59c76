import type { CrossVersionObjectReference } from '../api/autoscaling-v2.ts';
import type { AdapterContext } from './context.ts';
import { describeResource, type GroupVersionResource, resourcePath } from './paths.ts';
import { MERGE_PATCH } from './rest-client.ts';
import { type Scale, scaleSchema } from './schemas/k8s.ts';

// The scale subresource of a FederatedHPA's target on the Karmada control plane (the resource template).
// Writes are guarded by the resourceVersion the decision was made on: Karmada's controller reads /scale
// and writes it back with that resourceVersion (federatedhpa_controller.go#reconcileAutoscaler:
// scale.Spec.Replicas = desired; scaleNamespacer.Update), so a concurrent change makes the write fail
// with 409. A merge patch carrying metadata.resourceVersion gives the same guarantee; the ConflictError
// is surfaced, never retried here, since retrying would defeat the guard.

export interface TargetScale {
  /** The template's spec.replicas (Karmada's currentReplicas). */
  replicas: number;
  /** The template's status.replicas (on Karmada, the aggregate of the members' status). */
  statusReplicas: number;
  /** status.selector in label-selector string form; "" when the scale has none. */
  selector: string;
  resourceVersion: string;
  /** The target's resource, resolved through discovery. */
  resource: GroupVersionResource;
}

export function toTargetScale(scale: Scale, resource: GroupVersionResource): TargetScale {
  return {
    replicas: scale.spec?.replicas ?? 0,
    statusReplicas: scale.status?.replicas ?? 0,
    selector: scale.status?.selector ?? '',
    resourceVersion: scale.metadata.resourceVersion,
    resource,
  };
}

export async function getScale(
  ctx: AdapterContext,
  namespace: string,
  ref: CrossVersionObjectReference,
): Promise<TargetScale> {
  const gvr = await ctx.discovery.resourceFor(ref.apiVersion, ref.kind, 'scale');
  const at = { namespace, name: ref.name, subresource: 'scale' };
  const scale = await ctx.client.request({
    verb: 'get',
    path: resourcePath(gvr, at),
    resource: describeResource(gvr, at),
    schema: scaleSchema,
  });
  return toTargetScale(scale, gvr);
}

export async function patchScale(
  ctx: AdapterContext,
  namespace: string,
  ref: CrossVersionObjectReference,
  replicas: number,
  resourceVersion: string,
): Promise<TargetScale> {
  const gvr = await ctx.discovery.resourceFor(ref.apiVersion, ref.kind, 'scale');
  const at = { namespace, name: ref.name, subresource: 'scale' };
  const scale = await ctx.client.request({
    verb: 'patch',
    path: resourcePath(gvr, at),
    resource: describeResource(gvr, at),
    contentType: MERGE_PATCH,
    body: { metadata: { resourceVersion }, spec: { replicas } },
    schema: scaleSchema,
  });
  return toTargetScale(scale, gvr);
}
