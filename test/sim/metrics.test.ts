import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUERY_FROM_CLUSTER, type Simulator, startSimulator } from '../../src/sim/index.ts';
import { client, SCALE_PATH } from './http-client.ts';

// The metrics APIs on the Karmada API server (karmada-metrics-adapter, pkg/metricsadapter/provider:
// resource metrics concatenated and annotated with the cluster, custom metrics summed by pod name) and
// per member through the cluster proxy, computed from the load model. The walkthrough's numbers: 4 ready
// pods sharing 2.8 requests/s each serve 700m, the FederatedHPA's averageValue target.

let sim: Simulator;
let api: ReturnType<typeof client>;
const PROXY = (cluster: string) => `/apis/cluster.karmada.io/v1alpha1/clusters/${cluster}/proxy`;
const SELECTOR = `labelSelector=${encodeURIComponent('app=sample-app')}`;

beforeEach(async () => {
  sim = await startSimulator();
  api = client(sim);
  sim.applyWalkthrough();
  await api.patch(SCALE_PATH, { spec: { replicas: 4 } });
  sim.clock.advance(5_000);
  sim.setLoad('default', 'sample-app', { rps: 2.8 });
});
afterEach(() => sim.close());

type Item = { describedObject: { name: string }; value: string };
const podNames = (cluster?: string) =>
  sim.state
    .pods({ ...(cluster ? { cluster } : {}) })
    .map((p) => p.pod.metadata.name)
    .sort();

