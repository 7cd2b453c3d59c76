import type { LabelSelector } from '../api/autoscaling-v2.ts';
import { MemberCluster, memberWorkloadStatus, type WorkloadKind, type WorkloadStatus } from './members.ts';
import type { KObject } from './object-store.ts';
import { bindingName, type PropagationContext } from './propagation.ts';
import { RESOURCE_BINDINGS, type ResourceType } from './resources.ts';
import { formatRequirements, requirementsOf } from './selectors.ts';

// Status that Karmada aggregates from the member clusters onto control-plane objects: a template's status is
// the sum of its members' (the default resource interpreter's aggregateDeploymentStatus/
// aggregateStatefulSetStatus), written to the template like Karmada's status controller does (a write, so a
// new resourceVersion); a ResourceBinding lists each member's status in status.aggregatedStatus, rendered on
// read (simplified: Karmada's binding status controller writes it too, but nothing reads a binding's
// resourceVersion to write it back); the /scale subresource reports the template's.

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

/** The counters Karmada's aggregate-status interpreter sums for a kind, and compares before writing. */
const AGGREGATED: Record<WorkloadKind, readonly string[]> = {
  // aggregatestatus.go#aggregateDeploymentStatus
  Deployment: [
    'observedGeneration',
    'replicas',
    'readyReplicas',
    'updatedReplicas',
    'availableReplicas',
    'unavailableReplicas',
  ],
  // aggregatestatus.go#aggregateStatefulSetStatus (a member StatefulSet's pods are all on its current revision)
  StatefulSet: [
    'observedGeneration',
    'availableReplicas',
    'currentReplicas',
    'readyReplicas',
    'replicas',
    'updatedReplicas',
  ],
};

/** The members' statuses summed, with observedGeneration the template's generation, as the interpreter does. */
function aggregate(ctx: PropagationContext, kind: WorkloadKind, template: Readonly<KObject>) {
  const members = memberStatuses(ctx, kind, template.metadata.namespace ?? '', template.metadata.name);
  const out: Record<string, number> = {};
  for (const field of AGGREGATED[kind]) out[field] = 0;
  for (const { status } of members) {
    out.observedGeneration = template.metadata.generation ?? 0;
    for (const field of AGGREGATED[kind]) {
      if (field === 'observedGeneration') continue;
      const member = field === 'currentReplicas' ? status.replicas : status[field as keyof WorkloadStatus];
      out[field] = (out[field] ?? 0) + member;
    }
  }
  return { out, members: members.length };
}

/**
 * Karmada's status controller catching up on one template: when the sum of its members' status differs from
 * the stored one, the status is written (pkg/util/helper/workstatus.go#updateResourceStatus calls the
 * interpreter, which returns the object untouched when every counter is equal, and then UpdateStatus), so the
 * template's resourceVersion moves whenever pods are added, removed or become ready, and after every spec
 * change (observedGeneration). Simplification: Karmada writes as soon as a member reports the change; the
 * simulator writes when the template is next read or written (lazily, since readiness follows the simulated
 * clock), which a client cannot tell apart: its stale resourceVersion gets the same 409.
 */
export function syncTemplateStatus(ctx: PropagationContext, t: ResourceType, template: KObject): KObject {
  const stored = ctx.store.peek(t, template.metadata.namespace, template.metadata.name);
  if (!stored) return template;
  const kind = t.kind as WorkloadKind;
  const { out, members } = aggregate(ctx, kind, stored);
  const old = (stored.status ?? {}) as Record<string, unknown>;
  if (AGGREGATED[kind].every((f) => (old[f] ?? 0) === out[f])) {
    return stored.metadata.resourceVersion === template.metadata.resourceVersion
      ? template
      : structuredClone(stored as KObject);
  }
  // Go's omitempty drops the zero counters of a template no member runs any more.
  const status = members === 0 ? {} : out;
  const kept = Object.fromEntries(Object.entries(old).filter(([k]) => !AGGREGATED[kind].includes(k)));
  return ctx.store.update(
    t,
    { ...(stored as KObject), status: { ...kept, ...status } },
    { subresource: 'status' },
  );
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
