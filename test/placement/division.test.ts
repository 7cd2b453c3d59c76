import { describe, expect, it } from 'vitest';
import {
  type ClusterCandidate,
  type DivisionInput,
  divideReplicas,
  type ReplicaScheduling,
} from '../../src/placement/division.ts';

// UIDs from karmada pkg/util/helper/binding_test.go.
const EVEN_UID = '4858ca61-3ff8-4095-8267-f3d059d8074c';
const ODD_UID = 'd43fdeeb-d750-4e2b-bee3-64eb94534f4c';

const dynamic: ReplicaScheduling = {
  type: 'Divided',
  preference: 'Weighted',
  dynamicWeight: 'AvailableReplicas',
};
const aggregated: ReplicaScheduling = { type: 'Divided', preference: 'Aggregated' };
const weighted = (w?: Record<string, number>): ReplicaScheduling =>
  w === undefined
    ? { type: 'Divided', preference: 'Weighted' }
    : {
        type: 'Divided',
        preference: 'Weighted',
        staticWeights: Object.entries(w).map(([cluster, weight]) => ({ cluster, weight })),
      };
const names = (...n: string[]): ClusterCandidate[] => n.map((name) => ({ name }));
/** Clusters from name → [available, previous]. */
const avail = (o: Record<string, [number, number?]>): ClusterCandidate[] =>
  Object.entries(o).map(([name, [availableReplicas, previousReplicas]]) => ({
    name,
    availableReplicas,
    ...(previousReplicas === undefined ? {} : { previousReplicas }),
  }));

interface Case {
  name: string;
  input: DivisionInput;
  want: Record<string, number> | { error: string };
}

function check(c: Case) {
  const got = divideReplicas(c.input);
  if ('error' in c.want) {
    expect(got).toEqual({ ok: false, message: c.want.error });
    return;
  }
  expect(got.ok).toBe(true);
  if (!got.ok) return;
  // Exact list: zero-replica clusters absent, names ascending.
  expect(got.assignments).toEqual(
    Object.entries(c.want)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, replicas]) => ({ name, replicas })),
  );
}

describe('Duplicated (assignment_test.go#Test_assignByDuplicatedStrategy)', () => {
  it.each<Case>([
    {
      name: 'every cluster gets all replicas',
      input: { replicas: 2, clusters: names('member1', 'member2'), scheduling: { type: 'Duplicated' } },
      want: { member1: 2, member2: 2 },
    },
    {
      name: 'no clusters and 0 replicas → nothing',
      input: { replicas: 0, clusters: [], scheduling: { type: 'Duplicated' } },
      want: {},
    },
    {
      name: '0 replicas → zero-replica clusters removed',
      input: { replicas: 0, clusters: names('member1', 'member2'), scheduling: { type: 'Duplicated' } },
      want: {},
    },
  ])('$name', check);
});

