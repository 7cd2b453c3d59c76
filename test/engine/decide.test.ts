// Whole decisions: the reconcile-level rules of Karmada's reconcileAutoscaler / Kubernetes' horizontal.go,
// and where fhpa goes beyond Karmada (per-HPA tolerance, External metrics, pods keyed by cluster and name).
import { describe, expect, it } from 'vitest';
import type { Condition, MetricSpec } from '../../src/api/autoscaling-v2.ts';
import type { FederatedHPASpec } from '../../src/api/federatedhpa.ts';
import { decide } from '../../src/engine/decide.ts';
import type { History } from '../../src/engine/history-types.ts';
import type { EngineInput, PodInfo } from '../../src/engine/types.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const T = '2026-01-01T00:00:00Z';
const ago = (s: number) => NOW - s * 1000;
const empty = (): History => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });

const cpu = (target: number): MetricSpec => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
});
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' };

/** Running, long-ready pods across member1/member2 requesting `request` milli-CPU, using levels[i]. */
function cpuInput(o: {
  current: number;
  levels: number[];
  request?: number;
  spec: Omit<FederatedHPASpec, 'scaleTargetRef'>;
  history?: History;
  calibration?: number;
  conditions?: Condition[];
  extraMetrics?: EngineInput['metrics'];
}): EngineInput {
  const pods: PodInfo[] = o.levels.map((_, i) => ({
    name: `app-${i}`,
    cluster: i % 2 === 0 ? 'member1' : 'member2',
    phase: 'Running',
    ready: true,
    readyTransitionTime: ago(3590),
    startTime: ago(3600),
    containers: [{ name: 'app', requests: { cpu: `${o.request ?? 1000}m` } }],
  }));
  return {
    now: NOW,
    spec: { scaleTargetRef: ref, ...o.spec },
    currentReplicas: o.current,
    ...(o.calibration !== undefined ? { calibration: o.calibration } : {}),
    pods,
    metrics: {
      resource: {
        cpu: Object.fromEntries(
          o.levels.map((l, i) => [
            `${pods[i]?.cluster}/app-${i}`,
            { timestamp: ago(10), window: 30_000, containers: { app: `${l}m` } },
          ]),
        ),
      },
      ...o.extraMetrics,
    },
    history: o.history ?? empty(),
    ...(o.conditions ? { conditions: o.conditions } : {}),
  };
}

const brief = (cs: Condition[]) => cs.map((c) => `${c.type}=${c.status}/${c.reason}`);

