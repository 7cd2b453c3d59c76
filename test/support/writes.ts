import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import type { Simulator } from '../../src/sim/index.ts';
import { seedFederatedHPA } from './seed.ts';

/** Every write the simulated Karmada received from index `from` of its request log on: `METHOD path`. */
export function writesSince(sim: Simulator, from: number): string[] {
  return sim.requestLog
    .slice(from)
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`);
}

/** The seed walkthrough's FederatedHPA with fhpa annotations (and spec overrides). */
export function annotatedFederatedHPA(
  annotations: Record<string, string>,
  spec: Partial<FederatedHPA['spec']> = {},
): FederatedHPA {
  const fhpa = seedFederatedHPA(spec);
  return { ...fhpa, metadata: { ...fhpa.metadata, annotations } };
}

export const SCALE_PATH = '/apis/apps/v1/namespaces/default/deployments/sample-app/scale';
export const STATUS_PATH =
  '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas/sample-app/status';
export const EVENTS_PATH = '/api/v1/namespaces/default/events';
