import { MemberCluster, podKey, renderPod, type WorkloadKind } from './members.ts';
import type { PropagationContext } from './propagation.ts';
import { matchesLabels, parseLabelSelector } from './selectors.ts';

// What the members run for a workload, read across all of them (pods as their API servers list them,
// replicas per member), and the one control tests have over those pods: holding some of them unready.

type MembersContext = Pick<PropagationContext, 'members' | 'now' | 'startupDelayMs'>;

/** Pods as the members' API servers show them now, optionally narrowed; each with its cluster. */
export function listPods(
  ctx: MembersContext,
  filter: { cluster?: string; namespace?: string; labelSelector?: string } = {},
) {
  const reqs = parseLabelSelector(filter.labelSelector ?? '');
  return ctx
    .members()
    .filter((m) => filter.cluster === undefined || m.name === filter.cluster)
    .flatMap((m) =>
      (filter.namespace === undefined ? [...m.pods.values()] : m.pods.inNamespace(filter.namespace))
        .filter(
          (p) =>
            (filter.namespace === undefined || p.namespace === filter.namespace) &&
            matchesLabels(reqs, p.labels),
        )
        .sort((a, b) => (podKey(a) < podKey(b) ? -1 : 1))
        .map((p) => ({
          cluster: m.name,
          pod: renderPod(
            p,
            ctx.now(),
            ctx.startupDelayMs,
            m.workloads.get(MemberCluster.workloadKey(p.ownerKind, p.namespace, p.ownerName))?.templateHash,
          ),
        })),
    );
}

/**
 * Holds `count` of a workload's pods (the first by cluster, then name) Running but not Ready, their readiness
 * probe failing from the start; the others go back to Ready. Pods created later start as usual.
 */
export function setPodsUnready(
  ctx: MembersContext,
  namespace: string,
  name: string,
  count: number,
  kind: WorkloadKind,
): void {
  let left = count;
  for (const m of ctx.members()) {
    for (const pod of m.podsOf({ kind, namespace, name })) {
      const held = left > 0;
      if (held) left--;
      if (Boolean(pod.heldUnready) !== held) m.pods.set(podKey(pod), { ...pod, heldUnready: held });
    }
  }
}

/** Replicas each member cluster runs for a workload, e.g. { member1: 5, member2: 5 }. */
export function memberReplicas(
  ctx: MembersContext,
  namespace: string,
  name: string,
  kind: WorkloadKind,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of ctx.members()) {
    const w = m.workloads.get(MemberCluster.workloadKey(kind, namespace, name));
    if (w) out[m.name] = w.replicas;
  }
  return out;
}
