import { describe, expect, it } from 'vitest';
import { humanDuration, table, wantsTable } from '../../src/sim/table.ts';

// Server-side printing as kubectl asks for it; kubectl against the playground is run in
// test/cli/try-the-server.test.ts.

describe('humanDuration', () => {
  // k8s.io/apimachinery/pkg/util/duration/duration_test.go, TestHumanDuration.
  it.each([
    [-2_000, '<invalid>'],
    [-1_500, '0s'],
    [0, '0s'],
    [1_000, '1s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [121_000, '2m1s'],
    [600_000, '10m'],
    [179 * 60_000, '179m'],
    [3 * 3_600_000, '3h'],
    [3 * 3_600_000 + 60_000, '3h1m'],
    [8 * 3_600_000, '8h'],
    [47 * 3_600_000, '47h'],
    [48 * 3_600_000, '2d'],
    [49 * 3_600_000, '2d1h'],
    [8 * 86_400_000, '8d'],
    [729 * 86_400_000, '729d'],
    [730 * 86_400_000, '2y'],
    [731 * 86_400_000, '2y1d'],
    [8 * 365 * 86_400_000, '8y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('Table', () => {
  const accept =
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

  it('is what kubectl asks for, for the kinds with columns', () => {
    expect(wantsTable(accept, 'Deployment')).toBe(true);
    expect(wantsTable('application/json', 'Deployment')).toBe(false);
    expect(wantsTable(accept, 'PropagationPolicy')).toBe(false);
  });

  it("prints a FederatedHPA with Karmada's printer columns", () => {
    const now = Date.parse('2026-01-01T00:05:00Z');
    const t = table(
      'FederatedHPA',
      [
        {
          apiVersion: 'autoscaling.karmada.io/v1alpha1',
          kind: 'FederatedHPA',
          metadata: { name: 'sample-app', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
          spec: {
            scaleTargetRef: { kind: 'Deployment', name: 'sample-app' },
            minReplicas: 1,
            maxReplicas: 10,
          },
          status: { currentReplicas: 5 },
        },
      ],
      now,
      { resourceVersion: '7' },
    );
    expect(t.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'REFERENCE-KIND',
      'REFERENCE-NAME',
      'MINPODS',
      'MAXPODS',
      'REPLICAS',
      'AGE',
    ]);
    expect(t.rows[0]?.cells).toEqual(['sample-app', 'Deployment', 'sample-app', 1, 10, 5, '5m']);
    expect(t.rows[0]?.object.metadata.name).toBe('sample-app');
  });
});
