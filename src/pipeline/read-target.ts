import type { CrossVersionObjectReference, MetricSpec } from '../api/autoscaling-v2.ts';
import type { PodInfo } from '../engine/types.ts';
import type { TargetReads } from '../karmada/adapter.ts';
import { isPermanent, KarmadaStateError, mayRetry } from '../karmada/errors.ts';
import { type Placement, placementOf } from '../karmada/placement.ts';
import type { TargetScale } from '../karmada/scale.ts';
import {
  type GatheredMetrics,
  gatherMetrics,
  type MetricFetchError,
  type PodGroup,
  type PromqlBinding,
} from './gather-metrics.ts';
import { errText } from './report.ts';

// What one evaluation reads before it decides, with the reads that do not depend on each other in parallel,
// so an alert waits for three Karmada round trips before the decision (the FederatedHPA; then its target's
// scale ∥ its ResourceBinding ∥ the Ready clusters; then the member scales ∥ the pods ∥ the metrics) and a
// fourth for the scale PATCH.
//
// Pods and metrics are read with the template scale's selector, which propagated Deployments and
// StatefulSets share with their members. Karmada's controller reads each member's scale selector instead
// (federatedhpa_controller.go#scaleForTargetCluster lists each member's pods with `scale.Status.Selector` of
// that member, skipping a member whose scale has none with SelectorRequired): when the template's scale has
// no selector (a custom resource whose status Karmada does not aggregate), fhpa does the same, one round trip
// later, instead of stopping at "missing a selector". Departure: Karmada reads metrics with the first
// member's selector for all members; fhpa reads each member's metrics with that member's selector.

export interface TargetState {
  scale: TargetScale;
  placement: Placement;
  /** The clusters whose pods and metrics were read. */
  clusters: string[];
  pods: PodInfo[];
  gathered: { metrics: GatheredMetrics; errors: MetricFetchError[] };
}

/** Why the evaluation stops before deciding: a condition reason, the event's, and whether to retry. */
export interface ReadFailure {
  failed: true;
  reason: string;
  event: string;
  message: string;
  retryable: boolean;
  /** The selector was missing: Karmada records only the event (SelectorRequired), no status. */
  noSelector?: boolean;
}

export interface ReadTargetOptions {
  readyClusters?: ReadonlySet<string>;
  metrics: MetricSpec[];
  promql?: PromqlBinding;
}

export async function readTarget(
  reads: TargetReads,
  namespace: string,
  target: CrossVersionObjectReference,
  opts: ReadTargetOptions,
): Promise<TargetState | ReadFailure> {
  const [scaleRead, boundRead] = await Promise.allSettled([
    reads.getScale(namespace, target),
    reads.getTargetClusters(
      namespace,
      target,
      opts.readyClusters ? { readyClusters: opts.readyClusters } : {},
    ),
  ]);
  if (scaleRead.status === 'rejected') {
    const err = scaleRead.reason;
    return failure(
      'FailedGetScale',
      'FailedGetScale',
      `the HPA controller was unable to get the target's current scale: ${errText(err)}`,
      mayRetry(err),
    );
  }
  if (boundRead.status === 'rejected') return placementFailure(boundRead.reason);
  const scale = scaleRead.value;
  const bound = boundRead.value;
  const readPodsAndMetrics = (groups: PodGroup[]) =>
    Promise.all([
      Promise.all(groups.map((g) => reads.listPods(namespace, g.selector, g.clusters))).then(
        (p) => ({ pods: p.flat() }),
        (error: unknown) => ({ error }),
      ),
      gatherMetrics(reads, namespace, groups, opts.metrics, opts.promql),
    ] as const);

  const templateGroups = scale.selector ? [{ selector: scale.selector, clusters: bound.clusters }] : [];
  // With the template's selector, pods and metrics are read beside the member scales (an alert's critical path).
  const [membersRead, early] = await Promise.all([
    reads.getMemberScales(namespace, target, bound.clusters).then(
      (m) => ({ members: m }),
      (error: unknown) => ({ error }),
    ),
    templateGroups.length > 0 ? readPodsAndMetrics(templateGroups) : undefined,
  ]);
  if ('error' in membersRead) return placementFailure(membersRead.error);
  let placement: Placement;
  try {
    placement = placementOf(membersRead.members, scale.replicas, bound.binding);
  } catch (err) {
    return placementFailure(err);
  }
  const clusters = placement.clusters.map((c) => c.name);
  const groups = scale.selector
    ? [{ selector: scale.selector, clusters }]
    : groupBySelector(placement.clusters.filter((c) => c.selector !== ''));
  if (groups.length === 0)
    return {
      ...failure(
        'InvalidSelector',
        'SelectorRequired',
        "the HPA target's scale is missing a selector",
        false,
      ),
      noSelector: true,
    };
  // A member skipped for its scale (the workload is not there) has its pods left out too, as Karmada does: in
  // that rare case they are read again for the members that count, one round trip later.
  const same = early !== undefined && clusters.length === bound.clusters.length;
  const [podsRead, gathered] = same ? early : await readPodsAndMetrics(groups);
  if ('error' in podsRead) {
    const err = podsRead.error;
    return failure('FailedGetScale', 'FailedGetScale', `listing pods: ${errText(err)}`, !isPermanent(err));
  }
  return { scale, placement, clusters, pods: podsRead.pods, gathered };
}

/** Members sharing a selector, read together (one group when the template's selector serves them all). */
function groupBySelector(members: { name: string; selector: string }[]): PodGroup[] {
  const groups = new Map<string, string[]>();
  for (const m of members) groups.set(m.selector, [...(groups.get(m.selector) ?? []), m.name]);
  return [...groups].map(([selector, clusters]) => ({ selector, clusters }));
}

// Karmada's state (no binding, no schedulable cluster) names its own reason; an API failure here is a member's
// scale that could not be read. A member refusing fhpa (member-permission.ts) is permanent: only an RBAC change
// can fix it.
function placementFailure(err: unknown): ReadFailure {
  const reason = err instanceof KarmadaStateError ? err.reason : 'FailedGetScale';
  const event = reason === 'FailedGetBinding' ? 'FailedGetBindings' : reason;
  return failure(reason, event, errText(err), mayRetry(err));
}

const failure = (reason: string, event: string, message: string, retryable: boolean): ReadFailure => ({
  failed: true,
  reason,
  event,
  message,
  retryable,
});
