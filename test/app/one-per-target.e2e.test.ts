import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.ts';
import { createKarmadaAdapter } from '../../src/karmada/adapter.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';
import { writesSince } from '../support/writes.ts';

// One autoscaler per target, at admission: the webhook reads the simulated Karmada (other FederatedHPAs of the
// namespace, the target, its binding) within a short timeout, refuses a second FederatedHPA on one target, warns
// about a missing target or PropagationPolicy, and admits on the spec alone when Karmada cannot be read.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GROUP = 'autoscaling.karmada.io';

function review(object: unknown, operation: 'CREATE' | 'UPDATE' = 'CREATE') {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'b5f9a6c2-0000-4000-8000-000000000012',
      kind: { group: GROUP, version: 'v1alpha1', kind: 'FederatedHPA' },
      resource: { group: GROUP, version: 'v1alpha1', resource: 'federatedhpas' },
      namespace: 'default',
      operation,
      userInfo: { username: 'kubectl' },
      object,
    },
  };
}

function named(name: string, target = 'sample-app') {
  const f = seedFederatedHPA({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target } });
  return { ...f, metadata: { name, namespace: 'default' } };
}

async function setup(timeoutMs = 1_000) {
  h = await startHarness();
  h.sim.applyWalkthrough();
  h.sim.applyFederatedHPA(seedFederatedHPA());
  const harness = h;
  return createApp({
    deps: () => harness.deps,
    credentials: { bearerToken: 'one-per-target-token-0123456789' },
    maxBodyBytes: 64 * 1024,
    admissionLookupTimeoutMs: timeoutMs,
  });
}

async function admit(app: ReturnType<typeof createApp>, object: unknown, operation?: 'CREATE' | 'UPDATE') {
  const res = await app.request('/validate-federatedhpa', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(review(object, operation)),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { response: Record<string, unknown> }).response;
}

/** The warnings of this check (the seed spec has warnings of its own). */
const ours = (warnings: unknown) =>
  ((warnings as string[] | undefined) ?? []).filter(
    (w) => w.includes('scaleTargetRef:') || w.includes('one-autoscaler'),
  );

describe('one autoscaler per target', () => {
  it('refuses a second FederatedHPA on a target, on CREATE and UPDATE, and reads only', async () => {
    const app = await setup();
    const from = h!.sim.requestLog.length;
    const message =
      'spec.scaleTargetRef: Forbidden: Deployment/sample-app is already the target of FederatedHPA default/sample-app: one autoscaler per target';
    for (const op of ['CREATE', 'UPDATE'] as const) {
      expect(await admit(app, named('second'), op)).toMatchObject({
        allowed: false,
        status: { code: 403, reason: 'Forbidden', message },
      });
    }
    expect(writesSince(h!.sim, from)).toEqual([]);
  });

  it('admits the FederatedHPA that already targets it (an UPDATE of itself)', async () => {
    const app = await setup();
    const r = await admit(app, named('sample-app'), 'UPDATE');
    expect(r.allowed).toBe(true);
    expect(ours(r.warnings)).toEqual([]);
  });

  it('warns when the target does not exist, or no PropagationPolicy propagates it', async () => {
    const app = await setup();
    expect(ours((await admit(app, named('ghost', 'nothing-here'))).warnings)).toEqual([
      'spec.scaleTargetRef: Deployment/nothing-here does not exist in namespace default (yet)',
    ]);
    h!.sim.applyDeployment({
      namespace: 'default',
      name: 'lonely',
      replicas: 1,
      labels: { app: 'lonely' },
      containers: [{ name: 'c', requests: { cpu: '100m' } }],
    });
    const lonely = await admit(app, named('lonely', 'lonely'));
    expect(lonely.allowed).toBe(true);
    expect(ours(lonely.warnings)).toEqual([
      expect.stringMatching(/^spec.scaleTargetRef: no PropagationPolicy propagates Deployment\/lonely/),
    ]);
  });

  it('admits on the spec alone, with a warning, when Karmada does not answer in time', async () => {
    const app = await setup(300);
    h!.sim.faults.setRules([{ path: '/**', hangRate: 1 }]);
    const r = await admit(app, named('second'));
    h!.sim.faults.releaseHangs();
    expect(r).toMatchObject({ allowed: true });
    expect(ours(r.warnings)).toEqual([
      'the one-autoscaler-per-target check was skipped (Karmada did not answer within 300 ms); the spec was validated',
    ]);
  });

  it('admits on the spec alone when Karmada cannot be reached, and still refuses a bad spec', async () => {
    const app = await setup();
    h!.deps = {
      ...h!.deps,
      karmada: createKarmadaAdapter({
        connection: { server: 'http://127.0.0.1:9' },
        retries: 1,
        timeoutMs: 200,
      }),
    };
    const r = await admit(app, named('second'));
    expect(r.allowed).toBe(true);
    expect(ours(r.warnings)).toEqual([
      expect.stringMatching(/^the one-autoscaler-per-target check was skipped \(/),
    ]);
    const bad = { ...named('second'), spec: { ...named('second').spec, maxReplicas: 0 } };
    expect((await admit(app, bad)).allowed).toBe(false);
  });
});
