import { type PropagationPolicy, propagationPolicySchema } from '../api/propagationpolicy.ts';
import { divideReplicas } from '../placement/division.ts';
import { choosePolicy } from '../placement/policy-match.ts';
import {
  affinityMatchesName,
  policyClusterNames,
  schedulingFromPolicy,
} from '../placement/policy-scheduling.ts';
import type { DivisionAlgorithm } from '../placement/take-by-weight.ts';
import { maxAvailableReplicas, podRequests, resourceSummary, summaryOf } from './capacity.ts';
import { rfc3339 } from './clock.ts';
import { schedulable } from './clusters.ts';
import { type ExecutionContext, removeFromMember, syncMembers, type WorkloadSpec } from './execution.ts';
import type { WorkloadKind } from './members.ts';
import type { KObject, ObjectStore } from './object-store.ts';
import {
  apiVersionOf,
  CLUSTERS,
  PROPAGATION_POLICIES,
  RESOURCE_BINDINGS,
  type ResourceType,
  WORKLOAD_TYPES,
} from './resources.ts';
import { matchesLabels, requirementsOf } from './selectors.ts';

// Karmada's path from a resource template to pods, collapsed into one synchronous step: the detector
// claims the template for the best-matching PropagationPolicy (pkg/detector/detector.go, label
// `propagationpolicy.karmada.io/permanent-id`), the scheduler divides spec.replicas over the policy's
// clusters into the ResourceBinding (pkg/scheduler/core/assignment.go, via divideReplicas), and the
// execution controller applies each member's share, whose controllers create or delete pods (execution.ts).
// Departures: no Work objects, no rollout on template change, clusters are never failed over.

export const PERMANENT_ID_LABEL = 'propagationpolicy.karmada.io/permanent-id';
export const POLICY_NAME_ANNOTATION = 'propagationpolicy.karmada.io/name';
export const POLICY_NAMESPACE_ANNOTATION = 'propagationpolicy.karmada.io/namespace';

export interface PropagationContext extends ExecutionContext {
  store: ObjectStore;
  /** The Karmada release's replica division (take-by-weight.ts), with the dice for its random ties. */
  division: { algorithm: DivisionAlgorithm; random: () => number };
}

/** ResourceBinding naming (pkg/util/names/names.go#GenerateBindingName): `{name}-{kind lowercased}`. */
export const bindingName = (kind: string, name: string) => `${name}-${kind.toLowerCase()}`;

interface TemplateSpec extends WorkloadSpec {
  replicas?: number;
}

/** Policies whose selectors take this template, label selectors evaluated against its labels. */
function candidatePolicies(ctx: PropagationContext, template: KObject): PropagationPolicy[] {
  const labels = template.metadata.labels;
  return ctx.store
    .list(PROPAGATION_POLICIES, template.metadata.namespace)
    .flatMap((o) => {
      const parsed = propagationPolicySchema.safeParse(o);
      return parsed.success ? [parsed.data] : [];
    })
    .map((p) => ({
      ...p,
      spec: {
        ...p.spec,
        resourceSelectors: p.spec.resourceSelectors.filter(
          (s) => s.labelSelector === undefined || matchesLabels(requirementsOf(s.labelSelector), labels),
        ),
      },
    }))
    .filter((p) => p.spec.resourceSelectors.length > 0);
}

