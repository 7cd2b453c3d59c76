// Which pods count, and how much they request. Mirrors replica_calculator.go groupPods / calculatePodRequests /
// getReadyPodsCount (Karmada's lifted copy in pkg/controllers/federatedhpa/replica_calculator.go), with pods
// identified by cluster AND name: Karmada keys them by name alone and loses same-named pods of two clusters
// (karmada issue 4257).

import { indexPods, type PodIndex, type PodView } from './pod-index.ts';
import { milliValue } from './quantity.ts';
import type { PodInfo } from './types.ts';

export { indexPods, type PodIndex, podKey, resolveSampleEntries, resolveSampleKeys } from './pod-index.ts';

/** Go's zero time.Time, for a Ready condition without lastTransitionTime. */
export const GO_ZERO_TIME = -62135596800000;

/** One pod's sample, value in milli-units. */
export interface PodMetric {
  value: bigint;
  timestamp: number;
  window: number;
}

export type PodMetrics = Map<string, PodMetric>;

export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

export interface ReadinessTiming {
  now: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

/**
 * groupPods: deleted or Failed → ignored; Pending → unready; no sample → missing; for `cpu` only, pods that
 * are not ready yet or whose sample may include start-up CPU are unready. All comparisons are strict like
 * Go's time.After / time.Before.
 */
export function groupPods(
  pods: PodInfo[],
  metrics: PodMetrics,
  resource: string,
  t: ReadinessTiming,
  index: PodIndex = indexPods(pods),
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of index.views) {
    const key = pod.key;
    if (pod.deleted || pod.phase === 'Failed') {
      groups.ignored.add(key);
      continue;
    }
    if (pod.phase === 'Pending') {
      groups.unready.add(key);
      continue;
    }
    const metric = metrics.get(key);
    if (!metric) {
      groups.missing.add(key);
      continue;
    }
    if (resource === 'cpu' && isUnreadyForCPU(pod, metric, t)) {
      groups.unready.add(key);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

function isUnreadyForCPU(pod: PodView, metric: PodMetric, t: ReadinessTiming): boolean {
  if (pod.ready === null || pod.startTime === undefined) return true;
  const transition = pod.readyTransitionTime ?? GO_ZERO_TIME;
  if (pod.startTime + t.cpuInitializationPeriodMs > t.now) {
    // Still initializing: ignore the sample if the pod is unready or no full window passed since it turned ready.
    return pod.ready === false || metric.timestamp < transition + metric.window;
  }
  // After initialization: ignore the pod only if it is unready and has never been ready.
  return pod.ready === false && pod.startTime + t.initialReadinessDelayMs > transition;
}

/**
 * Requests per pod in milli-units: the named container's, or the sum over all containers plus restartable
 * (sidecar) init containers. Sidecars and the "container not found" error follow current Kubernetes
 * (calculateRequests); Karmada's 1.27 copy skips sidecars and silently counts an absent container as 0, which
 * inflates utilization.
 */
export function calculatePodRequests(
  pods: PodInfo[],
  container: string,
  resource: string,
  index: PodIndex = indexPods(pods),
): { ok: true; requests: Map<string, bigint> } | { ok: false; error: string } {
  const requests = new Map<string, bigint>();
  // The pods of one workload share their requests: each distinct text is parsed once.
  const parsed = new Map<string, bigint>();
  const milli = (text: string): bigint => {
    let v = parsed.get(text);
    if (v === undefined) {
      v = milliValue(text);
      parsed.set(text, v);
    }
    return v;
  };
  for (const pod of index.views) {
    let sum = 0n;
    let found = false;
    for (const c of pod.containers) {
      if (container !== '' && c.name !== container) continue;
      found = true;
      const request = c.requests[resource];
      if (request === undefined) return missingRequest(resource, c.name, pod.name);
      sum += milli(request);
    }
    if (container === '') {
      for (const c of pod.initContainers) {
        if (c.restartPolicy !== 'Always') continue;
        const request = c.requests[resource];
        if (request === undefined) return missingRequest(resource, c.name, pod.name);
        sum += milli(request);
      }
    } else if (!found) {
      return { ok: false, error: `container ${container} not found in Pod ${pod.name}` };
    }
    requests.set(pod.key, sum);
  }
  return { ok: true, requests };
}

const missingRequest = (resource: string, container: string, pod: string) =>
  ({ ok: false, error: `missing request for ${resource} in container ${container} of Pod ${pod}` }) as const;

/** getReadyPodsCount: Running pods whose Ready condition is True (Object and External Value targets). */
export function readyPodsCount(pods: PodInfo[]): { ok: true; count: number } | { ok: false; error: string } {
  if (pods.length === 0)
    return { ok: false, error: 'no pods returned by selector while calculating replica count' };
  return { ok: true, count: pods.filter((p) => p.phase === 'Running' && p.ready === true).length };
}
