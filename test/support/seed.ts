import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import { seedFederatedHPA as seed } from '../../src/demo/scenario.ts';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';

/** The seed walkthrough's FederatedHPA (Karmada "FederatedHPA scaling on custom metrics"), spec fields overridden. */
export function seedFederatedHPA(overrides: Partial<FederatedHPA['spec']> = {}): FederatedHPA {
  const fhpa = seed();
  return { ...fhpa, spec: { ...fhpa.spec, ...overrides } };
}

/**
 * A Deployment `name` in `default` (1 replica of 100m CPU unless told) divided by weight over member1 and member2, and the
 * seed FederatedHPA (spec fields overridden) targeting it: one app of a test fleet.
 */
export function applyApp(
  sim: Simulator,
  name: string,
  overrides: Partial<FederatedHPA['spec']> = {},
  workload: { replicas?: number; labels?: Record<string, string> } = {},
) {
  sim.applyDeployment({
    namespace: 'default',
    name,
    replicas: workload.replicas ?? 1,
    containers: [{ name: 'c', requests: { cpu: '100m' } }],
    ...(workload.labels ? { labels: workload.labels } : {}),
  });
  sim.applyPropagationPolicy({
    namespace: 'default',
    name: `${name}-pp`,
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name }],
    placement: {
      clusterAffinity: { clusterNames: ['member1', 'member2'] },
      replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
    },
  });
  const fhpa = seedFederatedHPA(overrides);
  fhpa.metadata.name = name;
  fhpa.spec.scaleTargetRef.name = name;
  sim.applyFederatedHPA(fhpa);
}

/**
 * A wall-clock simulator (as a deployed runtime's Date.now) with the walkthrough's sample-app, its pods Ready
 * (created 30 s ago), its FederatedHPA scaling up at once, and load enough to scale 1 → 5.
 */
export async function startLoadedWalkthrough(): Promise<Simulator> {
  const sim = await startSimulator({ clusters: ['member1', 'member2'], clock: 'realtime' });
  sim.clock.advance(-30_000);
  sim.applyWalkthrough();
  sim.applyFederatedHPA(seedFederatedHPA({ behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } }));
  sim.clock.advance(30_000);
  sim.setLoad('default', 'sample-app', { rps: 20 });
  return sim;
}