/** Re-runs propagation for one workload template after it (or a policy) changed. */
export function reconcileWorkload(ctx: PropagationContext, t: ResourceType, namespace: string, name: string) {
  const template = ctx.store.get(t, namespace, name);
  if (!template) return removeWorkload(ctx, t.kind as WorkloadKind, namespace, name);
  const ref = { apiVersion: apiVersionOf(t), kind: t.kind, name };
  const policy = choosePolicy(candidatePolicies(ctx, template), ref, namespace).policy;
  // Without a policy Karmada leaves an existing binding (and what it propagated) in place.
  if (!policy) return;
  const claimed = claim(ctx, t, template, policy);
  const clusters = candidateClusters(ctx, policy);
  const scheduling = schedulingFromPolicy(policy, clusters);
  const spec = (claimed.spec ?? {}) as TemplateSpec;
  const replicas = spec.replicas ?? 1;
  const existing = ctx.store.get(RESOURCE_BINDINGS, namespace, bindingName(t.kind, name));
  const previous = new Map(
    (
      ((existing?.spec as { clusters?: { name: string; replicas?: number }[] })?.clusters ?? []) as {
        name: string;
        replicas?: number;
      }[]
    ).map((c) => [c.name, c.replicas ?? 0]),
  );
  const division = divideReplicas({
    replicas,
    clusters: clusters.map((c) => ({
      name: c,
      previousReplicas: previous.get(c) ?? 0,
      availableReplicas: availableReplicas(ctx, c, spec),
    })),
    scheduling,
    ...(claimed.metadata.uid ? { uid: claimed.metadata.uid } : {}),
    algorithm: ctx.division.algorithm,
    random: ctx.division.random,
  });
  // assignment.go#assignReplicas divides only when spec.replicas > 0; at 0 it lists every candidate cluster
  // without replicas, so a workload scaled to zero stays propagated to each member at 0 replicas.
  const assignments =
    replicas === 0 && clusters.length > 0
      ? [...clusters].sort().map((name) => ({ name, replicas: 0 }))
      : division.ok
        ? division.assignments
        : [...previous].map(([n, r]) => ({ name: n, replicas: r }));
  writeBinding(ctx, claimed, t, policy, replicas, assignments, division.ok ? undefined : division.message);
  syncMembers(
    ctx,
    t.kind as WorkloadKind,
    claimed,
    spec,
    new Map(assignments.map((a) => [a.name, a.replicas])),
  );
}

/** detector.go#ClaimPolicyForObject: the template carries the policy's permanent ID and name. */
function claim(
  ctx: PropagationContext,
  t: ResourceType,
  template: KObject,
  policy: PropagationPolicy,
): KObject {
  const id = policy.metadata.labels?.[PERMANENT_ID_LABEL] ?? '';
  const meta = template.metadata;
  if (
    meta.labels?.[PERMANENT_ID_LABEL] === id &&
    meta.annotations?.[POLICY_NAME_ANNOTATION] === policy.metadata.name
  )
    return template;
  const next = structuredClone(template);
  next.metadata.labels = { ...meta.labels, [PERMANENT_ID_LABEL]: id };
  next.metadata.annotations = {
    ...meta.annotations,
    [POLICY_NAME_ANNOTATION]: policy.metadata.name ?? '',
    [POLICY_NAMESPACE_ANNOTATION]: policy.metadata.namespace ?? meta.namespace ?? '',
  };
  return ctx.store.update(t, next);
}

/**
 * The policy's clusters by name that exist; no clusterNames means every joined cluster (minus exclude). The
 * scheduler's TaintToleration filter then drops the clusters whose taints the policy does not tolerate (a
 * NotReady cluster's, clusters.ts).
 */
function candidateClusters(ctx: PropagationContext, policy: PropagationPolicy): string[] {
  const tolerations = policy.spec.placement?.clusterTolerations ?? [];
  const joined = ctx.store
    .list(CLUSTERS)
    .filter((c) => schedulable(c, tolerations))
    .map((c) => c.metadata.name);
  const named = policyClusterNames(policy);
  if (named.length > 0) return named.filter((n) => joined.includes(n));
  const affinity = policy.spec.placement?.clusterAffinity ?? {};
  return joined.filter((n) => affinityMatchesName(affinity, n));
}

/**
 * The general estimator's answer per cluster (capacity.ts), for one replica of the pod template: what the
 * dynamic-weight and Aggregated divisions divide by (core/util.go#calAvailableReplicas). The workload's own pods
 * count as allocated, as on Karmada, whose dynamic scale-up divides only the replicas it adds.
 */
