// Scale to zero with activation (src/engine/scale-to-zero.ts through decide): KEDA's activation semantics
// (active when a metric is above its threshold, default 0; idle for the cooldown before going to zero) on a
// FederatedHPA whose minReplicas stays ≥ 1, with the HPA's scale-down stabilization and policies on the way down
// and a direct step to max(minReplicas, 1) on the way up.
import { describe, expect, it } from 'vitest';
import type { Behavior, MetricSpec } from '../../src/api/autoscaling-v2.ts';
import { decide } from '../../src/engine/decide.ts';
import type { History } from '../../src/engine/history-types.ts';
import type { EngineInput, MetricSamples, PodInfo } from '../../src/engine/types.ts';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const ago = (s: number) => NOW - s * 1000;
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' };

const queue: MetricSpec = {
  type: 'Object',
  object: {
    describedObject: ref,
    metric: { name: 'queue' },
    target: { type: 'Value', value: '10' },
  },
};
const fastDown: Behavior = {
  scaleDown: {
    stabilizationWindowSeconds: 0,
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  },
  scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
};

function pods(n: number): PodInfo[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `app-${i}`,
    cluster: i % 2 === 0 ? 'member1' : 'member2',
    phase: 'Running',
    ready: true,
    readyTransitionTime: ago(3000),
    startTime: ago(3000),
    containers: [{ name: 'app', requests: { cpu: '100m' } }],
  }));
}

function input(o: {
  current: number;
  queue?: string;
  idleSince?: number;
  history?: Partial<History>;
  behavior?: Behavior;
  minReplicas?: number;
  optIn?: boolean;
  threshold?: string;
  metrics?: MetricSpec[];
  samples?: MetricSamples;
}): EngineInput {
  return {
    now: NOW,
    spec: {
      scaleTargetRef: ref,
      minReplicas: o.minReplicas ?? 1,
      maxReplicas: 10,
      metrics: o.metrics ?? [queue],
      behavior: o.behavior ?? fastDown,
    },
    currentReplicas: o.current,
    pods: pods(o.current),
    metrics:
      o.samples ?? (o.queue === undefined ? {} : { object: { queue: { timestamp: NOW, value: o.queue } } }),
    history: {
      recommendations: [],
      scaleUpEvents: [],
      scaleDownEvents: [],
      ...o.history,
      ...(o.idleSince !== undefined ? { idleSince: o.idleSince } : {}),
    },
    ...(o.optIn === false
      ? {}
      : { scaleToZero: { afterMs: 600_000, activation: o.threshold ? { queue: o.threshold } : {} } }),
  };
}

const condition = (d: ReturnType<typeof decide>, type: string) => d.conditions.find((c) => c.type === type);

