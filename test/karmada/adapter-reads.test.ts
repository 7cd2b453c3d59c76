import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isNotFound, type KarmadaApiError, KarmadaStateError } from '../../src/karmada/errors.ts';
import { MemberPermissionError } from '../../src/karmada/member-permission.ts';
import { type Harness, NS, reset, sampleFHPA, startHarness, TARGET } from './sim-harness.ts';

// Every read of the adapter against the simulator over HTTP: FederatedHPA/CronFederatedHPA get and
// paginated list, the scale subresource through discovery, placement (binding → Ready clusters → member
// scales, karmada.md §b.2–b.3), pods through the cluster proxy, and the three metrics APIs.

let h: Harness;
const PROXY = '/apis/cluster.karmada.io/v1alpha1/clusters';

beforeAll(async () => {
  h = await startHarness();
  // Scale the walkthrough to 10 so both members run pods (static weights 1:1 → 5/5, issue 4 "done when").
  const scale = await h.adapter.getScale(NS, TARGET);
  await h.adapter.patchScale(NS, TARGET, 10, scale.resourceVersion);
  h.sim.clock.advance(60_000);
});
afterAll(() => h.sim.close());
beforeEach(() => reset(h));

describe('FederatedHPA and CronFederatedHPA', () => {
  it('gets a FederatedHPA validated by the shared schema', async () => {
    const f = await h.adapter.getFederatedHPA(NS, 'sample-app');
    expect([f.kind, f.metadata.name, f.spec.maxReplicas, f.spec.scaleTargetRef]).toEqual([
      'FederatedHPA',
      'sample-app',
      10,
      TARGET,
    ]);
    expect(f.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  it('a missing FederatedHPA is NotFound, naming verb and resource', async () => {
    const err = await h.adapter.getFederatedHPA(NS, 'nope').catch((e: unknown) => e);
    expect(isNotFound(err)).toBe(true);
    expect((err as Error).message).toBe(
      'get autoscaling.karmada.io/v1alpha1/federatedhpas default/nope: 404 NotFound: federatedhpas.autoscaling.karmada.io "nope" not found',
    );
  });

  it('lists all namespaces page by page, by namespace and by label', async () => {
    for (const [name, ns] of [
      ['a', 'default'],
      ['b', 'default'],
      ['c', 'shop'],
      ['d', 'shop'],
    ] as const) {
      h.sim.applyFederatedHPA(sampleFHPA(name, ns, { tier: ns === 'shop' ? 'web' : 'batch' }));
    }
    h.resetSeen();
    const all = await h.adapter.listFederatedHPAs({ pageSize: 2 });
    expect(all.map((f) => `${f.metadata.namespace}/${f.metadata.name}`).sort()).toEqual([
      'default/a',
      'default/b',
      'default/sample-app',
      'shop/c',
      'shop/d',
    ]);
    expect(h.seen()).toEqual(Array(3).fill('GET /apis/autoscaling.karmada.io/v1alpha1/federatedhpas 200'));
    expect((await h.adapter.listFederatedHPAs({ namespace: 'shop' })).map((f) => f.metadata.name)).toEqual([
      'c',
      'd',
    ]);
    expect(
      (await h.adapter.listFederatedHPAs({ labelSelector: 'tier=batch' })).map((f) => f.metadata.name),
    ).toEqual(['a', 'b']);
  });

  it('gets and lists CronFederatedHPAs', async () => {
    h.sim.applyCronFederatedHPA({
      apiVersion: 'autoscaling.karmada.io/v1alpha1',
      kind: 'CronFederatedHPA',
      metadata: { name: 'nightly', namespace: NS },
      spec: { scaleTargetRef: TARGET, rules: [{ name: 'down', schedule: '0 22 * * *', targetReplicas: 2 }] },
    });
    const cron = await h.adapter.getCronFederatedHPA(NS, 'nightly');
    expect(cron.spec.rules.map((r) => [r.name, r.schedule, r.targetReplicas])).toEqual([
      ['down', '0 22 * * *', 2],
    ]);
    expect((await h.adapter.listCronFederatedHPAs({ pageSize: 1 })).map((c) => c.metadata.name)).toEqual([
      'nightly',
    ]);
  });
});

describe('scale subresource', () => {
  it('reads the template scale, resolving the resource once through discovery', async () => {
    const adapter = h.newAdapter();
    const scale = await adapter.getScale(NS, TARGET);
    await adapter.getScale(NS, { kind: 'Deployment', name: 'sample-app' }); // apiVersion optional for Deployment
    expect(scale).toEqual({
      replicas: 10,
      statusReplicas: 10,
      selector: 'app=sample-app',
      resourceVersion: scale.resourceVersion,
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    });
    expect(h.seen()).toEqual([
      'GET /apis/apps/v1 200',
      'GET /apis/apps/v1/namespaces/default/deployments/sample-app/scale 200',
      'GET /apis/apps/v1/namespaces/default/deployments/sample-app/scale 200',
    ]);
  });

  it('reads a StatefulSet scale', async () => {
    h.sim.applyDeployment({ name: 'db', kind: 'StatefulSet', replicas: 2, containers: [{ name: 'pg' }] });
    const scale = await h.adapter.getScale(NS, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });
    expect([scale.replicas, scale.selector, scale.resource.resource]).toEqual([2, 'app=db', 'statefulsets']);
  });

  it.each([
    {
      ref: { apiVersion: 'apps/v1', kind: 'Widget', name: 'w' },
      message: 'no resource of kind Widget is served at apps/v1',
    },
    { ref: { kind: 'Widget', name: 'w' }, message: 'scaleTargetRef.apiVersion is required for kind Widget' },
  ])('an unresolvable target says why: $message', async ({ ref, message }) => {
    const err = await h.adapter.getScale(NS, ref).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KarmadaStateError);
    expect((err as Error).message).toBe(message);
  });

  it('a target that does not exist is NotFound', async () => {
    const err = await h.adapter.getScale(NS, { ...TARGET, name: 'ghost' }).catch((e: unknown) => e);
    expect([isNotFound(err), (err as KarmadaApiError).resource]).toEqual([
      true,
      'apps/v1/deployments default/ghost/scale',
    ]);
  });
});

describe('placement', () => {
  it('Divided 1:1 at 10 replicas: 5/5 over member1 and member2, calibration 1', async () => {
    expect(await h.adapter.getPlacement(NS, TARGET)).toEqual({
      clusters: [
        { name: 'member1', specReplicas: 5, statusReplicas: 5, selector: 'app=sample-app' },
        { name: 'member2', specReplicas: 5, statusReplicas: 5, selector: 'app=sample-app' },
      ],
      memberSpecReplicas: 10,
      memberStatusReplicas: 10,
      calibration: 1,
      templateReplicas: 10,
      binding: 'sample-app-deployment',
    });
  });

  it('Duplicated over three clusters: calibration 3 (federatedhpa-v2 proposal)', async () => {
    h.sim.applyDeployment({
      name: 'dup',
      replicas: 2,
      containers: [{ name: 'c', requests: { cpu: '100m' } }],
    });
    h.sim.applyPropagationPolicy({
      name: 'dup',
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'dup' }],
      placement: { replicaScheduling: { replicaSchedulingType: 'Duplicated' } },
    });
    const p = await h.adapter.getPlacement(NS, { ...TARGET, name: 'dup' });
    expect([p.clusters.map((c) => c.name), p.memberSpecReplicas, p.calibration]).toEqual([
      ['member1', 'member2', 'member3'],
      6,
      3,
    ]);
  });

  it('a cluster that is not Ready is left out', async () => {
    h.sim.setClusterReady('member2', false);
    try {
      const p = await h.adapter.getPlacement(NS, TARGET);
      expect([p.clusters.map((c) => c.name), p.memberSpecReplicas, p.calibration]).toEqual([
        ['member1'],
        5,
        0.5,
      ]);
    } finally {
      h.sim.setClusterReady('member2', true);
    }
  });

  it('a member without the workload is skipped with a warning (scaleForTargetCluster)', async () => {
    h.sim.faults.addRule({ path: `${PROXY}/member2/proxy/apis/apps/v1/**`, errorRate: 1, errorStatus: 404 });
    const p = await h.adapter.getPlacement(NS, TARGET);
    expect(p.clusters.map((c) => c.name)).toEqual(['member1']);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toMatch(
      /^skipping cluster member2: get apps\/v1\/deployments default\/sample-app\/scale in cluster member2: 404 NotFound: /,
    );
  });

  it('a member refusing the read (403) fails the placement with the missing grant, not a skip', async () => {
    h.sim.faults.addRule({ path: `${PROXY}/member2/proxy/apis/apps/v1/**`, errorRate: 1, errorStatus: 403 });
    const err = await h.adapter.getPlacement(NS, TARGET).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MemberPermissionError);
    expect((err as MemberPermissionError).grant).toMatch(
      /^member cluster member2 does not grant \S+ "get" on deployments\/scale in API group "apps": apply the fhpa-member ClusterRole/,
    );
    expect(h.warnings).toEqual([]);
  });

  it('a member whose scale read fails transiently fails the placement instead (fhpa departs from Karmada)', async () => {
    h.sim.faults.addRule({ path: `${PROXY}/member2/proxy/apis/apps/v1/**`, errorRate: 1, errorStatus: 503 });
    const err = await h.adapter.getPlacement(NS, TARGET).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/deployments default\/sample-app\/scale in cluster member2: 503/);
    expect(h.warnings.filter((w) => w.startsWith('skipping cluster'))).toEqual([]);
  });

  it('a template no policy selected has no binding (getBindingByLabel)', async () => {
    h.sim.applyDeployment({ name: 'lonely', replicas: 1, containers: [{ name: 'c' }] });
    const err = await h.adapter.getPlacement(NS, { ...TARGET, name: 'lonely' }).catch((e: unknown) => e);
    expect([(err as KarmadaStateError).reason, (err as Error).message]).toEqual([
      'FailedGetBinding',
      'no label of policy permanent-id found',
    ]);
  });
});

