// Which pods count, and how much they request. Mirrors replica_calculator.go groupPods / calculatePodRequests /
// getReadyPodsCount (Karmada's lifted copy in pkg/controllers/federatedhpa/replica_calculator.go), with pods
// identified by cluster AND name: Karmada keys them by name alone and loses same-named pods of two clusters
// (karmada issue 4257).

import { milliValue } from './quantity.ts';
import type { PodInfo } from './types.ts';

/** Go's zero time.Time, for a Ready condition without lastTransitionTime. */
export const GO_ZERO_TIME = -62135596800000;

export const podKey = (pod: Pick<PodInfo, 'cluster' | 'name'>): string => `${pod.cluster}/${pod.name}`;

/** One pod's sample, value in milli-units. */
export interface PodMetric {
  value: bigint;
  timestamp: number;
  window: number;
}

export type PodMetrics = Map<string, PodMetric>;

/**
 * Re-keys per-pod samples to `"cluster/name"` by the rule documented on MetricSamples (types.ts).
 * Returns an error naming the first bare key that matches same-named pods in several clusters.
 */
export function resolveSampleKeys<T>(
  samples: Record<string, T>,
  pods: PodInfo[],
): { ok: true; samples: Map<string, T> } | { ok: false; error: string } {
  const byName = new Map<string, PodInfo[]>();
  const known = new Set<string>();
  for (const p of pods) {
    known.add(podKey(p));
    const list = byName.get(p.name);
    if (list) list.push(p);
    else byName.set(p.name, [p]);
  }
  const out = new Map<string, T>();
  for (const [key, sample] of Object.entries(samples)) {
    if (known.has(key)) {
      out.set(key, sample);
      continue;
    }
    const matches = byName.get(key) ?? [];
    const [only] = matches;
    if (matches.length > 1) {
      const clusters = [...new Set(matches.map((p) => p.cluster))].sort().join(', ');
      return {
        ok: false,
        error: `sample "${key}" matches pods named ${key} in clusters ${clusters}; key it as "cluster/name"`,
      };
    }
    if (only) {
      const full = podKey(only);
      if (!(full in samples)) out.set(full, sample);
    } else out.set(key, sample); // a sample of a pod we do not know: kept, like upstream
  }
  return { ok: true, samples: out };
}

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
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const key = podKey(pod);
    if (pod.deletionTimestamp !== undefined || pod.phase === 'Failed') {
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

function isUnreadyForCPU(pod: PodInfo, metric: PodMetric, t: ReadinessTiming): boolean {
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
): { ok: true; requests: Map<string, bigint> } | { ok: false; error: string } {
  const requests = new Map<string, bigint>();
  for (const pod of pods) {
    const candidates = [
      ...pod.containers,
      ...(container === '' ? (pod.initContainers ?? []).filter((c) => c.restartPolicy === 'Always') : []),
    ];
    let sum = 0n;
    let found = false;
    for (const c of candidates) {
      if (container !== '' && c.name !== container) continue;
      found = true;
      const request = c.requests[resource];
      if (request === undefined) {
        return {
          ok: false,
          error: `missing request for ${resource} in container ${c.name} of Pod ${pod.name}`,
        };
      }
      sum += milliValue(request);
    }
    if (container !== '' && !found) {
      return { ok: false, error: `container ${container} not found in Pod ${pod.name}` };
    }
    requests.set(podKey(pod), sum);
  }
  return { ok: true, requests };
}

/** getReadyPodsCount: Running pods whose Ready condition is True (Object and External Value targets). */
export function readyPodsCount(pods: PodInfo[]): { ok: true; count: number } | { ok: false; error: string } {
  if (pods.length === 0)
    return { ok: false, error: 'no pods returned by selector while calculating replica count' };
  return { ok: true, count: pods.filter((p) => p.phase === 'Running' && p.ready === true).length };
}