describe('going to zero', () => {
  it('starts the idle clock when every activation metric is at its threshold, and keeps minReplicas meanwhile', () => {
    const d = decide(input({ current: 3, queue: '0' }));
    expect(d.history.idleSince).toBe(NOW);
    expect(d.desiredReplicas).toBe(1);
    expect(d.zero).toBeUndefined();
  });

  it('keeps the idle clock running from the stored time', () => {
    const d = decide(input({ current: 1, queue: '0', idleSince: ago(300) }));
    expect(d.history.idleSince).toBe(ago(300));
    expect(d).toMatchObject({ desiredReplicas: 1, rescale: false });
  });

  it('goes 3 -> 0 once idle for the whole period, with an Event and a condition saying why', () => {
    const d = decide(input({ current: 3, queue: '0', idleSince: ago(600) }));
    expect(d).toMatchObject({ desiredReplicas: 0, rescale: true });
    expect(d.reason).toBe('every activation metric at or below its activation threshold for 10m0s');
    expect(d.zero).toEqual({
      event: 'ScaledToZero',
      message: 'New size: 0; reason: every activation metric at or below its activation threshold for 10m0s',
    });
    expect(condition(d, 'ScalingActive')).toMatchObject({
      status: 'False',
      reason: 'ScaledToZero',
      message: 'scaled to zero: every activation metric at or below its activation threshold for 10m0s',
    });
    expect(d.history.scaleDownEvents).toEqual([{ timestamp: NOW, replicaChange: 3 }]);
  });

  it('a value at the threshold is idle, one above it is not (KEDA: active when value > threshold)', () => {
    expect(
      decide(input({ current: 2, queue: '5', threshold: '5', idleSince: ago(600) })).desiredReplicas,
    ).toBe(0);
    const busy = decide(input({ current: 2, queue: '5001m', threshold: '5', idleSince: ago(600) }));
    // 5.001 / 10 × 2 pods = 1.0002 → 2: the HPA algorithm decides, zero is off the table.
    expect(busy).toMatchObject({ desiredReplicas: 2, rescale: false });
    expect(busy.history.idleSince).toBeUndefined();
  });

  it('the scale-down policy still limits the way down (Pods 1 per 60 s: 3 -> 2)', () => {
    const behavior: Behavior = {
      ...fastDown,
      scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    };
    const d = decide(input({ current: 3, queue: '0', idleSince: ago(600), behavior }));
    expect(d).toMatchObject({ desiredReplicas: 2, rescale: true });
    expect(d.zero).toBeUndefined();
    expect(condition(d, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleDownLimit' });
  });

  it('the scale-down stabilization window still holds it (a recommendation of 3 within 60 s)', () => {
    const behavior: Behavior = {
      ...fastDown,
      scaleDown: { ...fastDown.scaleDown, stabilizationWindowSeconds: 60 },
    };
    const d = decide(
      input({
        current: 3,
        queue: '0',
        idleSince: ago(600),
        behavior,
        history: { recommendations: [{ timestamp: ago(30), replicas: 3 }] },
      }),
    );
    expect(d).toMatchObject({ desiredReplicas: 3, rescale: false });
    expect(condition(d, 'AbleToScale')).toMatchObject({ reason: 'ScaleDownStabilized' });
  });

  it('a metric that cannot be read never counts as idle, and never resets the clock', () => {
    const d = decide(input({ current: 3, idleSince: ago(900) }));
    expect(d).toMatchObject({ desiredReplicas: 3, rescale: false });
    expect(d.history.idleSince).toBe(ago(900));
  });

  it('without the opt-in, nothing goes to zero and no idle time is stored', () => {
    const d = decide(input({ current: 3, queue: '0', idleSince: ago(900), optIn: false }));
    expect(d.desiredReplicas).toBe(1);
    expect(d.history.idleSince).toBeUndefined();
  });
});

describe('waking from zero', () => {
  it('goes 0 -> max(minReplicas, 1) in one decision when any activation metric is above its threshold, past the scale-up policy', () => {
    const d = decide(input({ current: 0, queue: '7', minReplicas: 3, idleSince: ago(1200) }));
    expect(d).toMatchObject({ desiredReplicas: 3, rescale: true });
    expect(d.zero).toEqual({
      event: 'ScaledFromZero',
      message: 'New size: 3; reason: Object metric queue above its activation threshold 0',
    });
    expect(condition(d, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ScaledFromZero' });
    expect(d.history.idleSince).toBeUndefined();
  });

  it('wakes on an External metric summed over its series', () => {
    const external: MetricSpec = {
      type: 'External',
      external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '5' } },
    };
    const d = decide(
      input({
        current: 0,
        metrics: [external],
        threshold: '2',
        samples: { external: { queue: { timestamp: NOW, values: ['1', '1500m'] } } },
      }),
    );
    expect(d).toMatchObject({
      desiredReplicas: 1,
      rescale: true,
      reason: 'External metric queue above its activation threshold 2',
    });
  });

  it('stays at zero while idle, saying so in ScalingActive', () => {
    const d = decide(input({ current: 0, queue: '0', idleSince: ago(1200) }));
    expect(d).toMatchObject({ desiredReplicas: 0, rescale: false });
    expect(condition(d, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'ScaledToZero' });
    expect(d.history.idleSince).toBe(ago(1200));
  });

  it('without the opt-in a workload at zero stays paused, as Kubernetes does', () => {
    const d = decide(input({ current: 0, queue: '100', optIn: false }));
    expect(d).toMatchObject({ desiredReplicas: 0, rescale: false });
    expect(condition(d, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'ScalingDisabled' });
  });
});
