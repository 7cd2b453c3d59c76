import { describe, expect, it } from 'vitest';
import type { History } from '../../src/engine/history-types.ts';
import { settleUnlandedScale } from '../../src/engine/unlanded-scale.ts';

// A scale write recorded in the history before a PATCH that never landed (the process died in between): taken
// back only while the scale still carries the resourceVersion the PATCH was guarded by, once the write can no
// longer be in flight (src/engine/unlanded-scale.ts).

const T = 1_700_000_000_000;
const IN_FLIGHT = 50_000;
// An evaluation at T read the scale at 2 replicas (resourceVersion "41"), saved a scale-up of 3 and lastScale 5
// at T + 20 ms, then died before its PATCH. An older scale-up of 1 and a scale-down of 2 are real.
const crashed: History = {
  recommendations: [{ timestamp: T, replicas: 5 }],
  scaleUpEvents: [
    { timestamp: T - 60_000, replicaChange: 1 },
    { timestamp: T, replicaChange: 3 },
  ],
  scaleDownEvents: [{ timestamp: T - 30_000, replicaChange: 2 }],
  lastScale: {
    timestamp: T,
    replicas: 5,
    writtenAgainst: { resourceVersion: '41', replicas: 2, savedAt: T + 20 },
  },
};
const later = T + 20 + IN_FLIGHT;

describe('settleUnlandedScale', () => {
  it('takes the event back and restores lastScale when the resourceVersion is untouched', () => {
    expect(settleUnlandedScale(crashed, { replicas: 2, resourceVersion: '41' }, later, IN_FLIGHT)).toEqual({
      history: {
        ...crashed,
        scaleUpEvents: [{ timestamp: T - 60_000, replicaChange: 1 }],
        lastScale: { timestamp: T, replicas: 2 },
      },
      unlanded: { timestamp: T, from: 2, to: 5 },
    });
  });

  it('takes a scale-down back from the scale-down list', () => {
    const down: History = {
      ...crashed,
      scaleUpEvents: [],
      scaleDownEvents: [
        { timestamp: T - 30_000, replicaChange: 2 },
        { timestamp: T, replicaChange: 4 },
      ],
      lastScale: {
        timestamp: T,
        replicas: 2,
        writtenAgainst: { resourceVersion: '41', replicas: 6, savedAt: T },
      },
    };
    const settled = settleUnlandedScale(down, { replicas: 6, resourceVersion: '41' }, later, IN_FLIGHT);
    expect(settled.history.scaleDownEvents).toEqual([{ timestamp: T - 30_000, replicaChange: 2 }]);
    expect(settled.history.lastScale).toEqual({ timestamp: T, replicas: 6 });
    expect(settled.unlanded).toEqual({ timestamp: T, from: 6, to: 2 });
  });

  it('keeps the event of a write that may still be in flight, but blames no other writer', () => {
    const settled = settleUnlandedScale(
      crashed,
      { replicas: 2, resourceVersion: '41' },
      later - 1,
      IN_FLIGHT,
    );
    expect(settled).toEqual({ history: { ...crashed, lastScale: { timestamp: T, replicas: 2 } } });
  });

  // A moved resourceVersion: the PATCH landed (replicas at its target), or something wrote the object. Kept,
  // as before: a resourceVersion cannot be ordered, so "not landed, then a status write" and "landed, then
  // undone" look the same.
  it.each([
    ['landed: replicas at the target', 5],
    ['moved back to the count it was written against', 2],
    ['another count altogether', 7],
  ])('keeps everything when the resourceVersion moved (%s)', (_, replicas) => {
    expect(settleUnlandedScale(crashed, { replicas, resourceVersion: '57' }, later, IN_FLIGHT)).toEqual({
      history: crashed,
    });
  });

  it('leaves a history without a recorded write alone (no rescale, or saved by an older fhpa)', () => {
    const { lastScale: _, ...none } = crashed;
    expect(settleUnlandedScale(none, { replicas: 2, resourceVersion: '41' }, later, IN_FLIGHT)).toEqual({
      history: none,
    });
    const plain = { ...crashed, lastScale: { timestamp: T, replicas: 5 } };
    expect(settleUnlandedScale(plain, { replicas: 2, resourceVersion: '41' }, later, IN_FLIGHT)).toEqual({
      history: plain,
    });
  });

  it('restores lastScale even when no event was recorded (no behavior: the legacy path records none)', () => {
    const legacy = { ...crashed, scaleUpEvents: [] };
    const settled = settleUnlandedScale(legacy, { replicas: 2, resourceVersion: '41' }, later, IN_FLIGHT);
    expect(settled.history).toEqual({ ...legacy, lastScale: { timestamp: T, replicas: 2 } });
    expect(settled.unlanded).toEqual({ timestamp: T, from: 2, to: 5 });
  });

  it('does not change the history it is given', () => {
    const copy = structuredClone(crashed);
    settleUnlandedScale(crashed, { replicas: 2, resourceVersion: '41' }, later, IN_FLIGHT);
    expect(crashed).toEqual(copy);
  });
});
