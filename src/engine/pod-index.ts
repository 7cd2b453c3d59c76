// The pods of one decision indexed for its per-pod metrics, and per-pod samples matched to pods. Pods are
// identified by cluster AND name: Karmada keys them by name alone and loses same-named pods of two clusters
// (karmada issue 4257).

import type { PodInfo } from './types.ts';

export const podKey = (pod: Pick<PodInfo, 'cluster' | 'name'>): string => `${pod.cluster}/${pod.name}`;

/**
 * A pod as the per-pod loops read it. Inputs come in many object shapes (whichever optional fields each pod
 * carries), and V8 reads fields of differently shaped objects through its slowest path: in a 1,000-pod
 * decision those reads, repeated for every metric, cost more than the arithmetic. Copying each pod once into
 * this one shape makes every later read cheap.
 */
export interface PodView {
  key: string;
  name: string;
  cluster: string;
  phase: string;
  ready: boolean | null;
  readyTransitionTime: number | undefined;
  startTime: number | undefined;
  deleted: boolean;
  containers: PodInfo['containers'];
  initContainers: NonNullable<PodInfo['initContainers']>;
}

/** The pods of one decision, read once and keyed once for all its per-pod metrics. */
export interface PodIndex {
  pods: PodInfo[];
  /** views[i] reads pods[i]; views[i].key = podKey(pods[i]). */
  views: PodView[];
  known: Set<string>;
  /** Pods by bare name, built on the first bare sample key (samples are usually keyed "cluster/name"). */
  byName?: Map<string, PodInfo[]>;
}

export function indexPods(pods: PodInfo[]): PodIndex {
  const views = pods.map((p): PodView => {
    const { name, cluster } = p;
    return {
      key: `${cluster}/${name}`, // podKey, from the fields already read
      name,
      cluster,
      phase: p.phase,
      ready: p.ready,
      readyTransitionTime: p.readyTransitionTime,
      startTime: p.startTime,
      deleted: p.deletionTimestamp !== undefined,
      containers: p.containers,
      initContainers: p.initContainers ?? [],
    };
  });
  return { pods, views, known: new Set(views.map((v) => v.key)) };
}

function podsNamed(index: PodIndex, name: string): PodInfo[] {
  if (!index.byName) {
    index.byName = new Map();
    for (const p of index.pods) {
      const list = index.byName.get(p.name);
      if (list) list.push(p);
      else index.byName.set(p.name, [p]);
    }
  }
  return index.byName.get(name) ?? [];
}

/**
 * Re-keys per-pod samples to `"cluster/name"` by the rule documented on MetricSamples (types.ts).
 * Returns an error naming the first bare key that matches same-named pods in several clusters.
 */
export function resolveSampleKeys<T>(
  samples: Record<string, T>,
  pods: PodInfo[],
  index: PodIndex = indexPods(pods),
): { ok: true; samples: Map<string, T> } | { ok: false; error: string } {
  const resolved = resolveSampleEntries(samples, index);
  if (!resolved.ok) return resolved;
  return { ok: true, samples: new Map(resolved.keys.map((key, i) => [key, resolved.samples[i] as T])) };
}

/**
 * resolveSampleKeys as parallel arrays, for the per-pod metrics that turn each sample into a value anyway. No
 * two samples resolve to one key: a bare key is re-keyed only when its full key is absent, and a key kept
 * as it is matches no pod at all.
 */
export function resolveSampleEntries<T>(
  samples: Record<string, T>,
  index: PodIndex,
): { ok: true; keys: string[]; samples: T[] } | { ok: false; error: string } {
  const keys: string[] = [];
  const values: T[] = [];
  // Object.keys and an indexed loop: a thousand-key record is in dictionary mode, where for-in is slower.
  const sampleKeys = Object.keys(samples);
  for (let k = 0; k < sampleKeys.length; k++) {
    const key = sampleKeys[k] as string;
    const sample = samples[key] as T;
    if (index.known.has(key)) {
      keys.push(key);
      values.push(sample);
      continue;
    }
    const matches = podsNamed(index, key);
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
      if (full in samples) continue;
      keys.push(full);
      values.push(sample);
    } else {
      keys.push(key); // a sample of a pod we do not know: kept, like upstream
      values.push(sample);
    }
  }
  return { ok: true, keys, samples: values };
}
