import { describe, expect, it } from 'vitest';
import { createSimulatorApp, SimState } from '../../src/sim/index.ts';
import { applyWalkthrough } from '../../src/sim/setup.ts';

// The same control plane without a socket: a SimState and the Hono app's request(), as tests of the
// pipeline or a Worker-side harness use it.

describe('in-process simulator', () => {
  it('serves the walkthrough through app.request and divides 10 replicas 5/5', async () => {
    const state = new SimState({ token: 't', clusters: ['member1', 'member2'] });
    const app = createSimulatorApp(state);
    applyWalkthrough(state);
    const headers = { authorization: 'Bearer t', 'content-type': 'application/merge-patch+json' };
    const r = await app.request('/apis/apps/v1/namespaces/default/deployments/sample-app/scale', {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ spec: { replicas: 10 } }),
    });
    expect(r.status).toBe(200);
    // The template as written: its aggregated status is written after, as Karmada's status controller does.
    expect(await r.json()).toMatchObject({
      spec: { replicas: 10 },
      status: { replicas: 1, selector: 'app=sample-app' },
    });
    expect(state.memberReplicas('default', 'sample-app')).toEqual({ member1: 5, member2: 5 });
    const scale = await app.request('/apis/apps/v1/namespaces/default/deployments/sample-app/scale', {
      headers,
    });
    expect(await scale.json()).toMatchObject({ status: { replicas: 10 } });
    expect(state.requestLog.map((e) => [e.method, e.status])).toEqual([
      ['PATCH', 200],
      ['GET', 200],
    ]);
  });

  it('follows the wall clock in realtime mode, shifted by advance()', () => {
    const state = new SimState({ clock: 'realtime' });
    const before = Date.now();
    state.clock.advance(60_000);
    expect(state.now()).toBeGreaterThanOrEqual(before + 60_000);
    expect(state.clock.mode).toBe('realtime');
  });

  it('hands every response body to a tap, byte for byte as the client reads it, until untapped', async () => {
    const state = new SimState({ token: 't', clusters: ['member1', 'member2'] });
    const app = createSimulatorApp(state);
    applyWalkthrough(state);
    const bodies: string[] = [];
    const untap = state.tapResponses((body) => bodies.push(body));
    const headers = { authorization: 'Bearer t' };
    const ok = await app.request('/apis/apps/v1/namespaces/default/deployments/sample-app/scale', {
      headers,
    });
    const missing = await app.request('/apis/apps/v1/namespaces/default/deployments/none', { headers });
    expect(bodies).toEqual([await ok.text(), await missing.text()]);
    expect(JSON.parse(bodies[1] ?? '')).toMatchObject({ kind: 'Status', code: 404 });
    untap();
    await app.request('/apis/apps/v1/namespaces/default/deployments/sample-app', { headers });
    expect(bodies).toHaveLength(2);
  });
});
