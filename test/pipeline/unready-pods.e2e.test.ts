import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// Pods that run but are not ready (a failing readiness probe) still report CPU to metrics-server; the HPA
// algorithm (replica_calculator.go#GetResourceReplicas, groupPods) leaves them out of the usage it averages and,
// on a scale-up, counts them at zero usage, which can cancel the scale-up. The simulator produces such pods
// (setPodsUnready), so the engine's unready branch runs end to end: fetched over HTTP, grouped, decided.
//
// 4 pods, 100m CPU request each, target 50 %. Load 100 rps at 1m per request on a 40m base:
// - all ready: 65m each, ratio 1.3 → ceil(4 × 1.3) = 6;
// - two held unready: the ready pods take all traffic (90m each, ratio 1.8, a scale-up), the unready report
//   their 40m base; counted at 0 the ratio is (90 + 90 + 0 + 0) / 400 / 0.5 = 0.9 < 1, so the scale-up would
//   become a scale-down and the replicas stay 4 (were their 40m counted, it would be 1.3 and 6).

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ref = { namespace: 'default', name: 'web' };

async function setup() {
  h = await startHarness();
  h.sim.applyDeployment({
    namespace: 'default',
    name: 'web',
    replicas: 4,
    containers: [{ name: 'app', requests: { cpu: '100m' } }],
  });
  h.sim.applyPropagationPolicy({
    namespace: 'default',
    name: 'web',
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
    placement: {
      clusterAffinity: { clusterNames: ['member1', 'member2'] },
      replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
    },
  });
  const fhpa = seedFederatedHPA({
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      },
    ],
  });
  delete fhpa.spec.behavior;
  h.sim.applyFederatedHPA({ ...fhpa, metadata: { name: 'web', namespace: 'default' } });
  h.sim.setLoad('default', 'web', { rps: 100, baseCpuMilli: 40, cpuPerRequestMilli: 1 });
  // Past the ready pods' first metric window after their Ready transition (groupPods counts a pod whose
  // metric may predate it as unready).
  h.sim.clock.advance(60_000);
  return h;
}

describe('running but unready pods with metrics', () => {
  it('are served Running and not Ready, with CPU metrics', async () => {
    const harness = await setup();
    harness.sim.state.setPodsUnready('default', 'web', 2);
    const res = await fetch(
      `${harness.sim.url}/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/api/v1/namespaces/default/pods`,
      { headers: { Authorization: `Bearer ${harness.sim.token}` } },
    );
    const pods = (await res.json()) as {
      items: {
        metadata: { name: string };
        status: { phase: string; conditions: { type: string; status: string }[] };
      }[];
    };
    const ready = (p: (typeof pods.items)[number]) =>
      p.status.conditions.find((c) => c.type === 'Ready')?.status;
    expect(pods.items.map((p) => [p.status.phase, ready(p)])).toEqual([
      ['Running', 'False'],
      ['Running', 'False'],
    ]);
    const metrics = await fetch(
      `${harness.sim.url}/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/apis/metrics.k8s.io/v1beta1/namespaces/default/pods`,
      { headers: { Authorization: `Bearer ${harness.sim.token}` } },
    );
    const names = ((await metrics.json()) as { items: { metadata: { name: string } }[] }).items.map(
      (m) => m.metadata.name,
    );
    expect(names.sort()).toEqual(pods.items.map((p) => p.metadata.name).sort());
  });

  it('count as zero usage on a scale-up, which then does not happen; all ready, it does', async () => {
    const harness = await setup();
    harness.sim.state.setPodsUnready('default', 'web', 2);
    const held = await evaluate(harness.deps, ref);
    expect(held).toMatchObject({ outcome: 'unchanged', desiredReplicas: 4 });
    expect(held.message ?? '').not.toMatch(/invalid metrics/);
    harness.sim.state.setPodsUnready('default', 'web', 0);
    expect(await evaluate(harness.deps, ref)).toMatchObject({ outcome: 'scaled', desiredReplicas: 6 });
  });
});