describe('static weights (assignment_test.go#Test_assignByStaticWeightStrategy)', () => {
  const three = names('member1', 'member2', 'member3');
  it.each<Case>([
    {
      name: '12 @3:2:1 → 6/4/2',
      input: { replicas: 12, clusters: three, scheduling: weighted({ member1: 3, member2: 2, member3: 1 }) },
      want: { member1: 6, member2: 4, member3: 2 },
    },
    {
      name: '12 with no weight preference → 4/4/4',
      input: { replicas: 12, clusters: three, scheduling: weighted() },
      want: { member1: 4, member2: 4, member3: 4 },
    },
    {
      name: '13 @3:2:1 → 7/4/2',
      input: { replicas: 13, clusters: three, scheduling: weighted({ member1: 3, member2: 2, member3: 1 }) },
      want: { member1: 7, member2: 4, member3: 2 },
    },
    {
      name: '14 @3:2:1 → 7/5/2 (Webster; the pre-1.16 remainder rule gave 8/4/2)',
      input: { replicas: 14, clusters: three, scheduling: weighted({ member1: 3, member2: 2, member3: 1 }) },
      want: { member1: 7, member2: 5, member3: 2 },
    },
    {
      name: '0 replicas → both clusters get 0 and are removed',
      input: {
        replicas: 0,
        clusters: names('member1', 'member2'),
        scheduling: weighted({ member1: 1, member2: 1 }),
      },
      want: {},
    },
    {
      name: 'a selected cluster without a weight gets nothing',
      input: { replicas: 2, clusters: names('member1', 'member2'), scheduling: weighted({ member1: 1 }) },
      want: { member1: 2 },
    },
    {
      name: 'a cluster listed twice takes its largest weight',
      input: {
        replicas: 3,
        clusters: names('member1', 'member2'),
        scheduling: {
          type: 'Divided',
          preference: 'Weighted',
          staticWeights: [
            { cluster: 'member1', weight: 1 },
            { cluster: 'member2', weight: 1 },
            { cluster: 'member1', weight: 2 },
          ],
        },
      },
      want: { member1: 2, member2: 1 },
    },
    // assignment.go doc comment on assignByStaticWeightStrategy.
    {
      name: '9 @1:2 → 3/6 (assignment.go doc comment)',
      input: { replicas: 9, clusters: names('A', 'B'), scheduling: weighted({ A: 1, B: 2 }) },
      want: { A: 3, B: 6 },
    },
    {
      name: '9 @1:3 → 2/7 (assignment.go doc comment)',
      input: { replicas: 9, clusters: names('A', 'B'), scheduling: weighted({ A: 1, B: 3 }) },
      want: { A: 2, B: 7 },
    },
    // getStaticWeightInfoList: weight 0 dropped; all 0 → weight 1 each.
    {
      name: 'weight 0 drops the cluster',
      input: { replicas: 4, clusters: names('A', 'B'), scheduling: weighted({ A: 0, B: 5 }) },
      want: { B: 4 },
    },
    {
      name: 'all weights 0 → weight 1 each',
      input: { replicas: 4, clusters: names('A', 'B'), scheduling: weighted({ A: 0, B: 0 }) },
      want: { A: 2, B: 2 },
    },
    {
      name: 'weights only for clusters that are not candidates → weight 1 each',
      input: { replicas: 3, clusters: names('A', 'B', 'C'), scheduling: weighted({ Z: 7 }) },
      want: { A: 1, B: 1, C: 1 },
    },
    {
      name: 'stickiness is ignored: previous replicas do not change a static division',
      input: {
        replicas: 4,
        clusters: [
          { name: 'A', previousReplicas: 4 },
          { name: 'B', previousReplicas: 0 },
        ],
        scheduling: weighted({ A: 1, B: 1 }),
      },
      want: { A: 2, B: 2 },
    },
  ])('$name', check);
});