describe('pods through the cluster proxy', () => {
  it('lists each member, page by page, mapped to PodInfo', async () => {
    const pods = await h.adapter.listPods(NS, 'app=sample-app', ['member1', 'member2']);
    expect(pods.map((p) => p.cluster)).toEqual([...Array(5).fill('member1'), ...Array(5).fill('member2')]);
    const [first] = pods;
    expect(first).toMatchObject({
      phase: 'Running',
      ready: true,
      containers: [{ name: 'metrics-provider', requests: { cpu: '100m' } }],
    });
    expect(first?.startTime).toBeTypeOf('number');
    expect(first?.readyTransitionTime).toBeGreaterThanOrEqual(first?.startTime ?? Number.POSITIVE_INFINITY);
    expect(h.seen()).toEqual([
      `GET ${PROXY}/member1/proxy/api/v1/namespaces/default/pods 200`,
      `GET ${PROXY}/member2/proxy/api/v1/namespaces/default/pods 200`,
    ]);
  });

  it('fails when a member cannot be listed, rather than deciding on part of the pods', async () => {
    h.sim.faults.addRule({ path: `${PROXY}/member2/proxy/api/v1/**`, errorRate: 1, errorStatus: 500 });
    const err = (await h.adapter
      .listPods(NS, 'app=sample-app', ['member1', 'member2'])
      .catch((e: unknown) => e)) as KarmadaApiError;
    expect([err.resource, err.status, err.attempts]).toEqual(['v1/pods default in cluster member2', 500, 5]);
  });
});

