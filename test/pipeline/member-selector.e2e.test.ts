// Issue 16.5: Karmada lists each member's pods with that member's scale selector
// (federatedhpa_controller.go#scaleForTargetCluster); fhpa uses the template scale's selector, which propagated
// Deployments share, and when the template's scale has none (a custom resource whose status Karmada does not
// aggregate) reads each member's instead of stopping at "missing a selector". The simulator's templates always
// report a selector, so a transport in front of it answers the template's /scale without one, as such a custom
// resource's would.
import { afterEach, describe, expect, it } from 'vitest';
import type { Transport } from '../../src/karmada/transport.ts';
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
const ANY_SCALE = /\/apis\/apps\/v1\/namespaces\/default\/deployments\/sample-app\/scale$/;
const ref = { namespace: 'default', name: 'sample-app' };

/** The transport, noting the label selector of every pod list it passes on. */
function notingPodLists(inner: Transport, selectors: string[]): Transport {
  return (req) => {
    const url = new URL(req.url);
    if (url.pathname.endsWith('/namespaces/default/pods'))
      selectors.push(`${url.pathname.split('/')[5]} ${url.searchParams.get('labelSelector')}`);
    return inner(req);
  };
}

async function loaded(transport: Transport) {
  h = await startHarness({ transport, retries: 1 });
  h.sim.applyWalkthrough();
  h.sim.applyFederatedHPA(seedFederatedHPA({ behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } }));
  h.sim.clock.advance(30_000);
  h.sim.setLoad('default', 'sample-app', { rps: 20 });
  return h;
}

describe('a target whose template scale has no selector', () => {
  it('is scaled on the pods each member’s scale selector picks, as Karmada does', async () => {
    const selectors: string[] = [];
    const harness = await loaded(
      notingPodLists(rewriting(TEMPLATE_SCALE, ['status', 'selector'], ''), selectors),
    );
    const r = await evaluate(harness.deps, ref);
    expect(r).toMatchObject({ outcome: 'scaled', currentReplicas: 1 });
    expect(r.desiredReplicas).toBeGreaterThan(1);
    // Every member running it listed its pods with its own scale's selector.
    expect(selectors.length).toBeGreaterThan(0);
    expect(selectors.map((s) => s.split(' ')[1])).toEqual(selectors.map(() => 'app=sample-app'));
  });

  it('decides as it does when the template scale carries the selector', async () => {
    const withSelector = await evaluate((await loaded((req) => fetch(req))).deps, ref);
    await h?.close();
    const without = await evaluate(
      (await loaded(rewriting(TEMPLATE_SCALE, ['status', 'selector'], ''))).deps,
      ref,
    );
    expect(without.desiredReplicas).toBe(withSelector.desiredReplicas);
  });

  it('stops at "missing a selector" (InvalidSelector, event SelectorRequired) when no member has one either', async () => {
    const harness = await loaded(rewriting(ANY_SCALE, ['status', 'selector'], ''));
    const r = await evaluate(harness.deps, ref);
    expect(r).toMatchObject({
      outcome: 'failed',
      retryable: false,
      reason: 'InvalidSelector',
      message: "the HPA target's scale is missing a selector",
    });
    const res = await fetch(`${harness.sim.url}/api/v1/namespaces/default/events`, {
      headers: { Authorization: `Bearer ${harness.sim.token}` },
    });
    const events = ((await res.json()) as { items: Array<{ reason: string }> }).items;
    expect(events.map((e) => e.reason)).toContain('SelectorRequired');
    expect(harness.sim.requestLog.filter((e) => e.method === 'PATCH' && ANY_SCALE.test(e.path))).toEqual([]);
  });
});
