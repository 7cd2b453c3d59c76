// `core`: one recommendation (src/engine/decide.ts) for a FederatedHPA with three metrics over 1,000 pods in
// ten member clusters, with a realistic stabilization history (issue 8: median under 1 ms).
//
// Baseline, measured in the same run and interleaved sample by sample so both see the same machine noise:
// `baselineUs` is JSON.parse(JSON.stringify(input)), the deep copy of this exact input. Every decision the
// pipeline makes starts by reading such an input (the history store and the CLI hand it over as JSON), so
// `ratio` = medianUs / baselineUs reads "a decision costs this many reads of its own input" and stays
// comparable across machines of different speeds.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MetricSpec } from '../src/api/autoscaling-v2.ts';
import { decide } from '../src/engine/decide.ts';
import type { History } from '../src/engine/history-types.ts';
import {
  type EngineInput,
  type MetricSamples,
  type PodInfo,
  type ResourceSample,
  uniformPod,
  type ValueSample,
} from '../src/engine/types.ts';
import type { Figures } from './benchmark.ts';
import { median, percentile, round } from './stats.ts';

export const CLUSTERS = Array.from({ length: 10 }, (_, i) => `member${i + 1}`);
export const POD_COUNT = 1000;
const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (s: number) => NOW - s * 1000;

/** mulberry32: a seeded generator, so every run decides on the same input. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METRICS: MetricSpec[] = [
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
  {
    type: 'Pods',
    pods: {
      metric: { name: 'http_requests_per_second' },
      target: { type: 'AverageValue', averageValue: '700m' },
    },
  },
  {
    type: 'External',
    external: {
      metric: { name: 'sqs_messages_visible', selector: { matchLabels: { queue: 'orders' } } },
      target: { type: 'AverageValue', averageValue: '30' },
    },
  },
];

/**
 * The pod mix of a busy rollout: most pods Running and long ready; some Pending, some still initializing
 * (recently started, not ready: unready for CPU), some Running without samples (missing), a few Failed or
 * being deleted (ignored). Every pod has an app container and a sidecar, both with CPU requests.
 */
function buildPods(rand: () => number): PodInfo[] {
  const pods: PodInfo[] = [];
  for (let i = 0; i < POD_COUNT; i++) {
    const cluster = CLUSTERS[i % CLUSTERS.length] as string;
    const hash = Math.floor(rand() * 0xfffff).toString(36);
    const base = {
      name: `web-7d9c6f8b5-${hash}${i}`,
      cluster,
      containers: [
        { name: 'app', requests: { cpu: '500m', memory: '512Mi' } },
        { name: 'istio-proxy', requests: { cpu: '100m', memory: '128Mi' } },
      ],
    };
    const kind = i % 50; // 2 % steps: deterministic shares of each state
    if (kind < 2) pods.push({ ...base, phase: 'Pending', ready: false });
    else if (kind < 4)
      pods.push({
        ...base,
        phase: 'Running',
        ready: false,
        readyTransitionTime: ago(20),
        startTime: ago(20),
      });
    else if (kind === 4) pods.push({ ...base, phase: 'Failed', ready: false, startTime: ago(7200) });
    else if (kind === 5)
      pods.push({ ...base, phase: 'Running', ready: true, startTime: ago(7200), deletionTimestamp: ago(5) });
    else
      pods.push({
        ...base,
        phase: 'Running',
        ready: true,
        readyTransitionTime: ago(3500 + Math.floor(rand() * 3000)),
        startTime: ago(3600 + Math.floor(rand() * 3000)),
      });
  }
  // As the adapter and the snapshot parser hand pods to the engine (uniformPod: one object shape).
  return pods.map(uniformPod);
}

/** Samples for every pod but the "missing" share (kind 6 and 7 of every 50 have none). */
function buildSamples(pods: PodInfo[], rand: () => number): MetricSamples {
  const cpu: Record<string, ResourceSample> = {};
  const rps: Record<string, ValueSample> = {};
  pods.forEach((p, i) => {
    const kind = i % 50;
    if (kind === 6 || kind === 7 || p.phase === 'Pending') return;
    const key = `${p.cluster}/${p.name}`;
    cpu[key] = {
      timestamp: ago(15),
      window: 30_000,
      containers: {
        app: `${300 + Math.floor(rand() * 300)}m`,
        'istio-proxy': `${10 + Math.floor(rand() * 40)}m`,
      },
    };
    rps[key] = { timestamp: ago(20), value: `${500 + Math.floor(rand() * 500)}m` };
  });
  return {
    resource: { cpu },
    pods: { http_requests_per_second: rps },
    external: {
      sqs_messages_visible: { timestamp: ago(30), values: CLUSTERS.map((_, i) => `${2800 + i * 7}`) },
    },
  };
}

