import type { CrossVersionObjectReference } from '../api/autoscaling-v2.ts';
import { describeIssue } from './body.ts';
import { type AdapterContext, mapLimit } from './context.ts';
import { isTransient, KarmadaApiError, KarmadaStateError } from './errors.ts';
import { listAll } from './list.ts';
import { memberPermissionError } from './member-permission.ts';
import {
  CLUSTER_API,
  clusterProxyPath,
  describeResource,
  type GroupVersionResource,
  resourcePath,
} from './paths.ts';
import { scaleSchema, templateSchema } from './schemas/k8s.ts';
import {
  clusterSchema,
  type KarmadaCluster,
  type ResourceBinding,
  resourceBindingSchema,
} from './schemas/karmada.ts';

// Where a FederatedHPA's target runs, as Karmada's controller finds it (karmada.md §b.2,
// federatedhpa_controller.go): the template's policy permanent-id label → its ResourceBinding
// (getBindingByLabel) → the binding's clusters that are Ready (getTargetCluster) → each member's scale
// subresource read through the cluster proxy (scaleForTargetCluster: a failing cluster is skipped), and
// calibration = Σ member spec.replicas / template spec.replicas (computeReplicasForMetrics, §b.3).

export const PP_PERMANENT_ID = 'propagationpolicy.karmada.io/permanent-id';
export const CPP_PERMANENT_ID = 'clusterpropagationpolicy.karmada.io/permanent-id';

const BINDING_GVR: GroupVersionResource = {
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

export async function getPlacement(
  ctx: AdapterContext,
  namespace: string,
  ref: CrossVersionObjectReference,
  opts: { readyClusters?: ReadonlySet<string> } = {},
): Promise<Placement> {
  const gvr = await ctx.discovery.resourceFor(ref.apiVersion, ref.kind, 'scale');
  const at = { namespace, name: ref.name };
  const template = await ctx.client.request({
    verb: 'get',
    path: resourcePath(gvr, at),
    resource: describeResource(gvr, at),
    schema: templateSchema,
  });
  const apiVersion = gvr.group === '' ? gvr.version : `${gvr.group}/${gvr.version}`;
  const binding = await findBinding(ctx, namespace, template.metadata.labels ?? {}, { ...ref, apiVersion });
  const ready = opts.readyClusters ?? (await readyClusters(ctx));
  const targets = binding.spec.clusters.map((c) => c.name).filter((name) => ready.has(name));
  if (targets.length === 0)
    throw new KarmadaStateError('FailedGetTargetClusters', 'binding has no schedulable clusters');

  const scales = await mapLimit(targets, ctx.concurrency, (cluster) =>
    memberScale(ctx, cluster, gvr, namespace, ref.name),
  );
  const clusters = scales.filter((s): s is MemberPlacement => s !== undefined);
  const memberSpecReplicas = clusters.reduce((n, c) => n + c.specReplicas, 0);
  const memberStatusReplicas = clusters.reduce((n, c) => n + c.statusReplicas, 0);
  const templateReplicas = template.spec?.replicas ?? 0;
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
    binding: binding.metadata.name,
  };
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
