// Every trigger route of the app as the Node runtime assembles it from the environment (createRuntime: the
// same start-up path as `fhpa serve` and Lambda), against the simulated Karmada over HTTP and the DynamoDB
// history store on a real DynamoDB-compatible server (dynalite). Issue 6: "End-to-end tests drive each trigger
// over HTTP against the simulated Karmada and a real store".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertNotification } from '../../bench/support/fixtures.ts';
import { nodeTransport } from '../../src/karmada/node-transport.ts';
import { silentLogger } from '../../src/log.ts';
import { nodeConnection } from '../../src/runtime/node-connection.ts';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';
import { sdkConnector } from '../../src/store/connect-sdk.ts';
import { type DynaliteServer, dynaliteEnv, initDynaliteTable, startDynalite } from '../support/dynalite.ts';
import { seedFederatedHPA } from '../support/seed.ts';

const TOKEN = 'trigger-e2e-token-0123456789abcdef';
const SCOPE = 'e2e';
let dynalite: DynaliteServer;
let sim: Simulator;
let rt: Runtime;

beforeAll(async () => {
  dynalite = await startDynalite();
  const storeEnv = dynaliteEnv(dynalite.endpoint, 'fhpa-history');
  await initDynaliteTable(dynalite.endpoint, 'fhpa-history');
  sim = await startSimulator({ clusters: ['member1', 'member2'] });
  sim.applyWalkthrough();
  sim.applyFederatedHPA(
    seedFederatedHPA({
      behavior: { scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: { stabilizationWindowSeconds: 0 } },
    }),
  );
  sim.clock.advance(30_000);
  rt = await createRuntime({
    rawEnv: {
      FHPA_KARMADA_SERVER: sim.url,
      FHPA_KARMADA_TOKEN: sim.token,
      FHPA_AUTH_TOKEN: TOKEN,
      FHPA_SCOPE: SCOPE,
      FHPA_STORE: 'dynamodb',
      ...storeEnv,
    },
    connection: nodeConnection,
    transport: nodeTransport(),
    dynamo: sdkConnector,
    clock: () => sim.clock.now(),
    log: silentLogger,
  });
});
afterAll(async () => {
  rt?.deps.store.close?.();
  await sim?.close();
  await dynalite?.stop();
});

const post = (path: string, body?: unknown) =>
  rt.app.fetch(
    new Request(`http://fhpa.test${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

const alert = (status: 'firing' | 'resolved') =>
  alertNotification([{ namespace: 'default', name: 'sample-app' }], status);

const stored = () => rt.deps.store.load({ scope: SCOPE, namespace: 'default', name: 'sample-app' });

describe('trigger routes on the Node runtime with the DynamoDB store', () => {
  it('POST /alerts, POST /evaluate and POST /sweep each decide, scale and save history to DynamoDB', async () => {
    // The alert: 20 req/s on one pod wants 29; the default scale-up policy allows +4.
    sim.setLoad('default', 'sample-app', { rps: 20 });
    const a = await post('/alerts', alert('firing'));
    expect(a.status).toBe(200);
    expect(await a.json()).toMatchObject({ alerts: [{ outcome: 'scaled', desiredReplicas: 5 }] });
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 3, member2: 2 });
    const afterAlert = await stored();
    expect(afterAlert.version).toBe(1);
    expect(afterAlert.history.scaleUpEvents.map((e) => e.replicaChange)).toEqual([4]);

    // 15 s later, the manual trigger: 5 → 10 (the policy allows +100 % or +4 per 15 s).
    sim.clock.advance(15_000);
    const e = await post('/evaluate/default/sample-app');
    expect(e.status).toBe(200);
    expect(await e.json()).toMatchObject({ outcome: 'scaled', currentReplicas: 5, desiredReplicas: 10 });
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 5, member2: 5 });
    expect((await stored()).version).toBe(2);

    // The load stops; the sweep brings it back to 1 and records the scale-down in the same item.
    sim.setLoad('default', 'sample-app', { rps: 0.1 });
    sim.clock.advance(15_000);
    const s = await post('/sweep');
    expect(s.status).toBe(200);
    expect(await s.json()).toMatchObject({ listed: 1, evaluated: 1, outcomes: { scaled: 1 } });
    // Karmada's division gives member2 nothing, and drops it from the binding.
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 1 });
    const final = await stored();
    expect(final.version).toBe(3);
    expect(final.history.scaleDownEvents.map((x) => x.replicaChange)).toEqual([9]);
    // Both windows are 0 s: the item is pruned to the newest recommendation, so it cannot grow without bound.
    expect(final.history.recommendations.map((r) => r.replicas)).toEqual([1]);
  });

  it('refuses each trigger route without credentials, and touches nothing', async () => {
    const before = await stored();
    for (const path of ['/alerts', '/evaluate/default/sample-app', '/sweep']) {
      const res = await rt.app.fetch(new Request(`http://fhpa.test${path}`, { method: 'POST' }));
      expect(res.status, path).toBe(401);
    }
    expect((await stored()).version).toBe(before.version);
  });
});
