import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nameOrderForUid } from '../../src/placement/webster.ts';
import { PERMANENT_ID_LABEL, type ScaleWrite, type Simulator, startSimulator } from '../../src/sim/index.ts';
import { client, SCALE_PATH } from './http-client.ts';

// The /scale subresource and what a scale write sets in motion: Karmada's division of the template's
// replicas over the bound clusters (pkg/scheduler/core/assignment_test.go#Test_assignByStaticWeightStrategy
// cases), member pods created Pending and becoming Ready after the startup delay, and scale-down by the
// ReplicaSet controller's ranking (controller_utils_test.go#TestSortingActivePodsWithRanks).

let sim: Simulator;
let api: ReturnType<typeof client>;
beforeEach(async () => {
  sim = await startSimulator();
  api = client(sim);
});
afterEach(() => sim.close());

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments/sample-app';
const BINDING = '/apis/work.karmada.io/v1alpha2/namespaces/default/resourcebindings/sample-app-deployment';

describe('the seed walkthrough', () => {
  it('claims sample-app for app-propagation and binds its 1 replica to member1 or member2 by the UID tie-break', async () => {
    const { policy } = sim.applyWalkthrough();
    const template = (await api.get(DEPLOY)).body;
    const id = policy.metadata.labels?.[PERMANENT_ID_LABEL];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(template.metadata.labels).toEqual({ app: 'sample-app', [PERMANENT_ID_LABEL]: id });
    const bindings = (
      await api.get(
        `/apis/work.karmada.io/v1alpha2/namespaces/default/resourcebindings?labelSelector=${encodeURIComponent(`${PERMANENT_ID_LABEL}=${id}`)}`,
      )
    ).body;
    expect(bindings.items).toHaveLength(1);
    const winner = nameOrderForUid(template.metadata.uid) === 'ascending' ? 'member1' : 'member2';
    // The default seed makes it member1, as the Karmada walkthrough's `karmadactl get pods` shows.
    expect(winner).toBe('member1');
    expect(bindings.items[0].spec.resource).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'sample-app',
      namespace: 'default',
      uid: template.metadata.uid,
    });
    expect(bindings.items[0].spec.clusters).toEqual([{ name: winner, replicas: 1 }]);
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ [winner]: 1 });
  });

  it('divides 10 replicas 5/5 after the scale is PUT with its resourceVersion', async () => {
    sim.applyWalkthrough();
    const scale = (await api.get(SCALE_PATH)).body;
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'sample-app', namespace: 'default' },
      spec: { replicas: 1 },
      status: { replicas: 1, selector: 'app=sample-app' },
    });
    const r = await api.put(SCALE_PATH, { ...scale, spec: { replicas: 10 } });
    expect(r.status).toBe(200);
    expect(r.body.spec).toEqual({ replicas: 10 });
    // The answer is the template as written; Karmada's aggregated-status write follows it, with its own
    // resourceVersion, so a second write with the answer's resourceVersion meets a 409.
    expect(r.body.status).toEqual({ replicas: 1, selector: 'app=sample-app' });
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 5, member2: 5 });
    const after = (await api.get(SCALE_PATH)).body;
    expect(after.status).toEqual({ replicas: 10, selector: 'app=sample-app' });
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(r.body.metadata.resourceVersion));
    expect((await api.put(SCALE_PATH, { ...r.body, spec: { replicas: 9 } })).status).toBe(409);
    const binding = (await api.get(BINDING)).body;
    expect(binding.spec.replicas).toBe(10);
    expect(binding.spec.clusters).toEqual([
      { name: 'member1', replicas: 5 },
      { name: 'member2', replicas: 5 },
    ]);
    const template = (await api.get(DEPLOY)).body;
    expect(template.spec.replicas).toBe(10);
    expect(template.metadata.generation).toBe(2);
    expect(template.status).toMatchObject({ replicas: 10, observedGeneration: 2 });
    // Two PUTs received, the one with the stale resourceVersion refused.
    expect(sim.counters.scaleWrites).toEqual({ put: 2, patch: 0, applied: 1 });
  });
});

