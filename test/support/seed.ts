import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import { seedFederatedHPA as seed } from '../../src/demo/scenario.ts';

/** The seed walkthrough's FederatedHPA (Karmada "FederatedHPA scaling on custom metrics"), spec fields overridden. */
export function seedFederatedHPA(overrides: Partial<FederatedHPA['spec']> = {}): FederatedHPA {
  const fhpa = seed();
  return { ...fhpa, spec: { ...fhpa.spec, ...overrides } };
}
