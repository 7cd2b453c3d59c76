// Defaults the controller and the API apply before the algorithm runs.

import type { Behavior, MetricSpec, ScalingPolicy, ScalingRules } from '../api/autoscaling-v2.ts';
import { approximateFloat } from './quantity.ts';
import type { EngineOptions } from './types.ts';

export interface ResolvedOptions {
  tolerance: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
  downscaleStabilizationMs: number;
}

// Karmada's controller flags (pkg/controllers/federatedhpa/config/types.go): tolerance 0.1, CPU initialization
// period 5 m, initial readiness delay 30 s, downscale stabilization 5 m. (Kubernetes defaults the middle
// two to 5 m and 30 s as well; its unit tests use 2 m and 10 s.)
export function resolveOptions(options: EngineOptions | undefined): ResolvedOptions {
  return {
    tolerance: options?.tolerance ?? 0.1,
    cpuInitializationPeriodMs: options?.cpuInitializationPeriodMs ?? 5 * 60_000,
    initialReadinessDelayMs: options?.initialReadinessDelayMs ?? 30_000,
    downscaleStabilizationMs: options?.downscaleStabilizationMs ?? 5 * 60_000,
  };
}

// Karmada's mutating webhook (pkg/util/lifted/federatedhpa.go#SetDefaultsFederatedHPA): no metrics → 80 % CPU.
export const DEFAULT_METRICS: MetricSpec[] = [
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
];

export function metricsOrDefault(metrics: MetricSpec[] | undefined): MetricSpec[] {
  return metrics && metrics.length > 0 ? metrics : DEFAULT_METRICS;
}

/** Scaling rules with every field the algorithm reads filled in. */
export interface ResolvedRules {
  stabilizationWindowSeconds: number;
  selectPolicy: string;
  policies: ScalingPolicy[];
}

export interface ResolvedBehavior {
  scaleUp: ResolvedRules;
  scaleDown: ResolvedRules;
}

// pkg/apis/autoscaling/v2/defaults.go GenerateHPAScaleUpRules / GenerateHPAScaleDownRules, field by field
// (copyHPAScalingRules: a set `policies` replaces the default list as a whole). The scale-down window
// left nil is filled from the controller flag (maybeInitScaleDownStabilizationWindow).
export function resolveBehavior(behavior: Behavior, downscaleStabilizationMs: number): ResolvedBehavior {
  return {
    scaleUp: fill(behavior.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    }),
    scaleDown: fill(behavior.scaleDown, {
      stabilizationWindowSeconds: Math.floor(downscaleStabilizationMs / 1000),
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    }),
  };
}

function fill(rules: ScalingRules | undefined, defaults: ResolvedRules): ResolvedRules {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: rules?.policies ?? defaults.policies,
  };
}

/**
 * The tolerance band. Karmada (lifted from Kubernetes 1.27) tests `|1 − ratio| ≤ tolerance`. Kubernetes 1.33+
 * (HPAConfigurableTolerance) lets `behavior.scaleUp.tolerance` / `behavior.scaleDown.tolerance` override each
 * side and tests `1 − down ≤ ratio ≤ 1 + up`; fhpa goes beyond Karmada and honours them. The two forms differ
 * in the last bit at the edge (ratio 1.1 with 0.1 is outside for Karmada's, inside for Kubernetes'), so the
 * Karmada form is kept whenever neither side is set.
 */
export interface Tolerance {
  up: number;
  down: number;
  perHPA: boolean;
}

export function resolveTolerance(behavior: Behavior | undefined, global: number): Tolerance {
  const up = behavior?.scaleUp?.tolerance;
  const down = behavior?.scaleDown?.tolerance;
  return {
    up: up === undefined ? global : approximateFloat(up),
    down: down === undefined ? global : approximateFloat(down),
    perHPA: up !== undefined || down !== undefined,
  };
}

export function isWithinTolerance(ratio: number, t: Tolerance): boolean {
  if (!t.perHPA) return Math.abs(1 - ratio) <= t.up;
  return 1 - t.down <= ratio && ratio <= 1 + t.up;
}

export const symmetricTolerance = (t: number): Tolerance => ({ up: t, down: t, perHPA: false });
