// Stabilization, scaling policies and the legacy path (test/fixtures/engine/behavior.json): Kubernetes'
// horizontal_test.go and Karmada's federatedhpa_controller_test.go cases.
import { describe, expect, it } from 'vitest';
import type { ScalingRules } from '../../src/api/autoscaling-v2.ts';
import {
  convertWithBehaviorRate,
  longestPolicyPeriod,
  normalizeWithBehaviors,
  recordScaleEvent,
  replicasChangePerPeriod,
  scaleDownLimit,
  scaleUpLimit,
  stabilizeWithBehaviors,
} from '../../src/engine/behavior.ts';
import { resolveBehavior } from '../../src/engine/defaults.ts';
import type { ScaleEvent, TimestampedRecommendation } from '../../src/engine/history-types.ts';
import {
  calculateScaleUpLimit,
  convertDesiredReplicasWithRules,
  normalizeLegacy,
  stabilizeRecommendation,
} from '../../src/engine/legacy.ts';
import fx from '../fixtures/engine/behavior.json' with { type: 'json' };

const NOW = Date.parse('2026-01-01T00:00:00Z');
const FIVE_MINUTES = 300_000;

type Rules = number[] | ScalingRules;
type Events = { uniform: number[]; periodSeconds: number } | number[][];

/** Kubernetes' generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow). */
function rules(r: Rules | undefined): ScalingRules | undefined {
  if (r === undefined || !Array.isArray(r)) return r;
  const [pods = 0, podsPeriod = 0, percent = 0, percentPeriod = 0, window = 0] = r;
  const policies = [
    ...(pods !== 0 ? [{ type: 'Pods', value: pods, periodSeconds: podsPeriod }] : []),
    ...(percent !== 0 ? [{ type: 'Percent', value: percent, periodSeconds: percentPeriod }] : []),
  ];
  return {
    stabilizationWindowSeconds: window,
    selectPolicy: 'Max',
    ...(policies.length > 0 ? { policies } : {}),
  };
}

/** generateEventsUniformDistribution, or explicit [replicaChange, secondsAgo] pairs. */
function events(e: Events | undefined): ScaleEvent[] {
  if (e === undefined) return [];
  if (Array.isArray(e))
    return e.map(([change = 0, ago = 0]) => ({ replicaChange: change, timestamp: NOW - ago * 1000 }));
  const segment = e.periodSeconds / e.uniform.length;
  return e.uniform.map((change, i) => ({
    replicaChange: change,
    timestamp: NOW - Math.trunc(e.periodSeconds - segment * (i + 1) + segment / 2) * 1000,
  }));
}

/** kubernetes or karmada-io, for test names. */
const owner = (source: string) => source.slice(0, source.indexOf('/'));

const recs = (r: number[][]): TimestampedRecommendation[] =>
  r.map(([replicas = 0, ago = 0]) => ({ replicas, timestamp: NOW - ago * 1000 }));

const behaviorOf = (up: Rules | undefined, down: Rules | undefined) => {
  const scaleUp = rules(up);
  const scaleDown = rules(down);
  return resolveBehavior(
    { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) },
    FIVE_MINUTES,
  );
};

describe('scale rate limits (convertDesiredReplicasWithBehaviorRate)', () => {
  it.each(fx.scalingWithRules.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const out = convertWithBehaviorRate({
      now: NOW,
      currentReplicas: c.currentReplicas,
      desiredReplicas: c.desiredReplicas,
      minReplicas: c.minReplicas,
      maxReplicas: c.maxReplicas,
      behavior: behaviorOf(c.scaleUpRules as Rules | undefined, c.scaleDownRules as Rules | undefined),
      scaleUpEvents: events(c.scaleUpEvents as Events | undefined),
      scaleDownEvents: events(c.scaleDownEvents as Events | undefined),
    });
    expect([out.replicas, out.reason]).toEqual([c.expectedReplicas, c.expectedCondition]);
  });
});

describe('stabilization windows (stabilizeRecommendationWithBehaviors)', () => {
  it.each(fx.stabilizeWithBehaviors.map((c) => [`${c.source.split('#')[1]}: ${c.name}`, c] as const))(
    '%s',
    (_n, c) => {
      const behavior = behaviorOf(
        { stabilizationWindowSeconds: c.upWindowSeconds },
        { stabilizationWindowSeconds: c.downWindowSeconds },
      );
      const out = stabilizeWithBehaviors(
        NOW,
        recs(c.recommendations),
        c.currentReplicas,
        c.desiredReplicas,
        behavior,
      );
      expect(out.replicas).toBe(c.expectedReplicas);
      expect(out.recommendations.map((r) => r.replicas)).toEqual(c.expectedRecommendations);
      if (c.expectedReason) expect(out.reason).toBe(c.expectedReason);
    },
  );
});

