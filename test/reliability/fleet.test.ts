import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Figures } from '../../bench/benchmark.ts';
import { fleet } from '../../bench/fleet.ts';

// The small version of `npm run bench -- fleet` (issue 13.4): the same benchmark at 100 FederatedHPAs over 4
// consumers, every third message delivered twice, no added latency: seconds, not minutes. It checks that the
// benchmark reports, that its figures agree with each other, and that duplicates scaled nothing twice.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let figures: Figures;

beforeAll(async () => {
  figures = await fleet.run({
    quick: false,
    root: ROOT,
    flags: {
      fhpas: '100',
      consumers: '4',
      'batch-size': '10',
      messages: '2',
      'duplicate-every': '3',
      'latency-ms': '0',
      'loaded-every': '10',
    },
    log: () => {},
  });
}, 120_000);

describe('fleet benchmark, tiny', () => {
  it('sweeps every FederatedHPA once, plus the duplicates the queue made, with no error', () => {
    expect(figures.error).toBeUndefined();
    expect(figures).toMatchObject({ fhpas: 100, consumers: 4, messages: 10, duplicateMessages: 3 });
    const outcomes = figures.outcomes as Record<string, number>;
    const evaluations = figures.evaluations as number;
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(evaluations);
    // Each duplicated message (10 refs) is evaluated again, unless both copies came in one delivery.
    const duplicateRefs = (figures.duplicateMessages as number) * 10;
    expect(evaluations - 100).toBe(figures.duplicateEvaluations);
    expect((figures.duplicateEvaluations as number) + (figures.duplicatesInOneDelivery as number)).toBe(
      duplicateRefs,
    );
  });

  it('scales each loaded workload exactly once, duplicates notwithstanding', () => {
    expect(figures.loadedWorkloads).toBe(10);
    expect(figures.scaledWorkloads).toBe(10);
    expect(figures.doubleScaled).toBe(0);
    expect(figures.deadLettered).toBe(0);
  });

  it('reports rates that agree with its counts', () => {
    const { apiCallsPerEval, evalsPerSecond, apiRequestsPerSecond } = figures as Record<string, number>;
    expect(apiCallsPerEval).toBeGreaterThan(1);
    expect(apiRequestsPerSecond).toBeCloseTo(apiCallsPerEval! * evalsPerSecond!, -1);
    expect(figures.storeWritesPerEval).toBeLessThanOrEqual(1);
    expect(figures.storeReadsPerEval).toBeLessThanOrEqual(1);
    expect(figures.cpuMsPerEval === null || (figures.cpuMsPerEval as number) > 0).toBe(true);
  });
});
