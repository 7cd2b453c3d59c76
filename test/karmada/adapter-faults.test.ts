import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KarmadaApiError } from '../../src/karmada/errors.ts';
import { type Harness, NS, reset, startHarness, TARGET } from './sim-harness.ts';

// The adapter under the simulator's injected faults, over real HTTP: 503/500/429 retried with backoff and
// Retry-After, hangs cut by the per-attempt timeout, a bounded number of attempts, and credentials kept out
// of every error.

let h: Harness;
const FHPA_PATH = '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas/sample-app';

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sim.close());
beforeEach(() => reset(h));

describe('retries', () => {
  it.each([
    { status: 503 as const, retryAfterSeconds: undefined, sleeps: [100, 200] },
    { status: 500 as const, retryAfterSeconds: undefined, sleeps: [100, 200] },
    { status: 429 as const, retryAfterSeconds: 2, sleeps: [2000, 2000] },
  ])('$status twice, then success (sleeps $sleeps)', async ({ status, retryAfterSeconds, sleeps }) => {
    h.sim.faults.addRule({
      path: FHPA_PATH,
      errorRate: 1,
      errorStatus: status,
      limit: 2,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
    const f = await h.adapter.getFederatedHPA(NS, 'sample-app');
    expect(f.metadata.name).toBe('sample-app');
    expect(h.sleeps).toEqual(sleeps);
    expect(h.seen()).toEqual([
      `GET ${FHPA_PATH} ${status}`,
      `GET ${FHPA_PATH} ${status}`,
      `GET ${FHPA_PATH} 200`,
    ]);
  });

  it('writes are retried on 503 too (the guarded PATCH is safe to send again)', async () => {
    const scale = await h.adapter.getScale(NS, TARGET);
    h.sim.faults.addRule({
      method: 'PATCH',
      path: '/apis/apps/v1/**/scale',
      errorRate: 1,
      errorStatus: 503,
      limit: 1,
    });
    const after = await h.adapter.patchScale(NS, TARGET, 3, scale.resourceVersion);
    expect(after.replicas).toBe(3);
    expect(h.sleeps).toEqual([100]);
  });

  it('a fault that does not stop ends after 5 attempts with the last error', async () => {
    h.sim.faults.addRule({ path: FHPA_PATH, errorRate: 1, errorStatus: 503 });
    const err = (await h.adapter
      .getFederatedHPA(NS, 'sample-app')
      .catch((e: unknown) => e)) as KarmadaApiError;
    expect(err).toBeInstanceOf(KarmadaApiError);
    expect([err.status, err.reason, err.attempts]).toEqual([503, 'ServiceUnavailable', 5]);
    expect(h.sleeps).toEqual([100, 200, 400, 800]);
    expect(h.calls.map((c) => c.status)).toEqual([503, 503, 503, 503, 503]);
  });
});

describe('timeouts', () => {
  it('a hanging response is cut by the per-attempt timeout and retried', async () => {
    const adapter = h.newAdapter({ timeoutMs: 150 });
    h.sim.faults.addRule({ path: FHPA_PATH, hangRate: 1, limit: 1 });
    const f = await adapter.getFederatedHPA(NS, 'sample-app');
    expect(f.metadata.name).toBe('sample-app');
    expect(h.calls.map((c) => [c.attempt, c.status])).toEqual([
      [1, 0],
      [2, 200],
    ]);
  });

  it('every attempt hanging ends as a Timeout error naming the call', async () => {
    const adapter = h.newAdapter({ timeoutMs: 100, retries: 2 });
    h.sim.faults.addRule({ path: FHPA_PATH, hangRate: 1 });
    const err = (await adapter.getFederatedHPA(NS, 'sample-app').catch((e: unknown) => e)) as KarmadaApiError;
    expect(err.message).toBe(
      'get autoscaling.karmada.io/v1alpha1/federatedhpas default/sample-app: Timeout: no response within 100 ms (after 2 attempts)',
    );
  });
});

describe('credentials', () => {
  it('a wrong token is 401 Unauthorized, and the token is in no error text', async () => {
    const secret = 'wrong-token-abcdef123456';
    const adapter = h.newAdapter({ connection: { server: h.sim.url, token: secret } });
    const err = (await adapter.getFederatedHPA(NS, 'sample-app').catch((e: unknown) => e)) as KarmadaApiError;
    expect([err.status, err.reason, err.attempts]).toEqual([401, 'Unauthorized', 1]);
    expect(
      [err.message, String(err), JSON.stringify(err), err.stack ?? '', ...h.warnings].join('\n'),
    ).not.toContain(secret);
  });
});

describe('observer', () => {
  it('counts every request an evaluation-shaped sequence sends', async () => {
    const adapter = h.newAdapter();
    const f = await adapter.getFederatedHPA(NS, 'sample-app');
    const ref = f.spec.scaleTargetRef;
    const scale = await adapter.getScale(NS, ref);
    const { clusters } = await adapter.getTargetClusters(NS, ref);
    await adapter.getMemberScales(NS, ref, clusters);
    await adapter.listPods(NS, scale.selector, clusters);
    await adapter.getPodsMetric(NS, 'http_requests', scale.selector, undefined, clusters);
    // 5 calls (the binding by its derived name, beside the cluster list), then one per member cluster for its
    // scale, its pods and its metric.
    const perCluster = (what: string) => clusters.map((c) => `${what} in cluster ${c}`);
    expect(clusters.length).toBeGreaterThan(0);
    expect(h.calls.map((c) => c.resource).sort()).toEqual(
      [
        'autoscaling.karmada.io/v1alpha1/federatedhpas default/sample-app',
        'discovery apps/v1',
        'apps/v1/deployments default/sample-app/scale',
        'work.karmada.io/v1alpha2/resourcebindings default/sample-app-deployment',
        'cluster.karmada.io/v1alpha1/clusters',
        ...perCluster('apps/v1/deployments default/sample-app/scale'),
        ...perCluster('v1/pods default'),
        ...perCluster('custom.metrics.k8s.io/v1beta2/pods/*/http_requests default'),
      ].sort(),
    );
  });
});