function availableReplicas(ctx: PropagationContext, cluster: string, spec: TemplateSpec): number {
  const containers = (spec.template?.spec?.containers ?? []).map((c) => ({
    name: c.name,
    ...(c.resources?.requests ? { requests: c.resources.requests } : {}),
  }));
  const allocatable = summaryOf(ctx.store.peek(CLUSTERS, undefined, cluster))?.allocatable;
  const summary = allocatable && resourceSummary(ctx.member(cluster), allocatable);
  return maxAvailableReplicas(summary, podRequests(containers));
}

function writeBinding(
  ctx: PropagationContext,
  template: KObject,
  t: ResourceType,
  policy: PropagationPolicy,
  replicas: number,
  clusters: { name: string; replicas: number }[],
  failure: string | undefined,
) {
  const namespace = template.metadata.namespace ?? '';
  const name = bindingName(t.kind, template.metadata.name);
  const spec = {
    resource: {
      apiVersion: apiVersionOf(t),
      kind: t.kind,
      namespace,
      name: template.metadata.name,
      uid: template.metadata.uid,
      resourceVersion: template.metadata.resourceVersion,
    },
    replicas,
    clusters,
    ...(policy.spec.placement ? { placement: policy.spec.placement } : {}),
  };
  const existing = ctx.store.get(RESOURCE_BINDINGS, namespace, name);
  const base: KObject = existing ?? {
    apiVersion: apiVersionOf(RESOURCE_BINDINGS),
    kind: RESOURCE_BINDINGS.kind,
    metadata: {
      name,
      namespace,
      labels: { [PERMANENT_ID_LABEL]: template.metadata.labels?.[PERMANENT_ID_LABEL] ?? '' },
      ownerReferences: [
        {
          apiVersion: apiVersionOf(t),
          kind: t.kind,
          name: template.metadata.name,
          uid: template.metadata.uid,
          controller: true,
        },
      ],
    },
  };
  const stored = existing
    ? ctx.store.update(RESOURCE_BINDINGS, { ...base, spec })
    : ctx.store.create(RESOURCE_BINDINGS, { ...base, spec });
  const at = rfc3339(ctx.now());
  // scheduler.go#patchScheduleResultForResourceBinding + the Scheduled condition it records.
  const status = {
    schedulerObservedGeneration: stored.metadata.generation,
    conditions: [
      failure === undefined
        ? {
            type: 'Scheduled',
            status: 'True',
            reason: 'Success',
            message: 'Binding has been scheduled successfully.',
          }
        : { type: 'Scheduled', status: 'False', reason: 'NoClusterFit', message: failure },
    ].map((c) => ({ ...c, lastTransitionTime: at })),
  };
  const prior = (
    stored.status as { conditions?: { status: string; lastTransitionTime: string }[] } | undefined
  )?.conditions?.[0];
  // A condition's lastTransitionTime only moves when its status flips.
  if (prior && status.conditions[0] && prior.status === status.conditions[0].status)
    status.conditions[0].lastTransitionTime = prior.lastTransitionTime;
  ctx.store.update(RESOURCE_BINDINGS, { ...stored, status }, { subresource: 'status' });
}

/** The template is gone: its binding and everything propagated go with it (owner-reference GC). */
export function removeWorkload(ctx: PropagationContext, kind: WorkloadKind, namespace: string, name: string) {
  const bname = bindingName(kind, name);
  if (ctx.store.get(RESOURCE_BINDINGS, namespace, bname))
    ctx.store.delete(RESOURCE_BINDINGS, namespace, bname);
  for (const cluster of ctx.members()) removeFromMember(cluster, kind, namespace, name);
}

/** A policy changed: every workload template in its namespace is matched again. */
export function reconcileNamespace(ctx: PropagationContext, namespace: string) {
  for (const t of WORKLOAD_TYPES) {
    for (const o of ctx.store.list(t, namespace)) reconcileWorkload(ctx, t, namespace, o.metadata.name);
  }
}
