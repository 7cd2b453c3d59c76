// Invariants of one decision, over random valid FederatedHPAs, pods, samples and histories. Each bound is
// computed here from the spec and the history alone, the way Kubernetes' horizontal.go states the rule
// (normalizeDesiredReplicasWithBehaviors, stabilizeRecommendationWithBehaviors,
// calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors, normalizeDesiredReplicas),
// never by calling the engine's own helpers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Behavior, MetricSpec, ScalingRules } from '../../src/api/autoscaling-v2.ts';
import { decide } from '../../src/engine/decide.ts';
import type { ScaleEvent, TimestampedRecommendation } from '../../src/engine/history-types.ts';
import type { Decision, EngineInput, PodInfo } from '../../src/engine/types.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const ago = (s: number) => NOW - s * 1000;
const RUNS = { numRuns: 300 };
const CLUSTERS = ['member1', 'member2', 'member3'];

// --- Generators: what the validating webhook admits, and what the pipeline can hand over. ---

const rulesArb: fc.Arbitrary<ScalingRules> = fc.record(
  {
    stabilizationWindowSeconds: fc.integer({ min: 0, max: 900 }),
    selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
    policies: fc.array(
      fc.record({
        type: fc.constantFrom('Pods', 'Percent'),
        value: fc.integer({ min: 1, max: 300 }),
        periodSeconds: fc.integer({ min: 1, max: 1800 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);
const behaviorArb: fc.Arbitrary<Behavior> = fc.record(
  { scaleUp: rulesArb, scaleDown: rulesArb },
  { requiredKeys: [] },
);

const milli = (min: number, max: number) => fc.integer({ min, max }).map((v) => `${v}m`);

/** Four metric kinds with random targets; a spec uses a non-empty subset of them. */
const metricsArb: fc.Arbitrary<MetricSpec[]> = fc
  .tuple(
    fc.integer({ min: 10, max: 150 }).map(
      (u): MetricSpec => ({
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } },
      }),
    ),
    milli(100, 3000).map(
      (v): MetricSpec => ({
        type: 'Pods',
        pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: v } },
      }),
    ),
    fc.tuple(fc.boolean(), milli(1000, 50_000)).map(
      ([average, v]): MetricSpec => ({
        type: 'External',
        external: {
          metric: { name: 'queue' },
          target: average ? { type: 'AverageValue', averageValue: v } : { type: 'Value', value: v },
        },
      }),
    ),
    milli(1000, 50_000).map(
      (v): MetricSpec => ({
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'v1', kind: 'Service', name: 'ingress' },
          metric: { name: 'hits' },
          target: { type: 'Value', value: v },
        },
      }),
    ),
  )
  .chain((all) => fc.subarray(all, { minLength: 1 }));

const podArb = (i: number): fc.Arbitrary<PodInfo> =>
  fc
    .record({
      phase: fc.constantFrom('Running', 'Running', 'Running', 'Pending', 'Failed'),
      ready: fc.constantFrom(true, true, false, null),
      startedAgo: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
      readyAgo: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
      deleting: fc.boolean().map((b) => b && i % 7 === 0),
      request: fc.integer({ min: 100, max: 1000 }),
    })
    .map((p) => ({
      name: `app-${i}`,
      cluster: CLUSTERS[i % CLUSTERS.length] as string,
      phase: p.phase,
      ready: p.ready,
      ...(p.startedAgo !== undefined ? { startTime: ago(p.startedAgo) } : {}),
      ...(p.readyAgo !== undefined ? { readyTransitionTime: ago(p.readyAgo) } : {}),
      ...(p.deleting ? { deletionTimestamp: ago(1) } : {}),
      containers: [{ name: 'app', requests: { cpu: `${p.request}m` } }],
    }));

const podsArb = fc
  .integer({ min: 0, max: 40 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => podArb(i))));

