import { z } from 'zod';
import type { CrossVersionObjectReference } from '../api/autoscaling-v2.ts';
import { describeIssue } from './body.ts';
import { type AdapterContext, mapLimit } from './context.ts';
import { isNotFound, isTransient, KarmadaApiError, KarmadaStateError } from './errors.ts';
import { listAll } from './list.ts';
import { memberPermissionError } from './member-permission.ts';
import {
  CLUSTER_API,
  clusterProxyPath,
  describeResource,
  type GroupVersionResource,
  resourcePath,
} from './paths.ts';
import { getScale } from './scale.ts';
import { scaleSchema, templateSchema } from './schemas/k8s.ts';
import {
  clusterSchema,
  type KarmadaCluster,
  type ResourceBinding,
  resourceBindingSchema,
} from './schemas/karmada.ts';

// Where a FederatedHPA's target runs, as Karmada's controller finds it (karmada.md §b.2,
// federatedhpa_controller.go): its ResourceBinding (getBindingByLabel; fhpa reads it by name first, see
// getTargetClusters) → the binding's clusters that are Ready (getTargetCluster) → each member's scale
// subresource read through the cluster proxy (scaleForTargetCluster: a failing cluster is skipped), and
// calibration = Σ member spec.replicas / template spec.replicas (computeReplicasForMetrics, §b.3).

export const PP_PERMANENT_ID = 'propagationpolicy.karmada.io/permanent-id';
export const CPP_PERMANENT_ID = 'clusterpropagationpolicy.karmada.io/permanent-id';

export const BINDING_GVR: GroupVersionResource = {
  group: 'work.karmada.io',
  version: 'v1alpha2',
  resource: 'resourcebindings',
};
const CLUSTER_GVR: GroupVersionResource = {
  group: 'cluster.karmada.io',
  version: 'v1alpha1',
  resource: 'clusters',
};

export interface MemberPlacement {
  name: string;
  /** The member's scale spec.replicas (its share of the template's replicas). */
  specReplicas: number;
  statusReplicas: number;
  /** The member's scale status.selector ("" if none). */
  selector: string;
}

export interface Placement {
  /** Ready clusters of the binding whose scale could be read, in binding order. */
  clusters: MemberPlacement[];
  memberSpecReplicas: number;
  memberStatusReplicas: number;
  /** Σ member spec.replicas / template spec.replicas: 1 when Divided, N when Duplicated over N clusters. */
  calibration: number;
  templateReplicas: number;
  /** The ResourceBinding's name. */
  binding: string;
}

/** The ResourceBinding of a target and its Ready clusters, in binding order. */
export interface BoundClusters {
  binding: string;
  clusters: string[];
}

/** The whole placement of one target, read on its own (admission's lookups; evaluations read it in steps). */
export async function getPlacement(
  ctx: AdapterContext,
  namespace: string,
  ref: CrossVersionObjectReference,
  opts: { readyClusters?: ReadonlySet<string> } = {},
): Promise<Placement> {
  const [bound, scale] = await Promise.all([
    getTargetClusters(ctx, namespace, ref, opts),
    getScale(ctx, namespace, ref),
  ]);
  const members = await getMemberScales(ctx, namespace, ref, bound.clusters);
  return placementOf(members, scale.replicas, bound.binding);
}

/**
 * The target's binding → its Ready clusters. Karmada finds the binding by the template's policy labels
 * (getBindingByLabel), which costs a template GET before the binding LIST; the binding's name is derived
 * from the target (names.GenerateBindingName), so fhpa GETs it by name beside the Ready clusters, one round
 * trip in all. Only when no binding has that name, or it is not the target's, does fhpa look it up as Karmada
 * does, whose answer then says why none was found.
 */
export async function getTargetClusters(
  ctx: AdapterContext,
  namespace: string,
  ref: CrossVersionObjectReference,
  opts: { readyClusters?: ReadonlySet<string> } = {},
): Promise<BoundClusters> {
  const gvr = await ctx.discovery.resourceFor(ref.apiVersion, ref.kind, 'scale');
  const target = { ...ref, apiVersion: gvr.group === '' ? gvr.version : `${gvr.group}/${gvr.version}` };
  const [named, ready] = await Promise.all([
    bindingByName(ctx, namespace, target),
    opts.readyClusters ?? readyClusters(ctx),
  ]);
  const binding = named ?? (await bindingByLabel(ctx, namespace, gvr, target));
  return boundTargets(binding, ready);
}

