// Issue 18.3: what Karmada returns is validated before fhpa decides on it. A Scale with spec.replicas -5 once
// made fhpa scale a loaded Deployment from 10 to 1; now an impossible replica count anywhere (the template's
// scale, a member's scale, the ResourceBinding) fails the evaluation with the field named, and nothing is
// scaled. The simulator answers faithfully; a transport in front of it rewrites one response.
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { rewriting } from '../support/rewriting-transport.ts';
import { seedFederatedHPA } from '../support/seed.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TEMPLATE_SCALE = /^\/apis\/apps\/v1\/namespaces\/default\/deployments\/sample-app\/scale$/;
const MEMBER1_SCALE =
  /\/clusters\/member1\/proxy\/apis\/apps\/v1\/namespaces\/default\/deployments\/sample-app\/scale$/;
// Read by its name, Karmada's names.GenerateBindingName.
const BINDING = /\/namespaces\/default\/resourcebindings\/sample-app-deployment$/;

describe('impossible state from Karmada: a clear error, no scaling', () => {
  it.each([
    ['the template scale spec.replicas', TEMPLATE_SCALE, ['spec', 'replicas'], -5, 'spec.replicas'],
    ['the template scale status.replicas', TEMPLATE_SCALE, ['status', 'replicas'], -1, 'status.replicas'],
    ['a member scale status.replicas', MEMBER1_SCALE, ['status', 'replicas'], -2, 'status.replicas'],
    ['a binding cluster replicas', BINDING, ['spec', 'clusters', 0, 'replicas'], -3, 'spec.clusters'],
    ['a replica count beyond int32', TEMPLATE_SCALE, ['spec', 'replicas'], 2 ** 40, 'spec.replicas'],
  ])('%s', async (_what, path, at, value, field) => {
    h = await startHarness({ transport: rewriting(path, at, value), retries: 1 });
    h.sim.applyWalkthrough();
    h.sim.applyFederatedHPA(seedFederatedHPA({ behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } }));
    h.sim.clock.advance(30_000);
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    const before = h.sim.memberReplicas('default', 'sample-app');

    const r = await evaluate(h.deps, { namespace: 'default', name: 'sample-app' });
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain(field);
    expect(r.message).toMatch(/a replica count must (not be negative|fit in int32)/);
    expect(h.sim.requestLog.filter((e) => e.method === 'PATCH' && e.path.endsWith('/scale'))).toEqual([]);
    expect(h.sim.memberReplicas('default', 'sample-app')).toEqual(before);
  });
});
