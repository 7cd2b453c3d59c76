import { describe, expect, it } from 'vitest';
import { cpuFigures, parseFloorSeconds, threadCpuSeconds } from '../../bench/support/cpu-floor.ts';

// The CPU floor of the sweep and fleet benchmarks (issue 13.2): JSON.parse over the bodies a client received,
// in this thread's CPU time, and fhpa's CPU per evaluation against it.

const bodies = Array.from({ length: 200 }, (_, i) =>
  JSON.stringify({ kind: 'PodList', items: Array.from({ length: 5 }, (_, j) => ({ name: `p-${i}-${j}` })) }),
);
const procfs = threadCpuSeconds() !== null;

describe('cpu floor', () => {
  it.runIf(procfs)('times JSON.parse over the bodies: more bodies, more CPU per pass', () => {
    const one = parseFloorSeconds(bodies, 0.05);
    const ten = parseFloorSeconds(Array(10).fill(bodies).flat(), 0.05);
    expect(one).toBeGreaterThan(0);
    expect(ten).toBeGreaterThan(one ?? Number.POSITIVE_INFINITY);
  });

  it('has no floor without bodies (an empty 204 is not JSON and costs nothing)', () => {
    expect(parseFloorSeconds([])).toBeNull();
    expect(parseFloorSeconds(['', '', ''], 0.01)).not.toBeNaN();
  });

  it.runIf(procfs)('reports CPU and floor per evaluation, and their ratio', () => {
    const f = cpuFigures({ cpuSeconds: 0.002, evaluations: 1, bodies, minFloorCpuSeconds: 0.05 });
    expect(f.cpuMsPerEval).toBe(2);
    const floor = f.floorMsPerEval ?? 0;
    expect(floor).toBeGreaterThan(0);
    expect(Math.abs((f.cpuToFloorRatio ?? 0) - 2 / floor) / (2 / floor)).toBeLessThan(0.05);
  });

  it('is null where it cannot be measured', () => {
    expect(cpuFigures({ cpuSeconds: null, evaluations: 10, bodies: [] })).toEqual({
      cpuMsPerEval: null,
      floorMsPerEval: null,
      cpuToFloorRatio: null,
    });
    expect(cpuFigures({ cpuSeconds: 1, evaluations: 0, bodies: [] }).cpuMsPerEval).toBeNull();
  });
});
