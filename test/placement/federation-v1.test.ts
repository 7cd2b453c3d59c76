import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { federationV1Split } from '../../src/placement/federation-v1.ts';

const b = (name: string, minReplicas: number, maxReplicas: number) => ({ name, minReplicas, maxReplicas });

describe('federationV1Split', () => {
  it.each([
    {
      name: 'seed 001: 3 clusters, max 9, min 2 → max 3 and min 1 each',
      min: 2,
      max: 9,
      clusters: ['c1', 'c2', 'c3'],
      want: { clusters: [b('c1', 1, 3), b('c2', 1, 3), b('c3', 1, 3)], skipped: [] },
    },
    {
      name: 'seed 001: max below the cluster count skips clusters (chunks of at least 2)',
      min: 1,
      max: 2,
      clusters: ['c1', 'c2', 'c3'],
      want: { clusters: [b('c1', 1, 2)], skipped: ['c2', 'c3'] },
    },
    {
      // kubernetes/federation pkg/federatedtypes/hpa_test.go#TestGetHpaScheduleState
      // "Distribiutes replicas randomly if no existing hpa in any local cluster" (fed min 1, max 10):
      // upstream checks only the totals; in name order the split is exact.
      name: 'no local HPAs yet, min 1 max 10 over 2 clusters → 1..5 each',
      min: 1,
      max: 10,
      clusters: ['c1', 'c2'],
      want: { clusters: [b('c1', 1, 5), b('c2', 1, 5)], skipped: [] },
    },
    {
      name: 'the remainder of max goes to the next cluster in turn',
      min: 3,
      max: 10,
      clusters: ['c3', 'c1', 'c2'],
      want: { clusters: [b('c1', 1, 4), b('c2', 1, 3), b('c3', 1, 3)], skipped: [] },
    },
    {
      name: 'minReplicas absent counts as 1, and the sum of mins is never 0',
      min: undefined,
      max: 6,
      clusters: ['a', 'b', 'c'],
      want: { clusters: [b('a', 1, 2), b('b', 1, 2), b('c', 1, 2)], skipped: [] },
    },
    {
      name: 'min is dealt in chunks of ⌊min/n⌋, then the rest',
      min: 7,
      max: 12,
      clusters: ['a', 'b', 'c'],
      want: { clusters: [b('a', 3, 4), b('b', 2, 4), b('c', 2, 4)], skipped: [] },
    },
    {
      name: 'a cluster reached after max ran out gets no HPA',
      min: 1,
      max: 4,
      clusters: ['a', 'b', 'c'],
      want: { clusters: [b('a', 1, 2), b('b', 1, 2)], skipped: ['c'] },
    },
    {
      name: 'min above max stops when no cluster can take more (Federation v1 would loop)',
      min: 5,
      max: 4,
      clusters: ['a', 'b'],
      want: { clusters: [b('a', 2, 2), b('b', 2, 2)], skipped: [] },
    },
    {
      name: 'when no cluster has room for a whole min chunk, the rest goes one by one (Federation v1 would loop)',
      min: 176,
      max: 180,
      clusters: ['a', 'b', 'c', 'd', 'e', 'f'],
      want: {
        clusters: [
          b('a', 30, 30),
          b('b', 30, 30),
          b('c', 29, 30),
          b('d', 29, 30),
          b('e', 29, 30),
          b('f', 29, 30),
        ],
        skipped: [],
      },
    },
    { name: 'no clusters → nothing', min: 1, max: 4, clusters: [], want: { clusters: [], skipped: [] } },
  ])('$name', ({ min, max, clusters, want }) => {
    expect(federationV1Split(min, max, clusters)).toEqual(want);
  });

  // The invariants hpa_test.go#checkClusterConditions asserts: Σmax = fed max, Σmin ≥ fed min.
  it('keeps Σmax = maxReplicas, Σmin ≥ minReplicas and 1 ≤ min ≤ max per cluster', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 8 }),
        (a, c, n) => {
          const [min, max] = a <= c ? [a, c] : [c, a];
          const names = Array.from({ length: n }, (_, i) => `m${i}`);
          const split = federationV1Split(min, max, names);
          expect(split.clusters.reduce((s, x) => s + x.maxReplicas, 0)).toBe(max);
          expect(split.clusters.reduce((s, x) => s + x.minReplicas, 0)).toBeGreaterThanOrEqual(min);
          for (const x of split.clusters) {
            expect(x.minReplicas).toBeGreaterThanOrEqual(1);
            expect(x.minReplicas).toBeLessThanOrEqual(x.maxReplicas);
          }
          expect(split.clusters.length + split.skipped.length).toBe(n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
