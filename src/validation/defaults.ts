import type { ScalingRules } from '../api/autoscaling-v2.ts';
import type { FederatedHPA } from '../api/federatedhpa.ts';

// Karmada's mutating webhook (pkg/webhook/federatedhpa/mutating.go) runs before its validating one and
// calls pkg/util/lifted/federatedhpa.go#SetDefaultsFederatedHPA, lifted from Kubernetes release-1.27
// pkg/apis/autoscaling/v2/defaults.go. fhpa's admission validates the object as Karmada would see it,
// so it applies the same defaults first. Pure: returns a new object.

/** DefaultCPUUtilization: the metric an FHPA without metrics gets. */
export const DEFAULT_CPU_UTILIZATION = 80;

const defaultScaleUp = (): ScalingRules => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});

// stabilizationWindowSeconds stays unset: the controller fills it from its flag (300 s by default).
const defaultScaleDown = (): ScalingRules => ({
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

/**
 * copyHPAScalingRules: fields the user set win, field by field. `policies: []` counts as set (Go decodes
 * it to a non-nil empty slice), so it stays empty and validation refuses it. Departure: Karmada drops
 * `tolerance` here; fhpa honours a per-FederatedHPA tolerance, so it is kept.
 */
function fill(from: ScalingRules | undefined, to: ScalingRules, stock: boolean): ScalingRules {
  if (from === undefined) return to;
  const out: ScalingRules = { ...to };
  if (from.selectPolicy !== undefined) out.selectPolicy = from.selectPolicy;
  if (from.stabilizationWindowSeconds !== undefined)
    out.stabilizationWindowSeconds = from.stabilizationWindowSeconds;
  if (from.policies !== undefined) out.policies = from.policies;
  if (from.tolerance !== undefined && !stock) out.tolerance = from.tolerance;
  return out;
}

/**
 * SetDefaultsFederatedHPA: minReplicas 1, 80 % CPU when no metrics, and behavior filled only if present.
 * `stock`: as Karmada's mutating webhook ships, which drops `tolerance` (karmada-webhooks.ts).
 */
export function setDefaultsFederatedHPA(fhpa: FederatedHPA, stock = false): FederatedHPA {
  const spec = { ...fhpa.spec };
  if (spec.minReplicas === undefined) spec.minReplicas = 1;
  if (spec.metrics === undefined || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION },
        },
      },
    ];
  }
  // SetDefaultsHorizontalPodAutoscalerBehavior: an omitted behavior stays omitted (the legacy path).
  if (spec.behavior !== undefined) {
    spec.behavior = {
      scaleUp: fill(spec.behavior.scaleUp, defaultScaleUp(), stock),
      scaleDown: fill(spec.behavior.scaleDown, defaultScaleDown(), stock),
    };
  }
  return { ...fhpa, spec };
}
