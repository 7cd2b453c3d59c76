import { formatMilli, milliValue } from '../engine/quantity.ts';
import type { ContainerSpec, MemberCluster } from './members.ts';
import type { KObject } from './object-store.ts';

// What a member can still run, as Karmada sees it: the cluster status controller reports the member's
// capacity in Cluster status.resourceSummary (cluster_status_controller.go: allocatable from its nodes,
// allocated from its scheduled pods' requests, allocating from pods not yet bound to a node), and the
// scheduler's general estimator answers from it (pkg/estimator/client/general.go#maxAvailableReplicas): the
// pods still allowed (allocatable − allocated − allocating), capped for every resource a replica requests at
// (allocatable − allocated − allocating) ÷ request. Simplifications: the summary is computed when read (Karmada
// refreshes it every cluster-status-update-frequency, 10 s by default); every simulated pod is bound to a
// node at once, so nothing is allocating; no allocatable modelings (the estimator's fallback path).

export type Resources = Record<string, string>;

/** A member's default allocatable: room enough that only a test that sets less meets a limit. */
export const DEFAULT_ALLOCATABLE: Resources = { cpu: '1000', memory: '4000Gi', pods: '5000' };

const RESOURCES = ['cpu', 'memory', 'pods'] as const;

/** Requests summed over containers, in milli-units, per resource (pods counts 1 per pod). */
export function podRequests(containers: readonly ContainerSpec[]): Map<string, bigint> {
  const out = new Map<string, bigint>([['pods', 1000n]]);
  for (const c of containers)
    for (const [name, q] of Object.entries(c.requests ?? {}))
      out.set(name, (out.get(name) ?? 0n) + milliValue(q));
  return out;
}

/** resourceSummary of a member now: allocatable as set, allocated from its pods' requests. */
export function resourceSummary(member: MemberCluster, allocatable: Resources) {
  const allocated = member.pods.allocated; // kept summed as pods come and go (pod-map.ts)
  const format = (m: ReadonlyMap<string, bigint>) =>
    Object.fromEntries(
      [...m]
        .filter(([n]) => (RESOURCES as readonly string[]).includes(n) || n in allocatable)
        .map(([n, v]) => [n, formatMilli(v)]),
    );
  return { allocatable: { ...allocatable }, allocated: format(allocated), allocating: {} };
}

type Summary = ReturnType<typeof resourceSummary>;

const milliOf = (r: Record<string, string> | undefined, name: string) =>
  r?.[name] === undefined ? 0n : milliValue(r[name]);

/** general.go#maxAvailableReplicas: 0 without a summary; the allowed pods without requirements. */
export function maxAvailableReplicas(summary: Summary | undefined, request: Map<string, bigint>): number {
  if (!summary) return 0;
  const free = (name: string) =>
    milliOf(summary.allocatable, name) - milliOf(summary.allocated, name) - milliOf(summary.allocating, name);
  let max = free('pods') / 1000n;
  if (max <= 0n) return 0;
  for (const [name, milli] of request) {
    if (name === 'pods' || milli <= 0n) continue;
    // A resource the member does not report cannot be given (allocatable 0).
    const n = free(name) / milli;
    if (n < max) max = n;
  }
  return Number(max < 0n ? 0n : max);
}

export const summaryOf = (cluster: Readonly<KObject> | undefined): Summary | undefined =>
  (cluster?.status as { resourceSummary?: Summary } | undefined)?.resourceSummary;
