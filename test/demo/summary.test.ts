// The run summary (src/demo/summary.ts), the demo's and `fhpa simulate`'s last line, on hand-made samples.
import { describe, expect, it } from 'vitest';
import type { RunEvent, Sample } from '../../src/demo/run.ts';
import { summarize } from '../../src/demo/summary.ts';

const sample = (t: number, desired: number, m1: [number, number], m2: [number, number]): Sample => ({
  t,
  rps: 0,
  metric: undefined,
  desired,
  byCluster: { member1: { pods: m1[0], ready: m1[1] }, member2: { pods: m2[0], ready: m2[1] } },
});
const load = (t: number, previous: number | undefined, rps: number): RunEvent => ({
  t,
  kind: 'load',
  previous,
  rps,
});

describe('summarize', () => {
  const events = [load(0, undefined, 0.1), load(20, 0.1, 20), load(80, 20, 0.1)];

  it('peak time counts until the peak is ready, not until it is set', () => {
    const s = summarize(
      [
        sample(0, 1, [1, 1], [0, 0]),
        sample(30, 4, [2, 1], [2, 0]),
        sample(35, 4, [2, 2], [2, 2]),
        sample(90, 1, [1, 1], [0, 0]),
      ],
      events,
    );
    expect(s).toMatchObject({
      peakReplicas: 4,
      peakByCluster: { member1: 2, member2: 2 },
      secondsToPeak: 15,
    });
    expect(s).toMatchObject({ finalReplicas: 1, secondsToFinal: 10 });
  });

  it('a peak never fully ready has no time to peak; a dip that comes back resets the settle time', () => {
    const s = summarize(
      [
        sample(0, 1, [1, 1], [0, 0]),
        sample(30, 6, [3, 2], [3, 2]),
        sample(85, 1, [1, 1], [0, 0]),
        sample(90, 2, [1, 1], [1, 1]),
        sample(120, 1, [1, 1], [0, 0]),
      ],
      events,
    );
    expect(s.secondsToPeak).toBeNull();
    expect(s.peakByCluster).toEqual({ member1: 2, member2: 2 });
    expect(s.secondsToFinal).toBe(40);
  });

  it('no load change: no times', () => {
    const s = summarize([sample(0, 1, [1, 1], [0, 0])], [load(0, undefined, 5)]);
    expect(s).toMatchObject({
      secondsToPeak: null,
      secondsToFinal: null,
      rescales: 0,
      alertsSent: 0,
      sweeps: 0,
    });
  });
});
