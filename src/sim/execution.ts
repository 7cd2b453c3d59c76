import type { LabelSelector } from '../api/autoscaling-v2.ts';
import { fnv32a } from '../placement/webster.ts';
import {
  MemberCluster,
  type MemberWorkload,
  type PodNaming,
  scalePods,
  type WorkloadKind,
} from './members.ts';
import type { KObject } from './object-store.ts';
import { safeEncode } from './prng.ts';

// Karmada's execution step, after the scheduler has divided a template's replicas (propagation.ts): each
// member's share is applied there (the execution controller's Work, collapsed into a direct write), and the
// member's own controllers create or delete pods to match (members.ts scalePods). A member that lost its
// share loses the workload and its pods.

export interface ExecutionContext {
  member(name: string): MemberCluster;
  members(): MemberCluster[];
  now(): number;
  startupDelayMs: number;
  naming: PodNaming;
}

/** What the execution step reads of a workload template's spec. */
export interface WorkloadSpec {
  selector?: LabelSelector;
  template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: ContainerObject[] } };
}

interface ContainerObject {
  name: string;
  image?: string;
  resources?: { requests?: Record<string, string | number> };
}

/** The execution step: every member gets its share; members without one lose the workload. */
export function syncMembers(
  ctx: ExecutionContext,
  kind: WorkloadKind,
  template: KObject,
  spec: WorkloadSpec,
  shares: Map<string, number>,
) {
  const namespace = template.metadata.namespace ?? '';
  const name = template.metadata.name;
  const key = MemberCluster.workloadKey(kind, namespace, name);
  const podTemplate = spec.template ?? {};
  const containers = (podTemplate.spec?.containers ?? []).map((c) => ({
    name: c.name,
    ...(c.image ? { image: c.image } : {}),
    ...(c.resources?.requests ? { requests: c.resources.requests } : {}),
  }));
  const templateHash = safeEncode(fnv32a(JSON.stringify(podTemplate)));
  for (const [clusterName] of shares) ctx.member(clusterName);
  for (const cluster of ctx.members()) {
    const replicas = shares.get(cluster.name);
    const old = cluster.workloads.get(key);
    if (replicas === undefined) {
      if (old) removeFromMember(cluster, kind, namespace, name);
      continue;
    }
    const w: MemberWorkload = {
      kind,
      namespace,
      name,
      replicas,
      podLabels: podTemplate.metadata?.labels ?? spec.selector?.matchLabels ?? {},
      containers,
      templateHash,
      generation: (old?.generation ?? 0) + (old && old.replicas === replicas ? 0 : 1),
    };
    cluster.workloads.set(key, w);
    scalePods(cluster, w, ctx.now(), ctx.startupDelayMs, ctx.naming);
  }
}

export function removeFromMember(
  cluster: MemberCluster,
  kind: WorkloadKind,
  namespace: string,
  name: string,
) {
  cluster.workloads.delete(MemberCluster.workloadKey(kind, namespace, name));
  for (const pod of cluster.podsOf({ kind, namespace, name }))
    cluster.pods.delete(`${namespace}/${pod.name}`);
}
