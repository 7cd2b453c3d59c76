import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Placement } from '../../src/api/propagationpolicy.ts';
import { NOT_READY_TAINT } from '../../src/sim/clusters.ts';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';
import { client, SCALE_PATH } from './http-client.ts';

// What Karmada's scheduler does with NotReady clusters and member capacity: the cluster controller taints a
// NotReady cluster cluster.karmada.io/not-ready:NoSchedule (cluster_controller.go#taintClusterByCondition) and
// the TaintToleration filter keeps new replicas off it unless the policy tolerates the taint; the general
// estimator (estimator/client/general.go#maxAvailableReplicas) answers from Cluster status.resourceSummary,
// which bounds the dynamic-weight division (pkg/scheduler/core/division_algorithm.go).

let sim: Simulator;
let api: ReturnType<typeof client>;
beforeEach(async () => {
  sim = await startSimulator();
  api = client(sim);
});
afterEach(() => sim.close());

const CLUSTER = '/apis/cluster.karmada.io/v1alpha1/clusters';
const BINDING = '/apis/work.karmada.io/v1alpha2/namespaces/default/resourcebindings/sample-app-deployment';

function workload(placement: Placement) {
  sim.applyDeployment({
    namespace: 'default',
    name: 'sample-app',
    replicas: 1,
    containers: [{ name: 'app', requests: { cpu: '100m', memory: '64Mi' } }],
  });
  sim.applyPropagationPolicy({
    namespace: 'default',
    name: 'pp',
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' }],
    placement: { clusterAffinity: { clusterNames: ['member1', 'member2'] }, ...placement },
  });
}
const STATIC: Placement = {
  replicaScheduling: {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: {
      staticWeightList: [
        { targetCluster: { clusterNames: ['member1'] }, weight: 1 },
        { targetCluster: { clusterNames: ['member2'] }, weight: 1 },
      ],
    },
  },
};
const DYNAMIC: Placement = {
  replicaScheduling: {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: { dynamicWeight: 'AvailableReplicas' },
  },
};
const scaleTo = async (replicas: number) =>
  expect((await api.patch(SCALE_PATH, { spec: { replicas } })).status).toBe(200);

describe('NotReady clusters', () => {
  it('are tainted NoSchedule and get no new replicas; the taint goes when the cluster is Ready again', async () => {
    workload(STATIC);
    sim.setClusterReady('member2', false);
    expect((await api.get(`${CLUSTER}/member2`)).body.spec.taints).toEqual([NOT_READY_TAINT]);
    await scaleTo(10);
    expect((await api.get(BINDING)).body.spec.clusters).toEqual([{ name: 'member1', replicas: 10 }]);
    expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 10 });
    sim.setClusterReady('member2', true);
    expect((await api.get(`${CLUSTER}/member2`)).body.spec.taints).toBeUndefined();
    await scaleTo(8);
    expect((await api.get(BINDING)).body.spec.clusters).toEqual([
      { name: 'member1', replicas: 4 },
      { name: 'member2', replicas: 4 },
    ]);
  });

  it('still get replicas when the policy tolerates the not-ready taint', async () => {
    workload({
      ...STATIC,
      clusterTolerations: [{ key: NOT_READY_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }],
    });
    sim.setClusterReady('member2', false);
    await scaleTo(10);
    expect((await api.get(BINDING)).body.spec.clusters).toEqual([
      { name: 'member1', replicas: 5 },
      { name: 'member2', replicas: 5 },
    ]);
  });
});

describe('capacity (resourceSummary and the general estimator)', () => {
  it('reports allocatable and what the member pods request as allocated', async () => {
    sim.state.setClusterAllocatable('member1', { cpu: '2', memory: '4Gi', pods: '20' });
    workload(STATIC);
    await scaleTo(6);
    const summary = (await api.get(`${CLUSTER}/member1`)).body.status.resourceSummary;
    expect(summary).toEqual({
      allocatable: { cpu: '2', memory: '4Gi', pods: '20' },
      allocated: { cpu: '300m', memory: '201326592', pods: '3' },
      allocating: {},
    });
  });

  it('gives back what removed pods requested: allocated follows a scale-down and a workload deleted', async () => {
    sim.state.setClusterAllocatable('member1', { cpu: '2', memory: '4Gi', pods: '20' });
    workload(STATIC);
    await scaleTo(6);
    await scaleTo(2);
    const allocated = async () => (await api.get(`${CLUSTER}/member1`)).body.status.resourceSummary.allocated;
    expect(await allocated()).toEqual({ cpu: '100m', memory: '67108864', pods: '1' });
    expect((await api.delete('/apis/apps/v1/namespaces/default/deployments/sample-app')).status).toBe(200);
    expect(await allocated()).toEqual({});
  });

  it('divides dynamic weights by what each member can still take, and no more than that', async () => {
    // One replica asks for 100m: member1 has room for 10, member2 for 5 (less the replica already running).
    sim.state.setClusterAllocatable('member1', { cpu: '1', memory: '64Gi', pods: '110' });
    sim.state.setClusterAllocatable('member2', { cpu: '500m', memory: '64Gi', pods: '110' });
    workload(DYNAMIC);
    const first = (await api.get(BINDING)).body.spec.clusters;
    expect(first).toEqual([{ name: 'member1', replicas: 1 }]);
    await scaleTo(7);
    // The 6 added replicas by the room left: member1 9, member2 5 → 4 and 2 (Webster), so 5/2.
    expect((await api.get(BINDING)).body.spec.clusters).toEqual([
      { name: 'member1', replicas: 5 },
      { name: 'member2', replicas: 2 },
    ]);
    // 20 replicas do not fit (15 in all): the scheduler refuses and the previous result stays.
    await scaleTo(20);
    const binding = (await api.get(BINDING)).body;
    expect(binding.spec.clusters).toEqual([
      { name: 'member1', replicas: 5 },
      { name: 'member2', replicas: 2 },
    ]);
    expect(binding.status.conditions[0]).toMatchObject({ type: 'Scheduled', status: 'False' });
  });
});