describe('Webster ties follow the UID parity (binding_test.go#Test_dispenser_AllocateByWeight)', () => {
  const two = names('A', 'B');
  it.each<Case>([
    {
      name: '5 @1:1, odd UID → A2/B3',
      input: { replicas: 5, clusters: two, scheduling: weighted(), uid: ODD_UID },
      want: { A: 2, B: 3 },
    },
    {
      name: '5 @1:1, even UID → A3/B2',
      input: { replicas: 5, clusters: two, scheduling: weighted(), uid: EVEN_UID },
      want: { A: 3, B: 2 },
    },
    {
      name: '5 @1:1, no UID → A3/B2',
      input: { replicas: 5, clusters: two, scheduling: weighted() },
      want: { A: 3, B: 2 },
    },
    {
      name: '5 @170:110:60 → 2/2/1',
      input: { replicas: 5, clusters: names('A', 'B', 'C'), scheduling: weighted({ A: 170, B: 110, C: 60 }) },
      want: { A: 2, B: 2, C: 1 },
    },
    {
      name: '6 @170:110:60 → 3/2/1',
      input: { replicas: 6, clusters: names('A', 'B', 'C'), scheduling: weighted({ A: 170, B: 110, C: 60 }) },
      want: { A: 3, B: 2, C: 1 },
    },
    {
      name: 'HA 2:1 with 1 replica → A1',
      input: { replicas: 1, clusters: two, scheduling: weighted({ A: 2, B: 1 }) },
      want: { A: 1 },
    },
    {
      name: 'HA 2:1 with 2 replicas → A1/B1',
      input: { replicas: 2, clusters: two, scheduling: weighted({ A: 2, B: 1 }) },
      want: { A: 1, B: 1 },
    },
    {
      name: 'HA 2:1 with 3 replicas → A2/B1',
      input: { replicas: 3, clusters: two, scheduling: weighted({ A: 2, B: 1 }) },
      want: { A: 2, B: 1 },
    },
    // binding_test.go#TestDispenseReplicasByTargetClusters: 1:2:3 over 13 → 2/4/7; 1:1:1 over 10 → 4/3/3 (empty UID).
    {
      name: '13 @1:2:3 → 2/4/7 (TestDispenseReplicasByTargetClusters)',
      input: {
        replicas: 13,
        clusters: names('member1', 'member2', 'member3'),
        scheduling: weighted({ member1: 1, member2: 2, member3: 3 }),
      },
      want: { member1: 2, member2: 4, member3: 7 },
    },
    {
      name: '10 @1:1:1, no UID → 4/3/3 (TestDispenseReplicasByTargetClusters)',
      input: { replicas: 10, clusters: names('member1', 'member2', 'member3'), scheduling: weighted() },
      want: { member1: 4, member2: 3, member3: 3 },
    },
  ])('$name', check);
});

