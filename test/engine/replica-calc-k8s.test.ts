// Kubernetes' replica calculator cases (test/fixtures/engine/k8s-replica-calc.json), run through fhpa's
// per-metric computation with upstream's test harness conventions rebuilt as plain data.
import { describe, expect, it } from 'vitest';
import type { MetricSpec, MetricStatus } from '../../src/api/autoscaling-v2.ts';
import { symmetricTolerance } from '../../src/engine/defaults.ts';
import { computeMetric, type MetricContext } from '../../src/engine/metric-sources.ts';
import { GO_ZERO_TIME } from '../../src/engine/pods.ts';
import { formatMilli } from '../../src/engine/quantity.ts';
import type { MetricSamples, PodInfo } from '../../src/engine/types.ts';
import fixture from '../fixtures/engine/k8s-replica-calc.json' with { type: 'json' };

const NOW = Date.parse('2026-01-01T00:00:00Z');

interface Case {
  name: string;
  source: string;
  currentReplicas: number;
  expectedReplicas?: number;
  expectedError?: string;
  podReadiness?: string[];
  podStartTime?: string[];
  podPhase?: string[];
  podDeletionTimestamp?: boolean[];
  resource?: {
    name: string;
    requests: string[];
    levels: number[];
    podNames?: string[];
    targetUtilization: number;
    expectedUtilization?: number;
    expectedValue?: number;
  };
  metric?: {
    type: string;
    name: string;
    levels: number[];
    target?: number;
    perPodTarget?: number;
    expectedUtilization: number;
  };
}

function pods(tc: Case): PodInfo[] {
  const count = Math.max(tc.currentReplicas, tc.podPhase?.length ?? 0);
  return Array.from({ length: count }, (_, i) => {
    const start = tc.podStartTime?.[i];
    const request = tc.resource?.requests[i];
    const requests: Record<string, string> = request !== undefined ? { cpu: request } : {};
    return {
      name: `test-pod-${i}`,
      cluster: 'member1',
      phase: tc.podPhase?.[i] ?? 'Running',
      ready: (tc.podReadiness?.[i] ?? 'True') === 'True',
      startTime: start === 'hot' ? NOW : start === 'cool' ? NOW - 180_000 : GO_ZERO_TIME,
      ...(tc.podDeletionTimestamp?.[i] ? { deletionTimestamp: NOW } : {}),
      containers: [
        { name: 'container0', requests },
        { name: 'container1', requests },
      ],
    };
  });
}

const deployment = { kind: 'Deployment', name: 'some-deployment', apiVersion: 'apps/v1' };
const selector = { matchLabels: { label: 'value' } };

function specAndSamples(tc: Case): { spec: MetricSpec; samples: MetricSamples } {
  if (tc.resource) {
    const r = tc.resource;
    const byPod = Object.fromEntries(
      r.levels.map((level, i) => [
        r.podNames?.[i] ?? `test-pod-${i}`,
        {
          timestamp: GO_ZERO_TIME,
          window: 60_000,
          containers: { container0: `${level}m`, container1: `${level}m` },
        },
      ]),
    );
    return {
      spec: {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: r.targetUtilization } },
      },
      samples: { resource: { cpu: byPod } },
    };
  }
  const m = tc.metric!;
  const value = `${m.levels[0]}m`;
  switch (m.type) {
    case 'pods':
      return {
        spec: {
          type: 'Pods',
          pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: `${m.target}m` } },
        },
        samples: {
          pods: {
            qps: Object.fromEntries(
              m.levels.map((l, i) => [`test-pod-${i}`, { timestamp: GO_ZERO_TIME, value: `${l}m` }]),
            ),
          },
        },
      };
    case 'object':
    case 'objectPerPod':
      return {
        spec: {
          type: 'Object',
          object: {
            describedObject: deployment,
            metric: { name: 'qps' },
            target:
              m.type === 'object'
                ? { type: 'Value', value: `${m.target}m` }
                : { type: 'AverageValue', averageValue: `${m.perPodTarget}m` },
          },
        },
        samples: { object: { qps: { timestamp: GO_ZERO_TIME, value } } },
      };
    default:
      return {
        spec: {
          type: 'External',
          external: {
            metric: { name: 'qps', selector },
            target:
              m.type === 'external'
                ? { type: 'Value', value: `${m.target}m` }
                : { type: 'AverageValue', averageValue: `${m.perPodTarget}m` },
          },
        },
        samples: { external: { qps: { timestamp: GO_ZERO_TIME, values: m.levels.map((l) => `${l}m`) } } },
      };
  }
}

/** The status value upstream's test reads as "utilization", as fhpa reports it. */
function reported(status: MetricStatus): unknown {
  return (status.resource ?? status.pods ?? status.object ?? status.external)?.current;
}

function expectedCurrent(tc: Case): Record<string, unknown> {
  if (tc.resource) {
    return {
      averageUtilization: tc.resource.expectedUtilization,
      averageValue: formatMilli(BigInt(tc.resource.expectedValue ?? 0)),
    };
  }
  const m = tc.metric!;
  const v = formatMilli(BigInt(m.expectedUtilization));
  return m.type === 'object' || m.type === 'external' ? { value: v } : { averageValue: v };
}

describe('replica calculation: Kubernetes replica_calculator_test.go cases', () => {
  it.each((fixture.cases as Case[]).map((c) => [c.name, c] as const))('%s', (_name, tc) => {
    const { spec, samples } = specAndSamples(tc);
    const ctx: MetricContext = {
      currentReplicas: tc.currentReplicas,
      statusReplicas: tc.currentReplicas,
      calibration: 1,
      pods: pods(tc),
      samples,
      tolerance: symmetricTolerance(0.1),
      timing: { now: NOW, cpuInitializationPeriodMs: 120_000, initialReadinessDelayMs: 10_000 },
    };
    const out = computeMetric(spec, ctx);
    if (tc.expectedError !== undefined) {
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.error).toContain(tc.expectedError);
      return;
    }
    expect(out.ok ? { replicas: out.replicas, current: reported(out.status) } : out).toEqual({
      replicas: tc.expectedReplicas,
      current: expectedCurrent(tc),
    });
  });
});