/** Samples for a random share of the pods (none at all fails the metric); external and object samples. */
const samplesArb = (pods: PodInfo[]): fc.Arbitrary<EngineInput['metrics']> =>
  fc
    .record({
      cpu: fc.array(fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }), {
        minLength: pods.length,
        maxLength: pods.length,
      }),
      rps: fc.array(fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }), {
        minLength: pods.length,
        maxLength: pods.length,
      }),
      sampledAgo: fc.integer({ min: 0, max: 120 }),
      queue: fc.array(milli(0, 200_000), { maxLength: 3 }),
      hits: fc.option(milli(0, 200_000), { nil: undefined }),
    })
    .map((s) => {
      const keyed = <T>(values: (number | undefined)[], sample: (v: number) => T) =>
        Object.fromEntries(
          pods.flatMap((p, i) => {
            const v = values[i];
            return v === undefined ? [] : [[`${p.cluster}/${p.name}`, sample(v)]];
          }),
        );
      return {
        resource: {
          cpu: keyed(s.cpu, (v) => ({
            timestamp: ago(s.sampledAgo),
            window: 30_000,
            containers: { app: `${v}m` },
          })),
        },
        pods: { rps: keyed(s.rps, (v) => ({ timestamp: ago(s.sampledAgo), value: `${v}m` })) },
        external: { queue: { timestamp: ago(s.sampledAgo), values: s.queue } },
        ...(s.hits !== undefined
          ? { object: { hits: { timestamp: ago(s.sampledAgo), value: s.hits } } }
          : {}),
      };
    });

/** Stored histories are bounded but unsorted (slots are reused), so entries come in any order; all are past. */
const historyArb = fc.record({
  recommendations: fc.array(
    fc.record({
      timestamp: fc.integer({ min: 1, max: 1200 }).map(ago),
      replicas: fc.integer({ min: 0, max: 80 }),
    }),
    { maxLength: 30 },
  ),
  scaleUpEvents: fc.array(
    fc.record({
      timestamp: fc.integer({ min: 1, max: 2400 }).map(ago),
      replicaChange: fc.integer({ min: 1, max: 20 }),
    }),
    { maxLength: 10 },
  ),
  scaleDownEvents: fc.array(
    fc.record({
      timestamp: fc.integer({ min: 1, max: 2400 }).map(ago),
      replicaChange: fc.integer({ min: 1, max: 20 }),
    }),
    { maxLength: 10 },
  ),
});

const inputArb: fc.Arbitrary<EngineInput> = fc
  .record({
    minReplicas: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    span: fc.integer({ min: 0, max: 40 }),
    metrics: metricsArb,
    behavior: fc.option(behaviorArb, { nil: undefined }),
    currentReplicas: fc.integer({ min: 0, max: 60 }),
    calibration: fc.constantFrom(undefined, 1, 2, 0.5),
    pods: podsArb,
    history: historyArb,
  })
  .chain((r) =>
    samplesArb(r.pods).map(
      (metrics): EngineInput => ({
        now: NOW,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' },
          ...(r.minReplicas !== undefined ? { minReplicas: r.minReplicas } : {}),
          maxReplicas: Math.max(1, r.minReplicas ?? 1) + r.span,
          metrics: r.metrics,
          ...(r.behavior !== undefined ? { behavior: r.behavior } : {}),
        },
        currentReplicas: r.currentReplicas,
        ...(r.calibration !== undefined ? { calibration: r.calibration } : {}),
        pods: r.pods,
        metrics,
        history: r.history,
      }),
    ),
  );

// --- The rules, stated from the spec and the history. ---

const DEFAULT_WINDOW_S = 300; // --horizontal-pod-autoscaler-downscale-stabilization
const LEGACY_EVENT_PERIOD_S = 1800; // events are kept this long while behavior is unset (history.ts)

/** The scaling rules with API defaults (autoscaling/v2 defaults.go GenerateHPAScaleUp/DownRules). */
function rules(input: EngineInput, direction: 'scaleUp' | 'scaleDown') {
  const set = input.spec.behavior?.[direction];
  const up = direction === 'scaleUp';
  return {
    window: set?.stabilizationWindowSeconds ?? (up ? 0 : DEFAULT_WINDOW_S),
    select: set?.selectPolicy ?? 'Max',
    policies:
      set?.policies ??
      (up
        ? [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ]
        : [{ type: 'Percent', value: 100, periodSeconds: 15 }]),
  };
}

const changedWithin = (events: ScaleEvent[], periodSeconds: number) =>
  events.filter((e) => e.timestamp > NOW - periodSeconds * 1000).reduce((s, e) => s + e.replicaChange, 0);

/**
 * The largest count a scale-up may reach: each policy starts from the count its period began with (current
 * minus what was added, plus what was removed, within the period) and adds Pods or Percent
 * (int32(math.Ceil(float64(start) * (1 + float64(value)/100))), float rounding included); Max takes the
 * most permissive policy, Min the strictest, Disabled forbids it.
 */