describe('dynamic weight by available replicas', () => {
  it.each<Case>([
    // division_algorithm_test.go#Test_dynamicDivideReplicas (first schedule = scale-up from 0).
    {
      name: '12 @18:12:6 → 6/4/2',
      input: {
        replicas: 12,
        clusters: avail({ member1: [18], member2: [12], member3: [6] }),
        scheduling: dynamic,
      },
      want: { member1: 6, member2: 4, member3: 2 },
    },
    {
      name: '12 @20:12:6 → 6/4/2',
      input: {
        replicas: 12,
        clusters: avail({ member1: [20], member2: [12], member3: [6] }),
        scheduling: dynamic,
      },
      want: { member1: 6, member2: 4, member3: 2 },
    },
    {
      name: '12 @6:12:6 → 3/6/3',
      input: {
        replicas: 12,
        clusters: avail({ member1: [6], member2: [12], member3: [6] }),
        scheduling: dynamic,
      },
      want: { member1: 3, member2: 6, member3: 3 },
    },
    // assignment_test.go#Test_dynamicScaleUp
    {
      name: 'first schedule 12 @6:8:10 → 3/4/5',
      input: {
        replicas: 12,
        clusters: avail({ member1: [6], member2: [8], member3: [10] }),
        scheduling: dynamic,
      },
      want: { member1: 3, member2: 4, member3: 5 },
    },
    {
      name: 'first schedule 12 @8:8:10 → 4/4/4',
      input: {
        replicas: 12,
        clusters: avail({ member1: [8], member2: [8], member3: [10] }),
        scheduling: dynamic,
      },
      want: { member1: 4, member2: 4, member3: 4 },
    },
    {
      name: 'first schedule 12 @3:3:3 → not enough',
      input: {
        replicas: 12,
        clusters: avail({ member1: [3], member2: [3], member3: [3] }),
        scheduling: dynamic,
      },
      want: { error: 'failed to scale up: Clusters available replicas 9 are not enough to schedule.' },
    },
    {
      name: 'scale-up after member3 left and member2 joined: previous 6 on member1 kept, 6 more @3:3 → 9/3',
      input: { replicas: 12, clusters: avail({ member1: [3, 6], member2: [3] }), scheduling: dynamic },
      want: { member1: 9, member2: 3 },
    },
    // assignment_test.go#Test_dynamicScale
    {
      name: 'scale-down 12 → 6 re-divides by previous 2:4:6 → 1/2/3',
      input: {
        replicas: 6,
        clusters: avail({ member1: [1, 2], member2: [1, 4], member3: [1, 6] }),
        scheduling: dynamic,
      },
      want: { member1: 1, member2: 2, member3: 3 },
    },
    {
      name: 'scale-up 12 → 24 adds 12 @10:10:10 to 2/4/6 → 6/8/10',
      input: {
        replicas: 24,
        clusters: avail({ member1: [10, 2], member2: [10, 4], member3: [10, 6] }),
        scheduling: dynamic,
      },
      want: { member1: 6, member2: 8, member3: 10 },
    },
    {
      name: 'scale-up 12 → 24 @1:1:1 → not enough',
      input: {
        replicas: 24,
        clusters: avail({ member1: [1, 2], member2: [1, 4], member3: [1, 6] }),
        scheduling: dynamic,
      },
      want: { error: 'failed to scale up: Clusters available replicas 3 are not enough to schedule.' },
    },
    // assignByDynamicStrategy: unchanged count keeps the previous result whatever is available now.
    {
      name: 'unchanged replicas keep the previous result',
      input: {
        replicas: 12,
        clusters: avail({ member1: [0, 2], member2: [100, 4], member3: [0, 6] }),
        scheduling: dynamic,
      },
      want: { member1: 2, member2: 4, member3: 6 },
    },
    // dynamicFreshScale: weights = available + previous, the whole count divided afresh.
    {
      name: 'fresh mode divides 12 by available+previous 4:4:16 → 2/2/8',
      input: {
        replicas: 12,
        clusters: avail({ member1: [2, 2], member2: [0, 4], member3: [10, 6] }),
        scheduling: dynamic,
        fresh: true,
      },
      want: { member1: 2, member2: 2, member3: 8 },
    },
    // calAvailableReplicas: no estimator answer → the cluster can take spec.replicas.
    {
      name: 'clusters without an available count weigh spec.replicas each',
      input: { replicas: 4, clusters: names('member1', 'member2'), scheduling: dynamic },
      want: { member1: 2, member2: 2 },
    },
  ])('$name', check);
});

