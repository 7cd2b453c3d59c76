import { describe, expect, it } from 'vitest';
import { mapBounded, shardOf } from '../../src/pipeline/concurrency.ts';

describe('mapBounded', () => {
  it('never runs more than the limit at once and keeps input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
  });

  it('keeps going when one task throws', async () => {
    const results = await mapBounded([1, 2, 3], 2, async (n) => {
      if (n === 2) throw new Error('boom');
      return n;
    });
    expect(results[0]).toBe(1);
    expect(results[1]).toEqual({ error: new Error('boom') });
    expect(results[2]).toBe(3);
  });
});

describe('shardOf', () => {
  it('is stable and spreads keys over every shard', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[shardOf(`ns/fhpa-${i}`, 4)]!++;
    expect(counts.every((c) => c > 60)).toBe(true);
    expect(shardOf('default/sample-app', 4)).toBe(shardOf('default/sample-app', 4));
  });
});
