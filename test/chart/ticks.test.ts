import { describe, expect, it } from 'vitest';
import { formatTick, niceTicks, stepDecimals, ticksWithin } from '../../src/chart/ticks.ts';

describe('niceTicks', () => {
  // d3/d3-array test/nice-test.js "nice(start, stop, count) returns the expected values": where `count` as a
  // maximum and d3's count as a target agree, the bounds are d3's.
  it.each([
    { lo: 0.132, hi: 0.876, max: 1000, bounds: [0.132, 0.876], step: 0.001 },
    { lo: 0.132, hi: 0.876, max: 100, bounds: [0.13, 0.88], step: 0.01 },
    { lo: 0.132, hi: 0.876, max: 10, bounds: [0.1, 0.9], step: 0.1 },
    { lo: 0.132, hi: 0.876, max: 5, bounds: [0, 1], step: 0.2 },
    { lo: 0.132, hi: 0.876, max: 1, bounds: [0, 1], step: 1 },
    { lo: 132, hi: 876, max: 1000, bounds: [132, 876], step: 1 },
    { lo: 132, hi: 876, max: 100, bounds: [130, 880], step: 10 },
    { lo: 132, hi: 876, max: 10, bounds: [100, 900], step: 100 },
    { lo: 132, hi: 876, max: 5, bounds: [0, 1000], step: 200 },
    { lo: 132, hi: 876, max: 1, bounds: [0, 1000], step: 1000 },
  ])('d3 nice($lo, $hi, $max) → $bounds', ({ lo, hi, max, bounds, step }) => {
    const t = niceTicks(lo, hi, max);
    expect([t.min, t.max]).toEqual(bounds);
    expect(t.step).toBe(step);
  });

  // Departures from d3, where d3 rounds the tick count to the nearest and we never exceed it: d3 gives
  // [0.12, 0.88] for 30 and [0.1, 0.9] for 6.
  it.each([
    { lo: 0.132, hi: 0.876, max: 30, bounds: [0.1, 0.9], step: 0.05 },
    { lo: 0.132, hi: 0.876, max: 6, bounds: [0, 1], step: 0.2 },
  ])('never more than $max intervals: ($lo, $hi) → $bounds', ({ lo, hi, max, bounds, step }) => {
    const t = niceTicks(lo, hi, max);
    expect([t.min, t.max, t.step]).toEqual([...bounds, step]);
    expect(t.values.length - 1).toBeLessThanOrEqual(max);
  });

  it.each([
    { name: 'replicas 0..10', lo: 0, hi: 10, max: 5, integer: false, values: [0, 2, 4, 6, 8, 10] },
    { name: 'load 0..1040', lo: 0, hi: 1040, max: 5, integer: false, values: [0, 500, 1000, 1500] },
    { name: 'target only 0..0.7', lo: 0, hi: 0.7, max: 5, integer: false, values: [0, 0.2, 0.4, 0.6, 0.8] },
    { name: 'binary noise cleaned', lo: 0, hi: 0.3, max: 3, integer: false, values: [0, 0.1, 0.2, 0.3] },
    { name: 'negative to positive', lo: -3, hi: 7, max: 5, integer: false, values: [-5, 0, 5, 10] },
    { name: 'all negative', lo: -8, hi: -1, max: 4, integer: false, values: [-8, -6, -4, -2, 0] },
    { name: 'integer forbids steps below 1', lo: 0, hi: 1, max: 5, integer: true, values: [0, 1] },
    { name: 'integer 0..3', lo: 0, hi: 3, max: 5, integer: true, values: [0, 1, 2, 3] },
    {
      name: 'all zero widens to [0, 1]',
      lo: 0,
      hi: 0,
      max: 5,
      integer: false,
      values: [0, 0.2, 0.4, 0.6, 0.8, 1],
    },
    { name: 'single value widens by half', lo: 4, hi: 4, max: 4, integer: false, values: [2, 3, 4, 5, 6] },
    { name: 'NaN bound falls back to [0, 1]', lo: Number.NaN, hi: 5, max: 1, integer: false, values: [0, 1] },
    { name: 'reversed bounds', lo: 10, hi: 0, max: 5, integer: false, values: [0, 2, 4, 6, 8, 10] },
  ])('$name', ({ lo, hi, max, integer, values }) => {
    expect(niceTicks(lo, hi, max, integer).values).toEqual(values);
  });
});

describe('ticksWithin (time axis)', () => {
  it.each([
    { lo: 0, hi: 180, max: 10, step: 20, values: [0, 20, 40, 60, 80, 100, 120, 140, 160, 180] },
    { lo: 0, hi: 317, max: 5, step: 100, values: [0, 100, 200, 300] },
    { lo: 12, hi: 97, max: 4, step: 20, values: [20, 40, 60, 80] },
  ])('[$lo, $hi] keeps only ticks inside the run', ({ lo, hi, max, step, values }) => {
    expect(ticksWithin(lo, hi, max)).toEqual({ step, values });
  });
});

describe('formatTick', () => {
  it.each([
    { value: 0.4, step: 0.2, label: '0.4' },
    { value: 1, step: 0.2, label: '1.0' },
    { value: 0.15, step: 0.05, label: '0.15' },
    { value: 1500, step: 500, label: '1500' },
    { value: 12000, step: 2000, label: '12k' },
    { value: 0, step: 2000, label: '0' },
    { value: -0, step: 0.1, label: '0.0' },
    { value: -2, step: 1, label: '-2' },
  ])('$value at step $step → $label', ({ value, step, label }) => {
    expect(formatTick(value, step)).toBe(label);
  });

  it.each([
    [5, 0],
    [0.2, 1],
    [0.1, 1],
    [0.05, 2],
    [0.001, 3],
    [1000, 0],
  ])('stepDecimals(%d) = %d', (step, decimals) => {
    expect(stepDecimals(step)).toBe(decimals);
  });
});