describe('Aggregated', () => {
  it.each<Case>([
    // division_algorithm_test.go#Test_dynamicDivideReplicas
    {
      name: '12 @12:6:6 → all on the largest',
      input: {
        replicas: 12,
        clusters: avail({ member1: [6], member2: [12], member3: [6] }),
        scheduling: aggregated,
      },
      want: { member2: 12 },
    },
    {
      name: '12 @6:6:6 → 6/6 on the first two',
      input: {
        replicas: 12,
        clusters: avail({ member1: [6], member2: [6], member3: [6] }),
        scheduling: aggregated,
      },
      want: { member1: 6, member2: 6 },
    },
    // assignment_test.go#Test_dynamicScaleUp
    {
      name: 'first schedule 12 @6:8:10 → member2 5, member3 7',
      input: {
        replicas: 12,
        clusters: avail({ member1: [6], member2: [8], member3: [10] }),
        scheduling: aggregated,
      },
      want: { member2: 5, member3: 7 },
    },
    {
      name: 'first schedule 12 @12:8:10 → member1 12',
      input: {
        replicas: 12,
        clusters: avail({ member1: [12], member2: [8], member3: [10] }),
        scheduling: aggregated,
      },
      want: { member1: 12 },
    },
    {
      name: 'first schedule 12 @3:3:3 → not enough',
      input: {
        replicas: 12,
        clusters: avail({ member1: [3], member2: [3], member3: [3] }),
        scheduling: aggregated,
      },
      want: { error: 'failed to scale up: Clusters available replicas 9 are not enough to schedule.' },
    },
    // assignment_test.go#Test_dynamicScale
    {
      name: 'scale-down 12 → 6 from 4/8 keeps only member2',
      input: {
        replicas: 6,
        clusters: avail({ member1: [1, 4], member2: [1, 8], member3: [1] }),
        scheduling: aggregated,
      },
      want: { member2: 6 },
    },
    {
      name: 'scale-down 12 → 8 from 4/8 → member2 8',
      input: {
        replicas: 8,
        clusters: avail({ member1: [100, 4], member2: [100, 8] }),
        scheduling: aggregated,
      },
      want: { member2: 8 },
    },
    {
      name: 'scale-up 12 → 24 @4:6:8 from 4/8: previous clusters first, all three needed → 7/12/5',
      input: {
        replicas: 24,
        clusters: avail({ member1: [4, 4], member2: [6, 8], member3: [8] }),
        scheduling: aggregated,
      },
      want: { member1: 7, member2: 12, member3: 5 },
    },
    {
      name: 'scale-up 12 → 24 @6:6:20 from 4/8: previous clusters suffice → 10/14',
      input: {
        replicas: 24,
        clusters: avail({ member1: [6, 4], member2: [6, 8], member3: [20] }),
        scheduling: aggregated,
      },
      want: { member1: 10, member2: 14 },
    },
    {
      name: 'scale-up 12 → 24 @1:1:1 → not enough',
      input: {
        replicas: 24,
        clusters: avail({ member1: [1, 4], member2: [1, 8], member3: [1] }),
        scheduling: aggregated,
      },
      want: { error: 'failed to scale up: Clusters available replicas 3 are not enough to schedule.' },
    },
    {
      name: 'scale-up 12 → 24 @4:8:12 after member2 left and member4 joined → 7/7/10',
      input: {
        replicas: 24,
        clusters: avail({ member1: [4, 4], member3: [8], member4: [12] }),
        scheduling: aggregated,
      },
      want: { member1: 7, member3: 7, member4: 10 },
    },
  ])('$name', check);
});

describe('input errors name the field', () => {
  it.each<Case>([
    {
      name: 'negative replicas',
      input: { replicas: -1, clusters: names('a'), scheduling: weighted() },
      want: { error: 'replicas must be an integer in [0, 2147483647], got -1' },
    },
    {
      name: 'fractional replicas',
      input: { replicas: 1.5, clusters: names('a'), scheduling: weighted() },
      want: { error: 'replicas must be an integer in [0, 2147483647], got 1.5' },
    },
    {
      name: 'duplicate cluster',
      input: { replicas: 1, clusters: names('a', 'a'), scheduling: weighted() },
      want: { error: 'clusters[1].name: duplicate cluster "a"' },
    },
    {
      name: 'negative available replicas',
      input: { replicas: 1, clusters: [{ name: 'a', availableReplicas: -2 }], scheduling: dynamic },
      want: { error: 'clusters[0].availableReplicas must be a non-negative integer, got -2' },
    },
    {
      name: 'replicas but no clusters',
      input: { replicas: 3, clusters: [], scheduling: { type: 'Duplicated' } },
      want: { error: 'no candidate clusters for 3 replicas' },
    },
  ])('$name', check);

  it('the result does not depend on the order the clusters are listed in', () => {
    const scheduling = weighted({ b: 1, a: 1, c: 1 });
    const x = divideReplicas({ replicas: 5, clusters: names('c', 'a', 'b'), scheduling });
    const y = divideReplicas({ replicas: 5, clusters: names('a', 'b', 'c'), scheduling });
    expect(x).toEqual(y);
    expect(x).toEqual({
      ok: true,
      assignments: [
        { name: 'a', replicas: 2 },
        { name: 'b', replicas: 2 },
        { name: 'c', replicas: 1 },
      ],
    });
  });
});