describe('custom.metrics.k8s.io (Pods metric http_requests)', () => {
  it('v1beta2 on the control plane: one item per pod of every cluster, value rps / ready pods', async () => {
    const r = await api.get(
      `/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests?${SELECTOR}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('MetricValueList');
    expect(r.body.apiVersion).toBe('custom.metrics.k8s.io/v1beta2');
    expect(r.body.items.map((i: Item) => i.describedObject.name)).toEqual(podNames());
    expect(r.body.items[0]).toEqual({
      describedObject: { kind: 'Pod', namespace: 'default', name: podNames()[0], apiVersion: '/v1' },
      metric: { name: 'http_requests', selector: null },
      timestamp: '2026-01-01T00:00:05Z',
      windowSeconds: 30,
      value: '700m',
    });
  });

  it('v1beta1 has metricName instead of a metric object', async () => {
    const r = await api.get(
      `/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/http_requests?${SELECTOR}`,
    );
    expect(r.body.apiVersion).toBe('custom.metrics.k8s.io/v1beta1');
    expect(r.body.items[0]).toEqual({
      describedObject: expect.any(Object),
      metricName: 'http_requests',
      timestamp: '2026-01-01T00:00:05Z',
      windowSeconds: 30,
      value: '700m',
    });
  });

  it('through the cluster proxy: only that member’s pods', async () => {
    for (const cluster of ['member1', 'member2']) {
      const r = await api.get(
        `${PROXY(cluster)}/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests?${SELECTOR}`,
      );
      expect(r.body.items.map((i: Item) => [i.describedObject.name, i.value])).toEqual(
        podNames(cluster).map((n) => [n, '700m']),
      );
    }
  });

  it('pods still starting report no metrics and get no traffic (then 2.8/6 → 467m)', async () => {
    await api.patch(SCALE_PATH, { spec: { replicas: 6 } });
    const r = await api.get(
      `/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests?${SELECTOR}`,
    );
    expect(r.body.items.map((i: Item) => i.value)).toEqual(['700m', '700m', '700m', '700m']);
    sim.clock.advance(5_000);
    const later = await api.get(
      `/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests?${SELECTOR}`,
    );
    expect(later.body.items.map((i: Item) => i.value)).toEqual(Array(6).fill('467m'));
  });

  it('object metric requests-per-second: the whole rate on the control plane, a member’s share through the proxy', async () => {
    const whole = await api.get(
      '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/services/sample-app/requests-per-second',
    );
    expect(whole.body.items).toEqual([
      {
        describedObject: { kind: 'Service', namespace: 'default', name: 'sample-app', apiVersion: '/v1' },
        metric: { name: 'requests-per-second', selector: null },
        timestamp: '2026-01-01T00:00:05Z',
        windowSeconds: 30,
        value: '2800m',
      },
    ]);
    const share = await api.get(
      `${PROXY('member1')}/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/deployments.apps/sample-app/requests-per-second`,
    );
    expect(share.body.items[0].value).toBe('1400m');
    expect(share.body.items[0].describedObject.kind).toBe('Deployment');
  });

  it('answers an unknown metric with 404 NotFound', async () => {
    const r = await api.get('/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/nope');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      reason: 'NotFound',
      message: 'the server could not find the metric nope for pods',
    });
  });

  it('sums same-named pods of different clusters on the control plane, not through the proxy (karmada issue 4257)', async () => {
    sim.applyDeployment({
      kind: 'StatefulSet',
      name: 'web',
      replicas: 2,
      labels: { app: 'web' },
      containers: [{ name: 'web' }],
    });
    sim.applyPropagationPolicy({
      name: 'web',
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }],
      placement: {
        clusterAffinity: { clusterNames: ['member1', 'member2'] },
        replicaScheduling: { replicaSchedulingType: 'Divided' },
      },
    });
    sim.clock.advance(5_000);
    sim.setLoad('default', 'web', { rps: 3 });
    const summed = await api.get(
      '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests?labelSelector=app%3Dweb',
    );
    expect(summed.body.items.map((i: Item) => [i.describedObject.name, i.value])).toEqual([['web-0', '3']]);
    const member = await api.get(
      `${PROXY('member2')}/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests?labelSelector=app%3Dweb`,
    );
    expect(member.body.items.map((i: Item) => [i.describedObject.name, i.value])).toEqual([
      ['web-0', '1500m'],
    ]);
    const resource = await api.get(
      '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb',
    );
    expect(
      resource.body.items.map((i: { metadata: { name: string; annotations: Record<string, string> } }) => [
        i.metadata.name,
        i.metadata.annotations[QUERY_FROM_CLUSTER],
      ]),
    ).toEqual([
      ['web-0', 'member1'],
      ['web-0', 'member2'],
    ]);
    const byName = await api.get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-0');
    expect(byName.status).toBe(409);
    expect(byName.body.message).toMatch(/the pod\(web-0\) found in more than one clusters$/);
  });
});

describe('metrics.k8s.io (resource metrics)', () => {
  it('on the control plane: every pod annotated with its cluster, CPU base + share × cost', async () => {
    const r = await api.get(`/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?${SELECTOR}`);
    expect(r.body.kind).toBe('PodMetricsList');
    const clusters = r.body.items.map(
      (i: { metadata: { annotations: Record<string, string> } }) =>
        i.metadata.annotations[QUERY_FROM_CLUSTER],
    );
    expect(clusters.sort()).toEqual(['member1', 'member1', 'member2', 'member2']);
    // 10m base + 0.7 requests/s × 1m per request = 10.7m.
    expect(r.body.items[0]).toMatchObject({
      timestamp: '2026-01-01T00:00:05Z',
      window: '30s',
      containers: [{ name: 'metrics-provider', usage: { cpu: '10700000n', memory: '65536Ki' } }],
    });
  });

  it('through the proxy: that member only, without the annotation', async () => {
    const r = await api.get(
      `${PROXY('member1')}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?${SELECTOR}`,
    );
    expect(r.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(
      podNames('member1'),
    );
    expect(r.body.items.every((i: { metadata: object }) => !('annotations' in i.metadata))).toBe(true);
  });

  it('follows a load change and its CPU cost per request (40 rps over 4 pods × 5m)', async () => {
    sim.setLoad('default', 'sample-app', { rps: 40, cpuPerRequestMilli: 5, baseCpuMilli: 0 });
    const r = await api.get(
      `${PROXY('member2')}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?${SELECTOR}`,
    );
    expect(
      r.body.items.map((i: { containers: { usage: { cpu: string } }[] }) => i.containers[0]?.usage.cpu),
    ).toEqual(['50000000n', '50000000n']);
  });

  it('leaves a cluster that is not Ready out of the aggregate, and its proxy answers 503', async () => {
    sim.setClusterReady('member2', false);
    const r = await api.get(`/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?${SELECTOR}`);
    expect(r.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(
      podNames('member1'),
    );
    const proxied = await api.get(`${PROXY('member2')}/api/v1/namespaces/default/pods`);
    expect(proxied.status).toBe(503);
    expect(proxied.body.reason).toBe('ServiceUnavailable');
    const cluster = (await api.get('/apis/cluster.karmada.io/v1alpha1/clusters/member2')).body;
    expect(cluster.status.conditions).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'ClusterNotReachable',
        message: 'cluster is not reachable',
        lastTransitionTime: '2026-01-01T00:00:05Z',
      },
    ]);
  });
});

describe('external.metrics.k8s.io', () => {
  it('serves the series set directly, filtered by label selector', async () => {
    sim.setExternalMetric('default', 'queue_messages_ready', 30, { queue: 'orders' });
    sim.setExternalMetric('default', 'queue_messages_ready', 2.5, { queue: 'billing' });
    const r = await api.get(
      `/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_messages_ready?labelSelector=${encodeURIComponent('queue=orders')}`,
    );
    expect(r.body).toEqual({
      kind: 'ExternalMetricValueList',
      apiVersion: 'external.metrics.k8s.io/v1beta1',
      metadata: {},
      items: [
        {
          metricName: 'queue_messages_ready',
          metricLabels: { queue: 'orders' },
          timestamp: '2026-01-01T00:00:05Z',
          value: '30',
        },
      ],
    });
    const all = await api.get(
      `${PROXY('member3')}/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_messages_ready`,
    );
    expect(all.body.items.map((i: { value: string }) => i.value)).toEqual(['30', '2500m']);
    expect(
      (await api.get('/apis/external.metrics.k8s.io/v1beta1/namespaces/default/unknown_metric')).status,
    ).toBe(404);
  });
});