describe('resource metrics', () => {
  it('reads each member through the proxy, keyed by cluster and pod', async () => {
    const samples = await h.adapter.getResourceMetrics(NS, 'app=sample-app', ['member1', 'member2']);
    const pods = await h.adapter.listPods(NS, 'app=sample-app', ['member1', 'member2']);
    expect(samples.map((s) => `${s.cluster}/${s.pod}`)).toEqual(pods.map((p) => `${p.cluster}/${p.name}`));
    expect(samples[0]?.windowMs).toBe(30_000);
    expect(Object.keys(samples[0]?.containers ?? {})).toEqual(['metrics-provider']);
    expect(Object.keys(samples[0]?.containers['metrics-provider'] ?? {}).sort()).toEqual(['cpu', 'memory']);
  });

  it('falls back to the aggregated API when the proxy refuses (403), for good', async () => {
    const adapter = h.newAdapter();
    const direct = await adapter.getResourceMetrics(NS, 'app=sample-app', ['member1', 'member2']);
    h.sim.faults.addRule({ path: `${PROXY}/*/proxy/apis/metrics.k8s.io/**`, errorRate: 1, errorStatus: 403 });
    const viaKarmada = await adapter.getResourceMetrics(NS, 'app=sample-app', ['member1', 'member2']);
    const byKey = (list: typeof direct) =>
      [...list].sort((a, b) => (`${a.cluster}/${a.pod}` < `${b.cluster}/${b.pod}` ? -1 : 1));
    expect(byKey(viaKarmada)).toEqual(byKey(direct));
    h.resetSeen();
    await adapter.getResourceMetrics(NS, 'app=sample-app', ['member1']);
    expect(h.seen()).toEqual(['GET /apis/metrics.k8s.io/v1beta1/namespaces/default/pods 200']);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toMatch(/using the aggregated metrics\.k8s\.io API$/);
  });

  it('a member that keeps failing transiently fails the metric (fhpa departs from Karmada): no partial read', async () => {
    h.sim.faults.addRule({
      path: `${PROXY}/member2/proxy/apis/metrics.k8s.io/**`,
      errorRate: 1,
      errorStatus: 503,
    });
    const err = await h.adapter
      .getResourceMetrics(NS, 'app=sample-app', ['member1', 'member2'])
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/cluster member2: 503/);
    expect(h.warnings).toEqual([]);
  });

  it('a pods metric a member fails transiently fails too; a member that has no such metric is skipped', async () => {
    h.sim.faults.addRule({
      name: 'flaky',
      path: `${PROXY}/member2/proxy/apis/custom.metrics.k8s.io/**`,
      errorRate: 1,
      errorStatus: 503,
    });
    const failed = await h.adapter
      .getPodsMetric(NS, 'http_requests', 'app=sample-app', undefined, ['member1', 'member2'])
      .catch((e: unknown) => e);
    expect((failed as Error).message).toMatch(/cluster member2: 503/);
    h.sim.faults.clear();
    h.sim.faults.addRule({
      path: `${PROXY}/member2/proxy/apis/custom.metrics.k8s.io/**`,
      errorRate: 1,
      errorStatus: 403,
    });
    const samples = await h.adapter.getPodsMetric(NS, 'http_requests', 'app=sample-app', undefined, [
      'member1',
      'member2',
    ]);
    expect(new Set(samples.map((s) => s.cluster))).toEqual(new Set(['member1']));
    expect(h.warnings.at(-1)).toMatch(/^pods metric http_requests of cluster member2 skipped: .*403/);
  });
});