/**
 * One decision every 10 s for the last hour (360 recommendations, rising load: the last minute's all ask for
 * more than the current 1,000), and the scale events of the last 30 min, so the decision scales up as far as
 * the policies allow.
 */
function buildHistory(rand: () => number): History {
  const recommendations = Array.from({ length: 360 }, (_, i) => ({
    timestamp: ago(3600 - i * 10),
    replicas: 930 + Math.floor((i * 160) / 360) + Math.floor(rand() * 10),
  }));
  const scaleUpEvents = Array.from({ length: 40 }, (_, i) => ({
    timestamp: ago(1800 - i * 45),
    replicaChange: 5,
  }));
  const scaleDownEvents = Array.from({ length: 20 }, (_, i) => ({
    timestamp: ago(1790 - i * 90),
    replicaChange: 3,
  }));
  return { recommendations, scaleUpEvents, scaleDownEvents };
}

export function buildCoreInput(): EngineInput {
  const rand = random(8);
  const pods = buildPods(rand);
  return {
    now: NOW,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 10,
      maxReplicas: 3000,
      metrics: METRICS,
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 60,
          selectPolicy: 'Max',
          policies: [
            { type: 'Pods', value: 50, periodSeconds: 60 },
            { type: 'Percent', value: 20, periodSeconds: 1800 },
          ],
        },
        scaleDown: {
          stabilizationWindowSeconds: 3600,
          selectPolicy: 'Min',
          policies: [
            { type: 'Percent', value: 10, periodSeconds: 600 },
            { type: 'Pods', value: 20, periodSeconds: 1800 },
          ],
        },
      },
    },
    currentReplicas: POD_COUNT,
    statusReplicas: POD_COUNT,
    calibration: 1,
    pods,
    metrics: buildSamples(pods, rand),
    history: buildHistory(rand),
  };
}

export interface CoreOptions {
  /** Timed decisions (each paired with one baseline); default 1000 (`npm run bench -- core --samples=N`). */
  samples?: number;
  /** Untimed decisions first, so V8 has optimised the engine; default 300 (`--warmup=N`). */
  warmup?: number;
}

/**
 * Bytes allocated by one decision: heapUsed after a full GC, then after one decision, median of many. One
 * decision allocates far less than the young generation, so no scavenge runs inside it to hide garbage.
 * Null when the runtime refuses to expose gc().
 */
function allocationPerDecision(input: EngineInput, rounds: number): number | null {
  let gc: (() => void) | undefined;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
  if (typeof gc !== 'function') return null;
  const bytes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = decide(input);
    const after = process.memoryUsage().heapUsed;
    if (kept.desiredReplicas < 0) throw new Error('unreachable: keeps the decision alive until measured');
    bytes.push(after - before);
  }
  return median(bytes);
}

export const core = {
  name: 'core',
  description: 'one recommendation for 1,000 pods in 10 clusters, 3 metrics (median under 1 ms)',
  async run(opts: CoreOptions = {}): Promise<Figures> {
    const samples = opts.samples ?? 1000;
    const warmup = opts.warmup ?? 300;
    const input = buildCoreInput();
    const first = decide(input);
    let sink = 0;
    for (let i = 0; i < warmup; i++) {
      sink += decide(input).desiredReplicas;
      sink += JSON.parse(JSON.stringify(input)).currentReplicas;
    }
    const decisionNs: number[] = [];
    const baselineNs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = process.hrtime.bigint();
      sink += decide(input).desiredReplicas;
      const t1 = process.hrtime.bigint();
      sink += JSON.parse(JSON.stringify(input)).currentReplicas;
      const t2 = process.hrtime.bigint();
      decisionNs.push(Number(t1 - t0));
      baselineNs.push(Number(t2 - t1));
    }
    if (sink === 0) throw new Error('unreachable: the results are used so no work is optimised away');
    const medianUs = median(decisionNs) / 1000;
    const baselineUs = median(baselineNs) / 1000;
    return {
      medianUs: round(medianUs, 1),
      p99Us: round(percentile(decisionNs, 99) / 1000, 1),
      baselineUs: round(baselineUs, 1),
      ratio: round(medianUs / baselineUs),
      allocBytesPerDecision: allocationPerDecision(input, 50),
      samples,
      pods: input.pods.length,
      desiredReplicas: first.desiredReplicas,
    };
  },
};

export default core;