describe('scale writes', () => {
  beforeEach(() => {
    sim.applyWalkthrough();
  });

  it('refuses a PUT with a stale resourceVersion (409) and leaves replicas alone', async () => {
    const scale = (await api.get(SCALE_PATH)).body;
    await api.put(SCALE_PATH, { ...scale, spec: { replicas: 4 } });
    const r = await api.put(SCALE_PATH, { ...scale, spec: { replicas: 8 } });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on deployments.apps "sample-app": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'sample-app', group: 'apps', kind: 'deployments' },
    });
    expect((await api.get(SCALE_PATH)).body.spec.replicas).toBe(4);
    expect(sim.counters.scaleWrites).toEqual({ put: 2, patch: 0, applied: 1 });
  });

  it('merge patch: applies without a resourceVersion, 409 with a stale one', async () => {
    const before = (await api.get(SCALE_PATH)).body.metadata.resourceVersion;
    expect((await api.patch(SCALE_PATH, { spec: { replicas: 6 } })).body.spec.replicas).toBe(6);
    const stale = await api.patch(SCALE_PATH, {
      metadata: { resourceVersion: before },
      spec: { replicas: 2 },
    });
    expect(stale.status).toBe(409);
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 3, member2: 3 });
  });

  it('JSON patch with a `test` of the replicas it decided on: applies, or 422 when they moved', async () => {
    const ok = await api.patch(
      SCALE_PATH,
      [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 4 },
      ],
      'json',
    );
    expect(ok.status).toBe(200);
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 2, member2: 2 });
    const moved = await api.patch(
      SCALE_PATH,
      [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 9 },
      ],
      'json',
    );
    expect(moved.status).toBe(422);
    expect((await api.get(SCALE_PATH)).body.spec.replicas).toBe(4);
  });

  it.each([
    [-1, 'must be greater than or equal to 0'],
    [1.5, 'Invalid input: expected int, received number'],
  ])('refuses spec.replicas %s with 422 naming the field', async (replicas, message) => {
    const r = await api.patch(SCALE_PATH, { spec: { replicas } });
    expect(r.status).toBe(422);
    expect(r.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', message, field: 'spec.replicas' }]);
  });

  it('tells scale-write listeners what was written, in simulated time', async () => {
    const seen: ScaleWrite[] = [];
    const off = sim.onScaleWrite((w) => seen.push(w));
    sim.clock.advance(2500);
    await api.patch(SCALE_PATH, { spec: { replicas: 3 } });
    off();
    await api.patch(SCALE_PATH, { spec: { replicas: 5 } });
    expect(seen).toEqual([
      {
        method: 'PATCH',
        kind: 'Deployment',
        namespace: 'default',
        name: 'sample-app',
        replicas: 3,
        at: Date.UTC(2026, 0, 1, 0, 0, 2, 500),
        receivedAt: expect.any(Number),
      },
    ]);
  });
});

describe('division across clusters', () => {
  const policy = (replicaScheduling: object, clusterNames = ['member1', 'member2', 'member3']) => ({
    name: 'pp',
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' }],
    placement: { clusterAffinity: { clusterNames }, replicaScheduling },
  });
  const weighted = (w: number[]) => ({
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: {
      staticWeightList: w.map((weight, i) => ({
        targetCluster: { clusterNames: [`member${i + 1}`] },
        weight,
      })),
    },
  });

  // assignment_test.go#Test_assignByStaticWeightStrategy: 12 → 6/4/2, 13 → 7/4/2, 14 → 7/5/2 at 3:2:1.
  it.each([
    [12, { member1: 6, member2: 4, member3: 2 }],
    [13, { member1: 7, member2: 4, member3: 2 }],
    [14, { member1: 7, member2: 5, member3: 2 }],
  ])('divides %i replicas at static weights 3:2:1 as %j (Webster)', async (replicas, expected) => {
    sim.applyDeployment({ name: 'sample-app', replicas: 1, containers: [{ name: 'app' }] });
    sim.applyPropagationPolicy(policy(weighted([3, 2, 1])));
    await api.patch(SCALE_PATH, { spec: { replicas } });
    expect(sim.memberReplicas('default', 'sample-app')).toEqual(expected);
    expect(
      sim.state
        .pods({ namespace: 'default' })
        .map((p) => p.cluster)
        .filter((c) => c === 'member1'),
    ).toHaveLength(expected.member1);
  });

  it('Duplicated runs the full count in every cluster and the template aggregates them', async () => {
    sim.applyDeployment({ name: 'sample-app', replicas: 2, containers: [{ name: 'app' }] });
    sim.applyPropagationPolicy(policy({ replicaSchedulingType: 'Duplicated' }));
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 2, member2: 2, member3: 2 });
    const scale = (await api.get(SCALE_PATH)).body;
    expect(scale.spec.replicas).toBe(2);
    expect(scale.status.replicas).toBe(6);
  });

  it('scales a member down to zero by removing it from the binding and deleting its pods', async () => {
    sim.applyDeployment({ name: 'sample-app', replicas: 3, containers: [{ name: 'app' }] });
    sim.applyPropagationPolicy(policy(weighted([1, 1, 1])));
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 1, member2: 1, member3: 1 });
    await api.patch(SCALE_PATH, { spec: { replicas: 2 } });
    const members = sim.memberReplicas('default', 'sample-app');
    expect(Object.values(members)).toEqual([1, 1]);
    expect(sim.state.pods({ namespace: 'default' })).toHaveLength(2);
  });

  it('deleting the template removes its binding and every member pod', async () => {
    sim.applyWalkthrough();
    await api.patch(SCALE_PATH, { spec: { replicas: 4 } });
    expect((await api.delete(DEPLOY)).status).toBe(200);
    expect((await api.get(BINDING)).status).toBe(404);
    expect(sim.state.pods()).toEqual([]);
  });
});