describe('custom and external metrics', () => {
  it('Pods metric per member from custom.metrics.k8s.io/v1beta2', async () => {
    const samples = await h.adapter.getPodsMetric(NS, 'http_requests', 'app=sample-app', undefined, [
      'member1',
      'member2',
    ]);
    expect(samples).toHaveLength(10);
    // 5 rps over 10 ready pods.
    expect(new Set(samples.map((s) => s.value))).toEqual(new Set(['500m']));
    expect(samples[0]?.windowMs).toBe(30_000);
  });

  it('falls back to v1beta1 when v1beta2 is not served, and remembers it per cluster', async () => {
    const adapter = h.newAdapter();
    h.sim.faults.addRule({
      path: `${PROXY}/*/proxy/apis/custom.metrics.k8s.io/v1beta2**`,
      errorRate: 1,
      errorStatus: 404,
    });
    const first = await adapter.getPodsMetric(NS, 'http_requests', 'app=sample-app', undefined, ['member1']);
    h.resetSeen();
    await adapter.getPodsMetric(NS, 'http_requests', 'app=sample-app', undefined, ['member1']);
    expect(first.map((s) => s.value)).toEqual(Array(5).fill('500m'));
    expect(h.seen()).toEqual([
      `GET ${PROXY}/member1/proxy/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/http_requests 200`,
    ]);
  });

  it('a metric that does not exist stays NotFound (no version fallback when v1beta2 is served)', async () => {
    const err = await h.adapter
      .getPodsMetric(NS, 'no_such_metric', 'app=sample-app', undefined, ['member1'])
      .catch((e: unknown) => e);
    expect(isNotFound(err)).toBe(true);
    expect(h.seen().filter((s) => s.includes('v1beta1/namespaces'))).toEqual([]);
  });

  it.each([
    { name: 'Deployment', ref: TARGET, value: '5' },
    { name: 'Service', ref: { apiVersion: 'v1', kind: 'Service', name: 'sample-app' }, value: '5' },
  ])('Object metric on a $name through karmada-metrics-adapter', async ({ ref, value }) => {
    expect((await h.adapter.getObjectMetric(NS, ref, 'requests-per-second')).value).toBe(value);
  });

  it('External metric values with their selector', async () => {
    h.sim.setExternalMetric(NS, 'queue_depth', 42, { queue: 'orders' });
    h.sim.setExternalMetric(NS, 'queue_depth', 7, { queue: 'refunds' });
    const all = await h.adapter.getExternalMetric(NS, 'queue_depth');
    const orders = await h.adapter.getExternalMetric(NS, 'queue_depth', { matchLabels: { queue: 'orders' } });
    expect([all.values.sort(), orders.values]).toEqual([['42', '7'], ['42']]);
  });

  it('an unknown External metric is NotFound; one whose selector matches nothing has no values (GetExternalMetric)', async () => {
    h.sim.setExternalMetric(NS, 'queue_depth', 42, { queue: 'orders' });
    const unknown = await h.adapter.getExternalMetric(NS, 'nothing_here').catch((e: unknown) => e);
    const empty = await h.adapter
      .getExternalMetric(NS, 'queue_depth', { matchLabels: { queue: 'none' } })
      .catch((e: unknown) => e);
    expect(isNotFound(unknown)).toBe(true);
    expect([(empty as KarmadaStateError).reason, (empty as Error).message]).toEqual([
      'FailedGetExternalMetric',
      'no metrics returned from external metrics API',
    ]);
  });
});
