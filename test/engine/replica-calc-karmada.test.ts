// Karmada's lifted replica calculator cases, calibration included (test/fixtures/engine/karmada-replica-calc.json).
import { describe, expect, it } from 'vitest';
import type { MetricSpec, MetricStatus } from '../../src/api/autoscaling-v2.ts';
import { symmetricTolerance } from '../../src/engine/defaults.ts';
import { computeMetric } from '../../src/engine/metric-sources.ts';
import { GO_ZERO_TIME } from '../../src/engine/pods.ts';
import type { MetricSamples, PodInfo } from '../../src/engine/types.ts';
import fixture from '../fixtures/engine/karmada-replica-calc.json' with { type: 'json' };

const NOW = Date.parse('2026-01-01T00:00:00Z');

interface Case {
  name: string;
  source: string;
  kind: 'utilization' | 'raw' | 'pods' | 'object' | 'objectPerPod';
  currentReplicas?: number;
  statusReplicas?: number;
  target: number;
  pods?: { name: string; request: number; ready: boolean; phase: string }[];
  metrics?: Record<string, number>;
  value?: number;
  calibration: number;
  expectedReplicas?: number;
  expectedUtilization?: number;
  expectedRaw?: number;
  expectedUsage?: number;
  expectedValue?: number;
  expectedError?: string;
}

/** Upstream's createPod / createUnreadyPod. */
function pods(tc: Case): PodInfo[] {
  return (tc.pods ?? []).map((p) => ({
    name: p.name,
    cluster: 'member1',
    phase: p.phase,
    ready: p.ready,
    startTime: NOW - 3_600_000,
    containers: [{ name: 'test-container', requests: { cpu: `${p.request}m` } }],
  }));
}

const service = { kind: 'Service', name: 'my-svc' };

function specAndSamples(tc: Case): { spec: MetricSpec; samples: MetricSamples } {
  const perPod = (v: number) => `${v}m`;
  const byPod = Object.fromEntries(Object.entries(tc.metrics ?? {}).map(([pod, v]) => [pod, v]));
  switch (tc.kind) {
    case 'utilization':
    case 'raw':
      return {
        spec: {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target:
              tc.kind === 'raw'
                ? { type: 'AverageValue', averageValue: perPod(tc.target) }
                : { type: 'Utilization', averageUtilization: tc.target },
          },
        },
        samples: {
          resource: {
            cpu: Object.fromEntries(
              Object.entries(byPod).map(([pod, v]) => [
                pod,
                { timestamp: GO_ZERO_TIME, window: 0, containers: { 'test-container': perPod(v) } },
              ]),
            ),
          },
        },
      };
    case 'pods':
      return {
        spec: {
          type: 'Pods',
          pods: {
            metric: { name: 'custom_metric' },
            target: { type: 'AverageValue', averageValue: perPod(tc.target) },
          },
        },
        samples: {
          pods: {
            custom_metric: Object.fromEntries(
              Object.entries(byPod).map(([pod, v]) => [pod, { timestamp: GO_ZERO_TIME, value: perPod(v) }]),
            ),
          },
        },
      };
    default:
      return {
        spec: {
          type: 'Object',
          object: {
            describedObject: service,
            metric: { name: 'queue_length' },
            target:
              tc.kind === 'object'
                ? { type: 'Value', value: perPod(tc.target) }
                : { type: 'AverageValue', averageValue: perPod(tc.target) },
          },
        },
        samples:
          tc.value === undefined
            ? {}
            : { object: { queue_length: { timestamp: NOW, value: perPod(tc.value) } } },
      };
  }
}

function expected(tc: Case): { replicas: number | undefined; status: MetricStatus } {
  const m = (v: number | undefined) => `${v}m`.replace(/^0m$/, '0');
  switch (tc.kind) {
    case 'utilization':
      return {
        replicas: tc.expectedReplicas,
        status: {
          type: 'Resource',
          resource: {
            name: 'cpu',
            current: { averageUtilization: tc.expectedUtilization, averageValue: m(tc.expectedRaw) },
          },
        },
      };
    case 'raw':
      return {
        replicas: tc.expectedReplicas,
        status: {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageValue: m(tc.expectedUsage) } },
        },
      };
    case 'pods':
      return {
        replicas: tc.expectedReplicas,
        status: {
          type: 'Pods',
          pods: { metric: { name: 'custom_metric' }, current: { averageValue: m(tc.expectedUsage) } },
        },
      };
    case 'object':
      return {
        replicas: tc.expectedReplicas,
        status: {
          type: 'Object',
          object: {
            describedObject: service,
            metric: { name: 'queue_length' },
            current: { value: m(tc.expectedValue) },
          },
        },
      };
    default:
      return {
        replicas: tc.expectedReplicas,
        status: {
          type: 'Object',
          object: {
            describedObject: service,
            metric: { name: 'queue_length' },
            current: { averageValue: m(tc.expectedUsage) },
          },
        },
      };
  }
}

describe('replica calculation: Karmada federatedhpa replica_calculator_test.go cases', () => {
  it.each((fixture.cases as Case[]).map((c) => [c.name, c] as const))('%s', (_name, tc) => {
    const { spec, samples } = specAndSamples(tc);
    const out = computeMetric(spec, {
      currentReplicas: tc.currentReplicas ?? 0,
      statusReplicas: tc.statusReplicas ?? tc.currentReplicas ?? 0,
      calibration: tc.calibration,
      pods: pods(tc),
      samples,
      tolerance: symmetricTolerance(0.1),
      timing: { now: NOW, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 },
    });
    if (tc.expectedError !== undefined) {
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.error).toContain(tc.expectedError);
      return;
    }
    expect(out.ok ? { replicas: out.replicas, status: out.status } : out).toEqual(expected(tc));
  });
});