describe('decide: reconcile-level rules', () => {
  it('holds a first scale-down with the initial recommendation (horizontal_test.go#TestScaleDownStabilizeInitialSize)', () => {
    const d = decide(
      cpuInput({
        current: 5,
        levels: [100, 300, 500, 250, 250],
        spec: { minReplicas: 2, maxReplicas: 6, metrics: [cpu(50)] },
      }),
    );
    expect([d.desiredReplicas, d.rescale]).toEqual([5, false]);
    expect(brief(d.conditions)).toEqual([
      'AbleToScale=True/ScaleDownStabilized',
      'ScalingActive=True/ValidMetricFound',
      'ScalingLimited=False/DesiredWithinRange',
    ]);
    expect(d.history.recommendations).toEqual([
      { timestamp: NOW, replicas: 5 },
      { timestamp: NOW, replicas: 3 },
    ]);
  });

  it('scales up on the valid metric when another fails (horizontal_test.go#TestScaleUpOneMetricEmpty)', () => {
    const d = decide(
      cpuInput({
        current: 3,
        levels: [300, 400, 500],
        spec: {
          minReplicas: 2,
          maxReplicas: 6,
          metrics: [
            cpu(30),
            {
              type: 'External',
              external: { metric: { name: 'qps', selector: {} }, target: { type: 'Value', value: '100m' } },
            },
          ],
        },
      }),
    );
    expect([d.desiredReplicas, d.rescale, d.reason]).toEqual([
      4,
      true,
      'cpu resource utilization (percentage of request) above target',
    ]);
    expect(d.error).toBe(
      'invalid metrics (1 invalid out of 2), first error is: failed to get qps external metric: unable to get external metric qps: no metrics returned from external metrics API',
    );
    expect(d.metricRecommendations).toEqual([
      { type: 'Resource', name: 'cpu', replicas: 4 },
      {
        type: 'External',
        name: 'qps',
        error:
          'failed to get qps external metric: unable to get external metric qps: no metrics returned from external metrics API',
      },
    ]);
    expect(d.currentMetrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: 40, averageValue: '400m' } },
      },
      { type: '' },
    ]);
    expect(brief(d.conditions)).toContain('ScalingActive=True/ValidMetricFound');
  });

  // Kubernetes' test expects a stabilized scale-down here; Karmada (lifted from 1.27) refuses any scale-down
  // while a metric is invalid, and fhpa follows Karmada.
  it.each([
    [
      'an unknown metric type (TestNoScaleDownOneMetricInvalid)',
      { type: 'CheddarCheese' },
      'InvalidMetricSourceType',
    ],
    [
      'an External metric without samples (TestNoScaleDownOneMetricEmpty)',
      {
        type: 'External',
        external: { metric: { name: 'qps', selector: {} }, target: { type: 'Value', value: '1' } },
      },
      'FailedGetExternalMetric',
    ],
  ] as const)('never scales down because of %s', (_n, bad, reason) => {
    const d = decide(
      cpuInput({
        current: 5,
        levels: [100, 300, 500, 250, 250],
        spec: { minReplicas: 2, maxReplicas: 6, metrics: [cpu(50), bad as MetricSpec] },
      }),
    );
    expect([d.desiredReplicas, d.rescale, d.scalingActive]).toEqual([5, false, false]);
    expect(brief(d.conditions)).toEqual([
      'AbleToScale=True/SucceededGetScale',
      `ScalingActive=False/${reason}`,
    ]);
    expect(d.history.recommendations).toEqual([{ timestamp: NOW, replicas: 5 }]);
  });

  it('changes nothing when every metric is invalid, and records only the initial recommendation', () => {
    const d = decide(cpuInput({ current: 3, levels: [], spec: { maxReplicas: 10, metrics: [cpu(50)] } }));
    expect(d).toMatchObject({ desiredReplicas: 3, rescale: false, scalingActive: false });
    expect(d.error).toBe(
      'invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    );
    expect(d.conditions[1]).toEqual({
      type: 'ScalingActive',
      status: 'False',
      lastTransitionTime: T,
      reason: 'FailedGetResourceMetric',
      message:
        'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    });
    expect(d.history.recommendations).toEqual([{ timestamp: NOW, replicas: 3 }]);
  });

  it('pauses a target scaled to zero (ScalingDisabled)', () => {
    const d = decide(cpuInput({ current: 0, levels: [], spec: { minReplicas: 1, maxReplicas: 10 } }));
    expect([d.desiredReplicas, d.rescale]).toEqual([0, false]);
    expect(d.conditions[1]).toMatchObject({
      type: 'ScalingActive',
      status: 'False',
      reason: 'ScalingDisabled',
    });
  });

  it.each([
    [12, 10, 'Current number of replicas above Spec.MaxReplicas'],
    [1, 2, 'Current number of replicas below Spec.MinReplicas'],
  ])(
    'moves %i replicas into [min, max] without reading metrics (TestReplicaLimits)',
    (current, want, reason) => {
      const d = decide(
        cpuInput({ current, levels: [], spec: { minReplicas: 2, maxReplicas: 10, behavior: {} } }),
      );
      expect([d.desiredReplicas, d.rescale, d.reason, d.currentMetrics]).toEqual([want, true, reason, []]);
      const events = current > want ? d.history.scaleDownEvents : d.history.scaleUpEvents;
      expect(events).toEqual([{ timestamp: NOW, replicaChange: Math.abs(current - want) }]);
    },
  );

  it('divides by the calibration (karmada docs/proposals/hpa/federatedhpa-v2.md: Duplicated 2×2 at 20 % vs 10 % → 4)', () => {
    const d = decide(
      cpuInput({
        current: 2,
        levels: [200, 200, 200, 200],
        calibration: 2,
        spec: { maxReplicas: 10, metrics: [cpu(10)] },
      }),
    );
    expect([d.desiredReplicas, d.metricRecommendations]).toEqual([
      4,
      [{ type: 'Resource', name: 'cpu', replicas: 4 }],
    ]);
  });

  it('applies the default 80 % CPU metric when the spec has none (SetDefaultsFederatedHPA)', () => {
    const d = decide(cpuInput({ current: 2, levels: [1000, 1000], spec: { maxReplicas: 10 } }));
    expect(d.metricRecommendations).toEqual([{ type: 'Resource', name: 'cpu', replicas: 3 }]);
  });

  it('records no scale events on the legacy path (behavior omitted)', () => {
    const d = decide(
      cpuInput({ current: 2, levels: [1000, 1000], spec: { maxReplicas: 10, metrics: [cpu(50)] } }),
    );
    expect([d.desiredReplicas, d.history.scaleUpEvents]).toEqual([4, []]);
  });

  it('does not re-seed the initial recommendation when history exists (TestRecordInitialRecommendation)', () => {
    const history = { ...empty(), recommendations: [{ timestamp: ago(60), replicas: 3 }] };
    const d = decide(
      cpuInput({
        current: 5,
        levels: [500, 500, 500, 500, 500],
        history,
        spec: { maxReplicas: 10, metrics: [cpu(50)] },
      }),
    );
    expect(d.history.recommendations).toEqual([
      { timestamp: ago(60), replicas: 3 },
      { timestamp: NOW, replicas: 5 },
    ]);
  });
});

describe('decide: tolerance', () => {
  const at = (util: number, behavior?: FederatedHPASpec['behavior']) =>
    decide(
      cpuInput({
        current: 4,
        levels: [util * 10, util * 10, util * 10, util * 10],
        history: { ...empty(), recommendations: [{ timestamp: ago(600), replicas: 4 }] },
        spec: { maxReplicas: 20, metrics: [cpu(50)], ...(behavior ? { behavior } : {}) },
      }),
    ).metricRecommendations[0];

  it.each([
    ['54 % vs 50 % is within the global 0.1', 54, undefined, 4],
    [
      '54 % vs 50 % scales with behavior.scaleUp.tolerance 0.05 (Kubernetes 1.33+, beyond Karmada)',
      54,
      { scaleUp: { tolerance: '0.05' } },
      5,
    ],
    ['35 % vs 50 % scales down with the global 0.1', 35, undefined, 3],
    [
      '35 % vs 50 % is within behavior.scaleDown.tolerance 0.3 (written 300m)',
      35,
      { scaleDown: { tolerance: '300m' } },
      4,
    ],
    // The edge: |1 − 1.1| is 0.10000000000000009 in float64, so Karmada's form scales; Kubernetes' form
    // (1 − down ≤ ratio ≤ 1 + up), used once a tolerance is set, does not.
    ['exactly 1.1 scales with Karmada’s symmetric test', 55, undefined, 5],
    ['exactly 1.1 is within an explicit scaleUp.tolerance 0.1', 55, { scaleUp: { tolerance: '0.1' } }, 4],
  ] as const)('%s', (_n, util, behavior, want) => {
    expect(at(util, behavior)).toEqual({ type: 'Resource', name: 'cpu', replicas: want });
  });
});

describe('decide: conditions and history', () => {
  it('updates previous conditions in place and keeps lastTransitionTime unless the status flips', () => {
    const previous: Condition[] = [
      {
        type: 'ScalingLimited',
        status: 'True',
        lastTransitionTime: '2025-12-31T00:00:00Z',
        reason: 'TooManyReplicas',
        message: 'x',
      },
      {
        type: 'AbleToScale',
        status: 'True',
        lastTransitionTime: '2025-12-31T00:00:00Z',
        reason: 'SucceededRescale',
        message: 'x',
      },
    ];
    const d = decide(
      cpuInput({
        current: 2,
        levels: [500, 500],
        conditions: previous,
        spec: { maxReplicas: 10, metrics: [cpu(50)] },
      }),
    );
    expect(d.conditions.map((c) => [c.type, c.status, c.lastTransitionTime, c.reason])).toEqual([
      ['ScalingLimited', 'False', T, 'DesiredWithinRange'],
      ['AbleToScale', 'True', '2025-12-31T00:00:00Z', 'ReadyForNewScale'],
      ['ScalingActive', 'True', T, 'ValidMetricFound'],
    ]);
  });

  it('prunes recommendations older than the longest window and events older than the longest period', () => {
    const history: History = {
      recommendations: [
        { timestamp: ago(400), replicas: 9 },
        { timestamp: ago(200), replicas: 3 },
      ],
      scaleUpEvents: [
        { timestamp: ago(20), replicaChange: 1 },
        { timestamp: ago(10), replicaChange: 1 },
      ],
      scaleDownEvents: [{ timestamp: ago(100), replicaChange: 2 }],
    };
    const d = decide(
      cpuInput({
        current: 3,
        levels: [500, 500, 500],
        history,
        spec: {
          maxReplicas: 10,
          metrics: [cpu(50)],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      }),
    );
    expect(d.history).toEqual({
      recommendations: [
        { timestamp: NOW, replicas: 3 },
        { timestamp: ago(200), replicas: 3 },
      ],
      scaleUpEvents: [{ timestamp: ago(10), replicaChange: 1 }],
      scaleDownEvents: [],
    });
  });
});

describe('decide: pods keyed by cluster and name (karmada#4257)', () => {
  const twoWebZero = (key: (cluster: string) => string): EngineInput => ({
    now: NOW,
    spec: {
      scaleTargetRef: ref,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Pods',
          pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1' } },
        },
      ],
    },
    currentReplicas: 2,
    pods: ['member1', 'member2'].map((cluster) => ({
      name: 'web-0',
      cluster,
      phase: 'Running',
      ready: true,
      containers: [],
    })),
    metrics: {
      pods: {
        rps: Object.fromEntries(
          ['member1', 'member2'].map((c, i) => [key(c), { timestamp: NOW, value: i === 0 ? '3' : '1' }]),
        ),
      },
    },
    history: empty(),
  });

  it('counts both same-named pods when samples are keyed cluster/name', () => {
    const d = decide(twoWebZero((c) => `${c}/web-0`));
    expect(d.metricRecommendations).toEqual([{ type: 'Pods', name: 'rps', replicas: 4 }]);
  });

  it('refuses a bare name shared by two clusters instead of merging the pods', () => {
    const input = twoWebZero(() => 'web-0');
    const d = decide(input);
    expect(d.metricRecommendations).toEqual([
      {
        type: 'Pods',
        name: 'rps',
        error:
          'failed to get pods metric value: unable to get metric rps: sample "web-0" matches pods named web-0 in clusters member1, member2; key it as "cluster/name"',
      },
    ]);
  });
});