describe('legacy stabilization (stabilizeRecommendation)', () => {
  it.each(fx.legacyStabilize.map((c) => [`${c.source.split('#')[1]}: ${c.name}`, c] as const))(
    '%s',
    (_n, c) => {
      const out = stabilizeRecommendation(
        NOW,
        recs(c.recommendations),
        c.desiredReplicas,
        c.windowSeconds * 1000,
      );
      expect([out.replicas, out.recommendations.length]).toEqual([c.expectedReplicas, c.expectedLogLength]);
      expect(out.recommendations).toContainEqual({ timestamp: NOW, replicas: c.desiredReplicas });
    },
  );
});

describe('legacy limits (convertDesiredReplicasWithRules)', () => {
  it.each(fx.convertWithRules.map((c) => [`${owner(c.source)}: ${c.name}`, c] as const))('%s', (_n, c) => {
    const out = convertDesiredReplicasWithRules(
      c.currentReplicas,
      c.desiredReplicas,
      c.minReplicas,
      c.maxReplicas,
    );
    expect([out.replicas, out.reason]).toEqual([c.expectedReplicas, c.expectedCondition]);
  });

  it.each(fx.legacyScaleUpLimit.map((c) => [c.name, c] as const))('calculateScaleUpLimit: %s', (_n, c) => {
    expect(calculateScaleUpLimit(c.currentReplicas)).toBe(c.expected);
  });
});

describe('normalization with conditions', () => {
  it.each(fx.normalizeLegacy.map((c) => [c.name, c] as const))('legacy: %s', (_n, c) => {
    const out = normalizeLegacy(
      NOW,
      recs(c.recommendations),
      c.currentReplicas,
      c.desiredReplicas,
      c.minReplicas,
      c.maxReplicas,
      FIVE_MINUTES,
    );
    expect([out.replicas, out.ableToScale.reason, out.limited.status, out.limited.reason]).toEqual([
      c.expectedReplicas,
      c.expectedAbleToScaleReason,
      c.expectedScalingLimited,
      c.expectedScalingLimitedReason,
    ]);
  });

  it.each(fx.normalizeWithBehaviors.map((c) => [c.name, c] as const))('behavior: %s', (_n, c) => {
    const out = normalizeWithBehaviors(
      NOW,
      { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] },
      c.currentReplicas,
      c.desiredReplicas,
      c.minReplicas,
      c.maxReplicas,
      resolveBehavior(c.behavior, FIVE_MINUTES),
    );
    expect(out.replicas).toBe(c.expectedReplicas);
  });
});

describe('policy limits (calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors)', () => {
  it.each(fx.scaleLimits.map((c) => [`${owner(c.source)} ${c.direction}: ${c.name}`, c] as const))(
    '%s',
    (_n, c) => {
      const r =
        c.direction === 'up'
          ? behaviorOf(c.rules, undefined).scaleUp
          : behaviorOf(undefined, c.rules).scaleDown;
      const fn = c.direction === 'up' ? scaleUpLimit : scaleDownLimit;
      expect(fn(NOW, c.currentReplicas, events(c.scaleUpEvents), events(c.scaleDownEvents), r)).toBe(
        c.expectedLimit,
      );
    },
  );
});

describe('scale events (storeScaleEvent, getReplicasChangePerPeriod, getLongestPolicyPeriod)', () => {
  it.each(fx.storeScaleEvents.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const previous = events(c.previousEvents);
    expect(replicasChangePerPeriod(NOW, 60, previous)).toBe(c.expectedReplicasChangeBefore);
    const r = rules(c.scalingRules) as ScalingRules;
    const resolved = resolveBehavior({ scaleUp: r }, FIVE_MINUTES).scaleUp;
    expect(recordScaleEvent(NOW, previous, c.replicaChange, resolved).map((e) => e.replicaChange)).toEqual(
      c.expectedEvents,
    );
  });

  it.each(fx.replicasChangePerPeriod.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(replicasChangePerPeriod(NOW, c.periodSeconds, events(c.events))).toBe(c.expected);
  });

  it.each(fx.longestPolicyPeriod.map((c) => [c.name, c] as const))('longest policy period: %s', (_n, c) => {
    const policies = c.periods.map((p) => ({ type: 'Pods', value: 1, periodSeconds: p }));
    expect(longestPolicyPeriod({ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies })).toBe(
      c.expected,
    );
  });

  it('truncates a negative Percent scale-down proposal toward zero, like int32(float64)', () => {
    const percent150 = {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 150, periodSeconds: 60 }],
    };
    expect(scaleDownLimit(NOW, 3, [], [], percent150)).toBe(-1); // 3 × (1 − 1.5) = −1.5 → −1
  });

  it('counts an event exactly one period old as outside the period (strict After)', () => {
    expect(replicasChangePerPeriod(NOW, 60, [{ replicaChange: 3, timestamp: NOW - 60_000 }])).toBe(0);
  });
});