describe('pods over simulated time', () => {
  it('new pods are Pending until the startup delay has passed, then Running and Ready since creation + delay', async () => {
    sim.applyWalkthrough();
    sim.clock.advance(60_000);
    await api.patch(SCALE_PATH, { spec: { replicas: 4 } });
    const phases = async () => {
      const list = (
        await api.get(
          '/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/api/v1/namespaces/default/pods?labelSelector=app%3Dsample-app',
        )
      ).body;
      return list.items.map((p: { status: { phase: string } }) => p.status.phase).sort();
    };
    expect(await phases()).toHaveLength(2);
    const readyBefore = (await api.get(DEPLOY)).body.status.readyReplicas;
    expect(readyBefore).toBe(1);
    sim.clock.advance(4_999);
    expect((await api.get(DEPLOY)).body.status.readyReplicas).toBe(1);
    sim.clock.advance(1);
    expect(await phases()).toEqual(['Running', 'Running']);
    expect((await api.get(DEPLOY)).body.status).toMatchObject({
      replicas: 4,
      readyReplicas: 4,
      availableReplicas: 4,
    });
    const pod = sim.state
      .pods({ cluster: 'member2' })
      .map((p) => p.pod)
      .find((p) => p.metadata.creationTimestamp === '2026-01-01T00:01:00Z');
    expect(pod?.status.conditions.find((c) => c.type === 'Ready')).toEqual({
      type: 'Ready',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: '2026-01-01T00:01:05Z',
    });
    expect(pod?.status.startTime).toBe('2026-01-01T00:01:00Z');
  });

  it('scale-down removes not-ready pods before ready ones, then the newest', async () => {
    sim.applyWalkthrough();
    await api.patch(SCALE_PATH, { spec: { replicas: 2 } });
    sim.clock.advance(10_000);
    const veterans = sim.state
      .pods()
      .map((p) => p.pod.metadata.name)
      .sort();
    await api.patch(SCALE_PATH, { spec: { replicas: 4 } });
    await api.patch(SCALE_PATH, { spec: { replicas: 2 } });
    expect(
      sim.state
        .pods()
        .map((p) => p.pod.metadata.name)
        .sort(),
    ).toEqual(veterans);
  });

  it('StatefulSet pods take ordinals per member, so names repeat across clusters (karmada issue 4257)', async () => {
    sim.applyDeployment({ kind: 'StatefulSet', name: 'web', replicas: 4, containers: [{ name: 'web' }] });
    sim.applyPropagationPolicy({
      name: 'web',
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }],
      placement: {
        clusterAffinity: { clusterNames: ['member1', 'member2'] },
        replicaScheduling: { replicaSchedulingType: 'Divided' },
      },
    });
    expect(sim.state.pods().map((p) => `${p.cluster}/${p.pod.metadata.name}`)).toEqual([
      'member1/web-0',
      'member1/web-1',
      'member2/web-0',
      'member2/web-1',
    ]);
    await api.patch('/apis/apps/v1/namespaces/default/statefulsets/web/scale', { spec: { replicas: 2 } });
    expect(sim.state.pods().map((p) => `${p.cluster}/${p.pod.metadata.name}`)).toEqual([
      'member1/web-0',
      'member2/web-0',
    ]);
  });

  it('serves each member deployment and its scale through the cluster proxy', async () => {
    sim.applyWalkthrough();
    await api.patch(SCALE_PATH, { spec: { replicas: 10 } });
    const scale = (
      await api.get(
        '/apis/cluster.karmada.io/v1alpha1/clusters/member2/proxy/apis/apps/v1/namespaces/default/deployments/sample-app/scale',
      )
    ).body;
    expect(scale).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 5 },
      status: { replicas: 5, selector: 'app=sample-app' },
    });
    const missing = await api.get(
      '/apis/cluster.karmada.io/v1alpha1/clusters/member3/proxy/apis/apps/v1/namespaces/default/deployments/sample-app',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('deployments.apps "sample-app" not found');
  });
});

describe("a member's workload list", () => {
  it('lists the workloads of the namespace asked for, and follows them when they go', async () => {
    for (const namespace of ['default', 'team']) {
      sim.applyDeployment({ namespace, name: 'web', replicas: 1, containers: [{ name: 'app' }] });
      sim.applyPropagationPolicy({
        namespace,
        name: 'pp',
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
        placement: { clusterAffinity: { clusterNames: ['member1'] } },
      });
    }
    const MEMBER = '/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/apis/apps/v1/namespaces';
    const names = async (namespace: string) =>
      (await api.get(`${MEMBER}/${namespace}/deployments`)).body.items.map(
        (d: { metadata: { namespace: string; name: string } }) =>
          `${d.metadata.namespace}/${d.metadata.name}`,
      );
    expect(await names('team')).toEqual(['team/web']);
    expect((await api.delete('/apis/apps/v1/namespaces/team/deployments/web')).status).toBe(200);
    expect(await names('team')).toEqual([]);
    expect(await names('default')).toEqual(['default/web']);
  });
});
