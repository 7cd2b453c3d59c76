// The second pass over missing and unready pods (replica_calculator.go): assumptions must never flip the
// direction of a scale. Cases built for the rules hpa-algorithm.md §2 lists; upstream covers them only
// indirectly (TestReplicaCalcMissingMetrics*, TestReplicaCalcDuringRollingUpdateWithMaxSurge).
import { describe, expect, it } from 'vitest';
import { symmetricTolerance } from '../../src/engine/defaults.ts';
import type { PodMetrics } from '../../src/engine/pods.ts';
import { resourceUtilizationReplicas } from '../../src/engine/replicas-resource.ts';
import type { PodInfo } from '../../src/engine/types.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const pod = (name: string): PodInfo => ({
  name,
  cluster: 'm1',
  phase: 'Running',
  ready: true,
  readyTransitionTime: NOW - 3_000_000,
  startTime: NOW - 3_600_000,
  containers: [{ name: 'c', requests: { cpu: '1' } }],
});

function utilization(levels: Record<string, number>, podNames: string[], current: number, target = 50) {
  const metrics: PodMetrics = new Map(
    Object.entries(levels).map(([n, v]) => [
      `m1/${n}`,
      { value: BigInt(v), timestamp: NOW - 10_000, window: 30_000 },
    ]),
  );
  return resourceUtilizationReplicas({
    currentReplicas: current,
    targetUtilization: target,
    resource: 'cpu',
    container: '',
    pods: podNames.map(pod),
    metrics,
    calibration: 1,
    tolerance: symmetricTolerance(0.1),
    timing: { now: NOW, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 },
  });
}

describe('rebalancing missing pods', () => {
  it('keeps the current count when a missing pod assumed at 100 % would turn a scale-down into a scale-up', () => {
    // ready pods at 40 % of a 50 % target (ratio 0.8); the missing pod counts 100 % → (40+40+100)/3 = 60 % → 1.2
    expect(utilization({ a: 400, b: 400 }, ['a', 'b', 'c'], 3)).toEqual({
      ok: true,
      replicas: 3,
      utilization: 40,
      rawUtilization: 400n,
    });
  });

  it('scales down when the missing pod only dampens the scale-down', () => {
    // ready pods at 10 % (ratio 0.2); the missing pod counts 100 % → 130/4 = 32 % → 0.64 → ceil(0.64 × 4) = 3
    expect(utilization({ a: 100, b: 100, c: 100 }, ['a', 'b', 'c', 'd'], 4)).toMatchObject({ replicas: 3 });
  });

  it('scales up counting a missing pod as idle', () => {
    // ready pods at 150 % (ratio 3); missing pod 0 % → 100 % → 2 → ceil(2 × 3) = 6
    expect(utilization({ a: 1500, b: 1500 }, ['a', 'b', 'c'], 3)).toMatchObject({ replicas: 6 });
  });
});
