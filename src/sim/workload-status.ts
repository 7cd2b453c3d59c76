import type { LabelSelector } from '../api/autoscaling-v2.ts';
import { MemberCluster, memberWorkloadStatus, type WorkloadKind, type WorkloadStatus } from './members.ts';
import type { KObject } from './object-store.ts';
import { bindingName, type PropagationContext } from './propagation.ts';
import { RESOURCE_BINDINGS, type ResourceType } from './resources.ts';
import { formatRequirements, requirementsOf } from './selectors.ts';

// Status that Karmada aggregates from the member clusters onto control-plane objects, computed on read
// so it follows simulated time: a template's status is the sum of its members' (the default resource
// interpreter's aggregateDeploymentStatus/aggregateStatefulSetStatus), a ResourceBinding lists each
// member's status in status.aggregatedStatus, and the /scale subresource reports both.

interface BoundCluster {
  name: string;
  replicas?: number;
}

function boundClusters(
  ctx: PropagationContext,
  kind: string,
  namespace: string,
  name: string,
): BoundCluster[] {
  const binding = ctx.store.peek(RESOURCE_BINDINGS, namespace, bindingName(kind, name));
  return ((binding?.spec as { clusters?: BoundCluster[] } | undefined)?.clusters ?? []).slice();
}

/** Each bound member's status for the workload (clusters not running it yet are left out). */
export function memberStatuses(
  ctx: PropagationContext,
  kind: WorkloadKind,
  namespace: string,
  name: string,
): { cluster: string; status: WorkloadStatus }[] {
  const key = MemberCluster.workloadKey(kind, namespace, name);
  return boundClusters(ctx, kind, namespace, name).flatMap((c) => {
    const cluster = ctx.member(c.name);
    const w = cluster.workloads.get(key);
    return w
      ? [{ cluster: c.name, status: memberWorkloadStatus(cluster, w, ctx.now(), ctx.startupDelayMs) }]
      : [];
  });
}

/** The template as the Karmada API server shows it: status replaced by the aggregate of its members. */
export function renderTemplate(ctx: PropagationContext, t: ResourceType, obj: KObject): KObject {
  const members = memberStatuses(
    ctx,
    t.kind as WorkloadKind,
    obj.metadata.namespace ?? '',
    obj.metadata.name,
  );
  const sum = (f: keyof WorkloadStatus) => members.reduce((n, m) => n + m.status[f], 0);
  const status =
    members.length === 0
      ? {}
      : {
          observedGeneration: obj.metadata.generation,
          replicas: sum('replicas'),
          readyReplicas: sum('readyReplicas'),
          availableReplicas: sum('availableReplicas'),
          updatedReplicas: sum('updatedReplicas'),
          ...(t.kind === 'Deployment' ? { unavailableReplicas: sum('unavailableReplicas') } : {}),
        };
  return { ...obj, status };
}

/** A ResourceBinding with status.aggregatedStatus filled from the members (binding_status_controller.go). */
export function renderBinding(ctx: PropagationContext, obj: KObject): KObject {
  const resource = (
    obj.spec as { resource?: { kind?: string; namespace?: string; name?: string } } | undefined
  )?.resource;
  if (!resource?.kind || !resource.name) return obj;
  const members = memberStatuses(ctx, resource.kind as WorkloadKind, resource.namespace ?? '', resource.name);
  return {
    ...obj,
    status: {
      ...((obj.status as object | undefined) ?? {}),
      aggregatedStatus: members.map((m) => ({
        clusterName: m.cluster,
        status: m.status,
        applied: true,
        health: 'Healthy',
      })),
    },
  };
}

/** The selector string a Scale reports (metav1.FormatLabelSelector of spec.selector). */
export function selectorString(obj: KObject): string {
  return formatRequirements(requirementsOf((obj.spec as { selector?: LabelSelector } | undefined)?.selector));
}

/** autoscaling/v1 Scale of a workload object whose status is already rendered. */
export function toScale(obj: KObject) {
  const spec = (obj.spec ?? {}) as { replicas?: number };
  const status = (obj.status ?? {}) as { replicas?: number };
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(obj) },
  };
}
