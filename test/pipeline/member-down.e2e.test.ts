import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { CLUSTER_FAILURE_THRESHOLD_MS } from '../../src/sim/cluster-health.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// A member whose API server goes down while Karmada still holds its Cluster Ready (cluster-health.ts): the
// cluster proxy keeps forwarding to it until the failure threshold, and every read of that member fails.
// Karmada's FederatedHPA controller skips a member it cannot read; fhpa fails the evaluation instead (it
// would decide on a partial pod set, README "Where the simulator still differs"), retryable, and the
// evaluation after the threshold, with the member NotReady and skipped, decides on the rest.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ref = { namespace: 'default', name: 'sample-app' };

describe('a member down but still Ready', () => {
  it('fails the evaluation, retryable, until Karmada marks the member NotReady; then it is skipped', async () => {
    h = await startHarness({ retries: 1 });
    h.sim.applyWalkthrough();
    // Two replicas, one per member, so a member is left when member1 goes.
    const scale = await fetch(`${h.sim.url}/apis/apps/v1/namespaces/default/deployments/sample-app/scale`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${h.sim.token}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: 2 } }),
    });
    expect(scale.status).toBe(200);
    h.sim.applyFederatedHPA(seedFederatedHPA({ minReplicas: 2 }));
    h.sim.clock.advance(30_000);
    h.sim.setLoad('default', 'sample-app', { rps: 1 });
    expect((await evaluate(h.deps, ref)).outcome).not.toBe('failed');

    h.sim.setMemberDown('member1', true);
    h.sim.clock.advance(CLUSTER_FAILURE_THRESHOLD_MS - 1_000);
    const during = await evaluate(h.deps, ref);
    expect(h.sim.state.isClusterReady('member1')).toBe(true);
    expect(during).toMatchObject({ outcome: 'failed', retryable: true });
    expect(during.message).toMatch(/member1.*500|500.*member1|connection refused/);
    const proxied = h.sim.requestLog.filter((r) => r.path.includes('/clusters/member1/proxy/'));
    expect(proxied.at(-1)?.status).toBe(500);

    h.sim.clock.advance(1_000);
    const after = await evaluate(h.deps, ref);
    expect(h.sim.state.isClusterReady('member1')).toBe(false);
    expect(after.outcome).not.toBe('failed');

    // Back up: Ready again once the probes have succeeded for the success threshold.
    h.sim.setMemberDown('member1', false);
    h.sim.clock.advance(30_000);
    expect(h.sim.state.isClusterReady('member1')).toBe(true);
  });
});
