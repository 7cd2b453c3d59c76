import { afterEach, describe, expect, it } from 'vitest';
import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { EVENTS, FEDERATED_HPAS } from '../../src/sim/resources.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// Another writer of the scale (Karmada's own FederatedHPA controller left enabled, `kubectl scale`, a GitOps
// sync) is noticed from the history: the next evaluation says so once, in its answer, a Warning Event and the
// AbleToScale condition (src/pipeline/scale-owner.ts).

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const ref = { namespace: 'default', name: 'sample-app' };

async function scaleTo(harness: Harness, replicas: number) {
  const res = await fetch(`${harness.sim.url}/apis/apps/v1/namespaces/default/deployments/sample-app/scale`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${harness.sim.token}`, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ spec: { replicas } }),
  });
  expect(res.status).toBe(200);
}

describe('a scale changed by another writer', () => {
  it('is reported once: answer, Event, AbleToScale; not after fhpa rescaled itself', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyFederatedHPA(seedFederatedHPA({ behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } }));
    h.sim.clock.advance(30_000);
    h.sim.setLoad('default', 'sample-app', { rps: 20 });

    const first = await evaluate(h.deps, ref);
    expect(first).toMatchObject({ outcome: 'scaled', desiredReplicas: 5 });
    expect(first.scaleChangedByAnotherWriter).toBeUndefined();

    h.sim.clock.advance(15_000);
    await scaleTo(h, 3);
    h.sim.clock.advance(15_000);
    const second = await evaluate(h.deps, ref);
    expect(second.scaleChangedByAnotherWriter).toEqual({ from: 5, to: 3, since: expect.any(Number) });
    expect(second.currentReplicas).toBe(3);
    const events = h.sim.state.store
      .list(EVENTS, 'default')
      .filter((e) => (e as { reason?: string }).reason === 'ScaleChangedByAnotherWriter');
    expect(events.map((e) => (e as { message?: string }).message)).toEqual([
      expect.stringMatching(
        /^another writer changed the scale from 5 to 3 since fhpa's decision at .*Z; disable Karmada's FederatedHPA and CronFederatedHPA controllers \(--controllers=\*,-federatedHorizontalPodAutoscaler,-cronFederatedHorizontalPodAutoscaler\)/,
      ),
    ]);
    const fhpa = h.sim.state.store.mustGet(FEDERATED_HPAS, 'default', 'sample-app') as FederatedHPA;
    const able = fhpa.status?.conditions?.find((c) => c.type === 'AbleToScale');
    expect(able?.message).toContain('another writer changed the scale from 5 to 3');

    h.sim.clock.advance(15_000);
    const third = await evaluate(h.deps, ref);
    expect(third.scaleChangedByAnotherWriter).toBeUndefined();
  });
});
