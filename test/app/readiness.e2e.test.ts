// Issue 19.8: /readyz says whether this instance can work (Karmada and the history store answer), cheaply
// (answers reused for 5 s), bounded, and without echoing anything secret; /healthz stays liveness only.
// Driven through createRuntime (the start-up path of every runtime) against the simulator and dynalite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTransport } from '../../src/karmada/node-transport.ts';
import { silentLogger } from '../../src/log.ts';
import { nodeConnection } from '../../src/runtime/node-connection.ts';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';
import { sdkConnector } from '../../src/store/connect-sdk.ts';
import { type DynaliteServer, dynaliteEnv, initDynaliteTable, startDynalite } from '../support/dynalite.ts';

let dynalite: DynaliteServer;
let sim: Simulator;
const runtimes: Runtime[] = [];

beforeAll(async () => {
  dynalite = await startDynalite();
  await initDynaliteTable(dynalite.endpoint, 'fhpa-ready');
  sim = await startSimulator({ clusters: ['member1'] });
});
afterAll(async () => {
  for (const rt of runtimes) rt.deps.store.close?.();
  await sim?.close();
  await dynalite?.stop();
});

async function runtime(env: Record<string, string>): Promise<Runtime> {
  const rt = await createRuntime({
    rawEnv: {
      FHPA_KARMADA_SERVER: sim.url,
      FHPA_KARMADA_TOKEN: sim.token,
      FHPA_KARMADA_TIMEOUT_MS: '500',
      ...env,
    },
    connection: nodeConnection,
    transport: nodeTransport(),
    dynamo: sdkConnector,
    clock: () => sim.clock.now(),
    log: silentLogger,
  });
  runtimes.push(rt);
  return rt;
}

const probe = async (rt: Runtime, path = '/readyz') => {
  const res = await rt.app.fetch(new Request(`http://fhpa.test${path}`));
  return { status: res.status, text: await res.text() };
};
const probes = () => sim.requestLog.filter((r) => r.path.endsWith('/federatedhpas')).length;

describe('/readyz', () => {
  it('is ready when Karmada and the DynamoDB store answer, and reuses its answer for 5 s', async () => {
    const rt = await runtime({ FHPA_STORE: 'dynamodb', ...dynaliteEnv(dynalite.endpoint, 'fhpa-ready') });
    const before = probes();
    const r = await probe(rt);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ status: 'ready', checks: { karmada: 'ok', store: 'ok' } });
    await probe(rt);
    expect(probes()).toBe(before + 1);
    sim.clock.advance(5_000);
    await probe(rt);
    expect(probes()).toBe(before + 2);
  });

  it('is not ready when Karmada refuses the credentials, and names the class of failure only', async () => {
    const wrong = 'a-wrong-token-that-must-not-be-echoed';
    const rt = await runtime({ FHPA_KARMADA_TOKEN: wrong });
    const r = await probe(rt);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toEqual({
      status: 'not ready',
      checks: { karmada: '401 Unauthorized', store: 'ok' },
    });
    expect(r.text).not.toContain(wrong);
    // Liveness is not readiness: the process is fine, restarting it would not help.
    expect((await probe(rt, '/healthz')).status).toBe(200);
  });

  it('is not ready when the store is unreachable, within its time bound', async () => {
    const rt = await runtime({
      FHPA_STORE: 'dynamodb',
      ...dynaliteEnv('http://127.0.0.1:9', 'fhpa-ready'), // port 9 (discard): nothing listens on loopback
      FHPA_DYNAMODB_MAX_ATTEMPTS: '1',
    });
    const started = performance.now();
    const r = await probe(rt);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.status).toBe(503);
    const body = JSON.parse(r.text);
    expect(body.checks.karmada).toBe('ok');
    expect(body.checks.store).not.toBe('ok');
    expect(r.text).not.toContain('fhpatest');
  });

  it('is not ready when Karmada is unreachable', async () => {
    const rt = await runtime({});
    expect((await probe(rt)).status).toBe(200);
    await sim.close();
    sim.clock.advance(5_000);
    const r = await probe(rt);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text).checks).toEqual({ karmada: 'NetworkError', store: 'ok' });
  });
});
