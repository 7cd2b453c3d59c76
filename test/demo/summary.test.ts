// The run summary (src/demo/summary.ts), the demo's and `fhpa simulate`'s last line, on hand-made samples.
import { describe, expect, it } from 'vitest';
import type { RunEvent, Sample } from '../../src/demo/run.ts';
import { loadFell, summarize, summaryLine } from '../../src/demo/summary.ts';

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
    // Issue 19.5: the division of the peak is pods (they add up to it); how many were ready is said apart.
    expect(s.peakByCluster).toEqual({ member1: 3, member2: 3 });
    expect(s.peakReady).toBe(4);
    expect(summaryLine(s, true)).toBe(
      'peak 6 replicas (member1 3, member2 3), never all ready (at most 4 ready); 1 at the end, 40 s after the load fell; 0 rescales',
    );
    expect(s.secondsToFinal).toBe(40);
  });

  it('replicas that never came back down after the load fell have no time to final, not 0 (issue 19.5)', () => {
    const s = summarize(
      [sample(0, 1, [1, 1], [0, 0]), sample(30, 4, [2, 2], [2, 2]), sample(120, 4, [2, 2], [2, 2])],
      events,
    );
    expect(s).toMatchObject({ finalReplicas: 4, secondsToPeak: 10, secondsToFinal: null });
    expect(summaryLine(s, true)).toBe(
      'peak 4 replicas (member1 2, member2 2), all ready 10 s after the load rose; 4 at the end, not reached after the load fell (secondsToFinal null); 0 rescales',
    );
  });

  it('says so when the load never fell, rather than that the replicas did not follow it', () => {
    const s = summarize([sample(0, 1, [1, 1], [0, 0]), sample(30, 5, [3, 1], [2, 0])], events.slice(0, 2));
    expect(loadFell(events.slice(0, 2))).toBe(false);
    expect(summaryLine(s, false)).toBe(
      'peak 5 replicas (member1 3, member2 2), never all ready (at most 1 ready); 5 at the end, the load never fell; 0 rescales',
    );
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