function scaleUpBound(input: EngineInput): number {
  const r = rules(input, 'scaleUp');
  const c = input.currentReplicas;
  if (r.select === 'Disabled') return c;
  const proposals = r.policies.map((p) => {
    const start =
      c -
      changedWithin(input.history.scaleUpEvents, p.periodSeconds) +
      changedWithin(input.history.scaleDownEvents, p.periodSeconds);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  const limit = r.select === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
  return Math.max(c, limit);
}

/** The smallest count a scale-down may reach (Percent truncates: int32(float64(start) * (1 - value/100))). */
function scaleDownBound(input: EngineInput): number {
  const r = rules(input, 'scaleDown');
  const c = input.currentReplicas;
  if (r.select === 'Disabled') return c;
  const proposals = r.policies.map((p) => {
    const start =
      c -
      changedWithin(input.history.scaleUpEvents, p.periodSeconds) +
      changedWithin(input.history.scaleDownEvents, p.periodSeconds);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  const limit = r.select === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
  return Math.min(c, limit);
}

const bounds = (input: EngineInput) => ({
  min: input.spec.minReplicas ?? 1,
  max: input.spec.maxReplicas,
  inRange:
    !(input.currentReplicas === 0 && (input.spec.minReplicas ?? 1) !== 0) &&
    input.currentReplicas >= (input.spec.minReplicas ?? 1) &&
    input.currentReplicas <= input.spec.maxReplicas,
});

/** The recommendations stabilization sees: the stored ones, or the current size on a first decision. */
const seenRecommendations = (input: EngineInput): TimestampedRecommendation[] =>
  input.history.recommendations.length > 0
    ? input.history.recommendations
    : [{ timestamp: NOW, replicas: input.currentReplicas }];

/**
 * This decision's recommendation (the largest valid proposal), or undefined when upstream returns before
 * recording one: a metric failed and every metric failed or the valid ones would scale down.
 */
function recorded(input: EngineInput, d: Decision): number | undefined {
  if (!bounds(input).inRange) return undefined;
  const valid = d.metricRecommendations.flatMap((m) => ('replicas' in m ? [m.replicas] : []));
  const failed = d.metricRecommendations.length - valid.length;
  const proposal = Math.max(0, ...valid);
  if (failed > 0 && (valid.length === 0 || proposal < input.currentReplicas)) return undefined;
  return proposal;
}

const arbitraries = {
  any: inputArb,
  withBehavior: inputArb.filter((i) => i.spec.behavior !== undefined),
  withoutBehavior: inputArb.filter((i) => i.spec.behavior === undefined),
};

describe('decide: invariants over random inputs', () => {
  it('keeps desired within [minReplicas, maxReplicas], or moves exactly to the bound the current count is outside of (horizontal.go#reconcileAutoscaler)', () => {
    fc.assert(
      fc.property(arbitraries.any, (input) => {
        const d = decide(input);
        const { min, max, inRange } = bounds(input);
        const c = input.currentReplicas;
        if (c === 0 && min !== 0) expect([d.desiredReplicas, d.rescale]).toEqual([0, false]);
        else if (c > max) expect(d.desiredReplicas).toBe(max);
        else if (c < min) expect(d.desiredReplicas).toBe(min);
        else {
          expect(inRange).toBe(true);
          expect(d.desiredReplicas).toBeGreaterThanOrEqual(min);
          expect(d.desiredReplicas).toBeLessThanOrEqual(max);
        }
      }),
      RUNS,
    );
  });

  it('rescales iff desired differs from current', () => {
    fc.assert(
      fc.property(arbitraries.any, (input) => {
        const d = decide(input);
        expect(d.rescale).toBe(d.desiredReplicas !== input.currentReplicas);
        expect(d.currentReplicas).toBe(input.currentReplicas);
      }),
      RUNS,
    );
  });

  it('never scales up or down past what the policies allow given the scale events (calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors)', () => {
    fc.assert(
      fc.property(arbitraries.withBehavior, (input) => {
        const d = decide(input);
        if (!bounds(input).inRange) return;
        if (d.desiredReplicas > input.currentReplicas)
          expect(d.desiredReplicas).toBeLessThanOrEqual(scaleUpBound(input));
        if (d.desiredReplicas < input.currentReplicas)
          expect(d.desiredReplicas).toBeGreaterThanOrEqual(scaleDownBound(input));
      }),
      RUNS,
    );
  });

  it('scales up only when every recommendation of the scale-up window is above current, down only when every one of the scale-down window is below (stabilizeRecommendationWithBehaviors)', () => {
    fc.assert(
      fc.property(arbitraries.withBehavior, (input) => {
        const d = decide(input);
        const rec = recorded(input, d);
        if (rec === undefined) return;
        const c = input.currentReplicas;
        const inWindow = (s: number) => [
          ...seenRecommendations(input)
            .filter((r) => r.timestamp > NOW - s * 1000)
            .map((r) => r.replicas),
          rec,
        ];
        if (d.desiredReplicas > c)
          expect(Math.min(...inWindow(rules(input, 'scaleUp').window))).toBeGreaterThan(c);
        if (d.desiredReplicas < c)
          expect(Math.max(...inWindow(rules(input, 'scaleDown').window))).toBeLessThan(c);
      }),
      RUNS,
    );
  });

  it('without behavior, caps a scale-up at max(2 × current, 4) and scales down only below every recommendation of the last 5 min (normalizeDesiredReplicas)', () => {
    fc.assert(
      fc.property(arbitraries.withoutBehavior, (input) => {
        const d = decide(input);
        const rec = recorded(input, d);
        if (rec === undefined) return;
        const c = input.currentReplicas;
        if (d.desiredReplicas > c) expect(d.desiredReplicas).toBeLessThanOrEqual(Math.max(2 * c, 4));
        if (d.desiredReplicas < c) {
          const recent = seenRecommendations(input)
            .filter((r) => r.timestamp >= NOW - DEFAULT_WINDOW_S * 1000)
            .map((r) => r.replicas);
          expect(Math.max(rec, ...recent)).toBeLessThan(c);
        }
      }),
      RUNS,
    );
  });

  it('returns the history pruned to the windows in use, with this decision recorded unless upstream returns first (history.ts, storeScaleEvent)', () => {
    fc.assert(
      fc.property(arbitraries.any, (input) => {
        const d = decide(input);
        const behavior = input.spec.behavior !== undefined;
        const up = rules(input, 'scaleUp');
        const down = rules(input, 'scaleDown');
        const longest = (r: typeof up) => Math.max(0, ...r.policies.map((p) => p.periodSeconds));
        const recWindow = behavior ? Math.max(up.window, down.window) : DEFAULT_WINDOW_S;
        // Both limits read both event lists, so both are kept for the longer of the two periods.
        const upPeriod = behavior ? Math.max(longest(up), longest(down)) : LEGACY_EVENT_PERIOD_S;
        const downPeriod = upPeriod;
        const within = <T extends { timestamp: number }>(list: T[], seconds: number) =>
          list.filter((e) => e.timestamp >= NOW - seconds * 1000);
        const past = <T extends { timestamp: number }>(list: T[]) => list.filter((e) => e.timestamp < NOW);
        const current = <T extends { timestamp: number }>(list: T[]) =>
          list.filter((e) => e.timestamp === NOW);

        // storeScaleEvent, when it records, overwrites the last entry past its own side's longest period.
        const change0 = d.desiredReplicas - input.currentReplicas;
        const overwritten = <T extends { timestamp: number }>(
          list: T[],
          ownSeconds: number,
          records: boolean,
        ) => {
          if (!records) return list;
          const i = list.findLastIndex((e) => e.timestamp < NOW - ownSeconds * 1000);
          return i < 0 ? list : list.filter((_, j) => j !== i);
        };
        // What was stored and is still inside its window survives, in its order; nothing else from the past.
        expect(past(d.history.recommendations)).toEqual(within(input.history.recommendations, recWindow));
        expect(past(d.history.scaleUpEvents)).toEqual(
          within(overwritten(input.history.scaleUpEvents, longest(up), behavior && change0 > 0), upPeriod),
        );
        expect(past(d.history.scaleDownEvents)).toEqual(
          within(
            overwritten(input.history.scaleDownEvents, longest(down), behavior && change0 < 0),
            downPeriod,
          ),
        );

        const rec = recorded(input, d);
        expect(current(d.history.recommendations)).toEqual([
          ...(input.history.recommendations.length === 0
            ? [{ timestamp: NOW, replicas: input.currentReplicas }]
            : []),
          ...(rec !== undefined ? [{ timestamp: NOW, replicas: rec }] : []),
        ]);
        const change = d.desiredReplicas - input.currentReplicas;
        const event = (c: number) => (behavior && c > 0 ? [{ timestamp: NOW, replicaChange: c }] : []);
        expect(current(d.history.scaleUpEvents)).toEqual(event(change));
        expect(current(d.history.scaleDownEvents)).toEqual(event(-change));
      }),
      RUNS,
    );
  });

  it('is deterministic and does not modify its (deep-frozen) input', () => {
    fc.assert(
      fc.property(arbitraries.any, (input) => {
        const copy = structuredClone(input);
        const frozen = deepFreeze(input);
        const first = decide(frozen);
        expect(decide(frozen)).toEqual(first);
        expect(decide(copy)).toEqual(first);
        expect(frozen).toEqual(copy);
      }),
      { numRuns: 200 },
    );
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