/** getTargetCluster: the binding's clusters that are Ready; none is Karmada's FailedGetTargetClusters. */
export function boundTargets(binding: ResourceBinding, ready: ReadonlySet<string>): BoundClusters {
  const clusters = binding.spec.clusters.map((c) => c.name).filter((name) => ready.has(name));
  if (clusters.length === 0)
    throw new KarmadaStateError('FailedGetTargetClusters', 'binding has no schedulable clusters');
  return { binding: binding.metadata.name, clusters };
}

/** Each member's scale, read through the cluster proxy; a member without the workload is skipped. */
export async function getMemberScales(
  ctx: AdapterContext,
  namespace: string,
  ref: CrossVersionObjectReference,
  clusters: readonly string[],
): Promise<MemberPlacement[]> {
  const gvr = await ctx.discovery.resourceFor(ref.apiVersion, ref.kind, 'scale');
  const scales = await mapLimit(clusters, ctx.concurrency, (cluster) =>
    memberScale(ctx, cluster, gvr, namespace, ref.name),
  );
  return scales.filter((s): s is MemberPlacement => s !== undefined);
}

/** computeReplicasForMetrics' inputs from the member scales: their sums and the calibration (§b.3). */
export function placementOf(
  clusters: MemberPlacement[],
  templateReplicas: number,
  binding: string,
): Placement {
  const memberSpecReplicas = clusters.reduce((n, c) => n + c.specReplicas, 0);
  const memberStatusReplicas = clusters.reduce((n, c) => n + c.statusReplicas, 0);
  if (memberSpecReplicas === 0 && templateReplicas > 0) {
    throw new KarmadaStateError(
      'FailedGetScale',
      'failed to get replicas in any of clusters, possibly because all of clusters are not ready',
    );
  }
  return {
    clusters,
    memberSpecReplicas,
    memberStatusReplicas,
    // A template at 0 replicas has no meaningful ratio (Karmada stops at ScalingDisabled before using it).
    calibration: templateReplicas > 0 ? memberSpecReplicas / templateReplicas : 1,
    templateReplicas,
    binding,
  };
}

/** names.GenerateBindingName: `{name}-{kind}` lowercased, a ':' in the name (RBAC kinds) made a '.'. */
export const bindingNameOf = (kind: string, name: string) =>
  `${name.replaceAll(':', '.')}-${kind}`.toLowerCase();

