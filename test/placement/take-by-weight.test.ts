import { describe, expect, it } from 'vitest';
import { plan } from '../../src/cli/plan.ts';
import { divideReplicas } from '../../src/placement/division.ts';
import { divisionAlgorithmFor, takeByWeight } from '../../src/placement/take-by-weight.ts';
import { startSimulator } from '../../src/sim/index.ts';
import { createPrng } from '../../src/sim/prng.ts';
import { memoryIO } from '../support/memory-io.ts';

// Karmada v1.12–v1.15's TakeByWeight (pkg/util/helper/binding.go at v1.15.0) beside Webster (v1.16+), and the
// version switch of `fhpa plan --karmada-version` and the simulator's karmadaVersion. Cases from v1.15.0
// pkg/util/helper/binding_test.go TestSpreadReplicasByTargetClusters: any of `wants` is right (random ties).

const weights = (ws: Record<string, number>, last: Record<string, number> = {}) =>
  Object.entries(ws).map(([name, weight]) => ({ name, weight, lastReplicas: last[name] ?? 0 }));
const asMap = (a: { name: string; replicas: number }[]) =>
  Object.fromEntries(a.filter((x) => x.replicas > 0).map((x) => [x.name, x.replicas]));

describe('takeByWeight (TakeByWeight)', () => {
  it.each([
    [
      '3 cluster, 1:1:1, 10 sum',
      { m1: 1, m2: 1, m3: 1 },
      10,
      [
        { m1: 4, m2: 3, m3: 3 },
        { m1: 3, m2: 4, m3: 3 },
        { m1: 3, m2: 3, m3: 4 },
      ],
    ],
    ['3 cluster, 1:2:3, 13 sum', { m1: 1, m2: 2, m3: 3 }, 13, [{ m1: 2, m2: 4, m3: 7 }]],
    ['issue 16: 6:3:1, 5 sum', { a: 6, b: 3, c: 1 }, 5, [{ a: 4, b: 1 }]],
  ] as const)('%s', (_, ws, sum, wants) => {
    for (let seed = 1; seed <= 20; seed++) {
      expect(wants).toContainEqual(asMap(takeByWeight(sum, weights(ws), createPrng(seed).next)));
    }
  });

  it('ties go to the cluster the last schedule gave more (inertia), before chance', () => {
    const r = takeByWeight(10, weights({ m1: 1, m2: 1, m3: 1 }, { m2: 4 }), createPrng(3).next);
    expect(asMap(r)).toEqual({ m1: 3, m2: 4, m3: 3 });
  });

  it('every seed hands the random tie to some cluster, and not always the same one', () => {
    const winners = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const r = takeByWeight(10, weights({ m1: 1, m2: 1, m3: 1 }), createPrng(seed).next);
      winners.add(r.find((x) => x.replicas === 4)?.name ?? '');
    }
    expect([...winners].sort()).toEqual(['m1', 'm2', 'm3']);
  });
});

describe('the division by Karmada version', () => {
  it.each([
    ['v1.12.0', 'take-by-weight'],
    ['1.15', 'take-by-weight'],
    ['v1.16.0-alpha.1', 'webster'],
    ['v1.19.0', 'webster'],
  ])('%s → %s', (version, algorithm) => {
    expect(divisionAlgorithmFor(version)).toBe(algorithm);
  });
  it('refuses what it cannot follow', () => {
    expect(divisionAlgorithmFor('v1.11.0')).toEqual({
      error: 'Karmada v1.11.0 is not supported: v1.12 or later',
    });
    expect(divisionAlgorithmFor('latest')).toEqual({
      error: '"latest" is not a Karmada version (e.g. v1.15 or v1.16.0)',
    });
  });

  it('6:3:1 with 5 replicas: 3/1/1 by Webster, 4/1/0 by TakeByWeight', () => {
    const input = {
      replicas: 5,
      clusters: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      scheduling: {
        type: 'Divided' as const,
        preference: 'Weighted' as const,
        staticWeights: [
          { cluster: 'a', weight: 6 },
          { cluster: 'b', weight: 3 },
          { cluster: 'c', weight: 1 },
        ],
      },
    };
    expect(divideReplicas(input)).toEqual({
      ok: true,
      assignments: [
        { name: 'a', replicas: 3 },
        { name: 'b', replicas: 1 },
        { name: 'c', replicas: 1 },
      ],
    });
    expect(divideReplicas({ ...input, algorithm: 'take-by-weight' })).toEqual({
      ok: true,
      assignments: [
        { name: 'a', replicas: 4 },
        { name: 'b', replicas: 1 },
      ],
    });
  });

  const FILES = {
    'app.yaml': `apiVersion: autoscaling.karmada.io/v1alpha1
kind: FederatedHPA
metadata: {name: web, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 5
  maxReplicas: 5
`,
    'pp.yaml': `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement:
    clusterAffinity: {clusterNames: [a, b, c]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
          - {targetCluster: {clusterNames: [a]}, weight: 6}
          - {targetCluster: {clusterNames: [b]}, weight: 3}
          - {targetCluster: {clusterNames: [c]}, weight: 1}
`,
  };
  const planJson = async (extra: string[]) => {
    const { io, out } = memoryIO('', FILES);
    expect(await plan(['-f', 'app.yaml', '-f', 'pp.yaml', '-o', 'json', ...extra], io)).toBe(0);
    return JSON.parse(out.join('\n')).division.min.assignments;
  };

  it('fhpa plan --karmada-version v1.15 follows TakeByWeight; the default, Webster', async () => {
    expect(await planJson(['--karmada-version', 'v1.15'])).toEqual([
      { name: 'a', replicas: 4 },
      { name: 'b', replicas: 1 },
    ]);
    expect(await planJson([])).toEqual([
      { name: 'a', replicas: 3 },
      { name: 'b', replicas: 1 },
      { name: 'c', replicas: 1 },
    ]);
  });

  it('fhpa plan refuses a version it cannot follow, naming the flag', async () => {
    const { io, err } = memoryIO('', FILES);
    expect(await plan(['-f', 'app.yaml', '-f', 'pp.yaml', '--karmada-version', 'v1.9'], io)).toBe(2);
    expect(err.join('\n')).toContain('--karmada-version: Karmada v1.9 is not supported: v1.12 or later');
  });

  it('the simulator of a v1.15 Karmada places 6:3:1 × 5 as 4/1/0', async () => {
    for (const [karmadaVersion, want] of [
      ['v1.15.0', { a: 4, b: 1 }],
      ['v1.19.0', { a: 3, b: 1, c: 1 }],
    ] as const) {
      const sim = await startSimulator({ clusters: ['a', 'b', 'c'], karmadaVersion });
      try {
        sim.applyDeployment({ name: 'web', replicas: 5, containers: [{ name: 'c' }] });
        sim.applyPropagationPolicy({
          name: 'web',
          resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
          placement: {
            clusterAffinity: { clusterNames: ['a', 'b', 'c'] },
            replicaScheduling: {
              replicaSchedulingType: 'Divided',
              replicaDivisionPreference: 'Weighted',
              weightPreference: {
                staticWeightList: [
                  { targetCluster: { clusterNames: ['a'] }, weight: 6 },
                  { targetCluster: { clusterNames: ['b'] }, weight: 3 },
                  { targetCluster: { clusterNames: ['c'] }, weight: 1 },
                ],
              },
            },
          },
        });
        expect(
          asMap(
            Object.entries(sim.memberReplicas('default', 'web')).map(([name, replicas]) => ({
              name,
              replicas,
            })),
          ),
        ).toEqual(want);
      } finally {
        await sim.close();
      }
    }
  });
});