/** The binding named for the target, if it is the target's; undefined otherwise (404, another's). */
async function bindingByName(
  ctx: AdapterContext,
  namespace: string,
  target: { apiVersion: string; kind: string; name: string },
): Promise<ResourceBinding | undefined> {
  const at = { namespace, name: bindingNameOf(target.kind, target.name) };
  let raw: unknown;
  try {
    raw = await ctx.client.request({
      verb: 'get',
      path: resourcePath(BINDING_GVR, at),
      resource: describeResource(BINDING_GVR, at),
      schema: z.unknown(),
    });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const parsed = resourceBindingSchema.safeParse(raw);
  // An impossible binding (a negative replica count) is named, never decided on nor passed over.
  if (!parsed.success)
    throw new KarmadaStateError(
      'FailedGetBinding',
      `binding ${at.name} is invalid: ${describeIssue(parsed.error)}`,
    );
  const r = parsed.data.spec.resource;
  const ours = r.name === target.name && r.kind === target.kind && r.apiVersion === target.apiVersion;
  return ours ? parsed.data : undefined;
}

/** Karmada's way: the template's permanent-id labels select the binding (template GET, binding LIST). */
async function bindingByLabel(
  ctx: AdapterContext,
  namespace: string,
  gvr: GroupVersionResource,
  target: { apiVersion: string; kind: string; name: string },
): Promise<ResourceBinding> {
  const at = { namespace, name: target.name };
  const template = await ctx.client.request({
    verb: 'get',
    path: resourcePath(gvr, at),
    resource: describeResource(gvr, at),
    schema: templateSchema,
  });
  return findBinding(ctx, namespace, template.metadata.labels ?? {}, target);
}

/** getBindingByLabel: both permanent-id labels select, then the binding whose spec.resource is the target. */
async function findBinding(
  ctx: AdapterContext,
  namespace: string,
  labels: Record<string, string>,
  target: { apiVersion: string; kind: string; name: string },
): Promise<ResourceBinding> {
  if (Object.keys(labels).length === 0)
    throw new KarmadaStateError('FailedGetBinding', 'target resource has no label');
  const selector = [PP_PERMANENT_ID, CPP_PERMANENT_ID]
    .filter((key) => labels[key])
    .map((key) => `${key}=${labels[key]}`)
    .join(',');
  if (!selector) throw new KarmadaStateError('FailedGetBinding', 'no label of policy permanent-id found');
  const at = { namespace };
  const raw = await listAll(ctx.client, {
    path: resourcePath(BINDING_GVR, at),
    resource: describeResource(BINDING_GVR, at),
    labelSelector: selector,
  });
  if (raw.length === 0) throw new KarmadaStateError('FailedGetBinding', 'length of binding list is zero');
  let invalid: string | undefined;
  for (const item of raw) {
    const parsed = resourceBindingSchema.safeParse(item);
    if (!parsed.success) {
      invalid ??= describeIssue(parsed.error);
      continue;
    }
    const r = parsed.data.spec.resource;
    if (r.name === target.name && r.kind === target.kind && r.apiVersion === target.apiVersion)
      return parsed.data;
  }
  // An impossible binding (a negative replica count) is named rather than silently passed over.
  const why = invalid === undefined ? '' : ` (an invalid binding was skipped: ${invalid})`;
  throw new KarmadaStateError('FailedGetBinding', `no binding matches the target resource${why}`);
}

/** util.IsClusterReady: condition Ready=True. One LIST instead of a GET per binding cluster. */
export async function readyClusters(ctx: AdapterContext): Promise<Set<string>> {
  const raw = await listAll(ctx.client, {
    path: `${CLUSTER_API}/clusters`,
    resource: describeResource(CLUSTER_GVR),
  });
  const ready = new Set<string>();
  for (const item of raw) {
    const parsed = clusterSchema.safeParse(item);
    if (parsed.success && isReady(parsed.data)) ready.add(parsed.data.metadata.name);
  }
  return ready;
}

const isReady = (c: KarmadaCluster) =>
  (c.status?.conditions ?? []).some((cond) => cond.type === 'Ready' && cond.status === 'True');

async function memberScale(
  ctx: AdapterContext,
  cluster: string,
  gvr: GroupVersionResource,
  namespace: string,
  name: string,
): Promise<MemberPlacement | undefined> {
  const at = { namespace, name, subresource: 'scale' };
  try {
    const scale = await ctx.client.request({
      verb: 'get',
      path: clusterProxyPath(cluster, resourcePath(gvr, at)),
      resource: describeResource(gvr, { ...at, cluster }),
      schema: scaleSchema,
    });
    return {
      name: cluster,
      specReplicas: scale.spec?.replicas ?? 0,
      statusReplicas: scale.status?.replicas ?? 0,
      selector: scale.status?.selector ?? '',
    };
  } catch (err) {
    // Departure: scaleForTargetCluster logs and skips any cluster it cannot read, and its pods are then not
    // counted either. fhpa skips only a member that answers that the workload is not there (404); a refusal
    // (403) is a permission error naming the missing grant (member-permission.ts), and a transient failure
    // (no answer, 429, 5xx, after the client's retries) fails the placement, as listPods does, because a
    // decision on part of the federation can scale a healthy workload wrongly and the next trigger will find
    // the member answering again. A member answering impossible state (a negative replica count) fails it
    // too: fhpa does not decide on it.
    const denied = memberPermissionError(err, cluster);
    if (denied) throw denied;
    if (isTransient(err) || (err instanceof KarmadaApiError && err.reason === 'InvalidResponse')) throw err;
    ctx.warn(`skipping cluster ${cluster}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
