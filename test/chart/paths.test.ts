import { describe, expect, it } from 'vitest';
import { linearScale, linePath, polyline, stack, stackedAreaPaths, stepPath } from '../../src/chart/paths.ts';
import type { Point } from '../../src/chart/types.ts';

// x: 0 s → 50 px, 10 px per second; y: 0 → 100 px, 10 px per unit upwards.
const sx = linearScale(0, 10, 50, 150);
const sy = linearScale(0, 10, 100, 0);

describe('stepPath (step-after)', () => {
  it.each<{ name: string; points: Point[]; d: string }>([
    {
      name: 'holds each value until the next sample, dropping unchanged samples',
      points: [
        [0, 1],
        [10, 3],
        [20, 3],
        [30, 2],
      ],
      d: 'M50,90H150V70H350V80',
    },
    {
      name: 'a constant series is one horizontal run',
      points: [
        [0, 5],
        [1, 5],
        [2, 5],
        [3, 5],
      ],
      d: 'M50,50H80',
    },
    {
      name: 'a NaN value ends the run at its time, the next run starts afresh',
      points: [
        [0, 1],
        [2, 2],
        [4, Number.NaN],
        [6, 4],
        [8, 4],
      ],
      d: 'M50,90H70V80H90M110,60H130',
    },
    {
      name: 'unsorted samples are drawn in time order',
      points: [
        [2, 2],
        [0, 1],
      ],
      d: 'M50,90H70V80',
    },
    { name: 'a single sample is a dot', points: [[5, 5]], d: 'M100,50h0' },
    { name: 'no finite sample draws nothing', points: [[1, Number.NaN]], d: '' },
    {
      name: 'a non-finite time is dropped',
      points: [
        [Number.POSITIVE_INFINITY, 3],
        [0, 1],
        [1, 1],
      ],
      d: 'M50,90H60',
    },
  ])('$name', ({ points, d }) => {
    expect(stepPath(points, sx, sy)).toBe(d);
  });
});

describe('linePath', () => {
  it.each<{ name: string; points: Point[]; d: string }>([
    {
      name: 'straight segments, with H for flat stretches',
      points: [
        [0, 0],
        [1, 5],
        [2, 5],
        [3, 5],
        [4, 0],
      ],
      d: 'M50,100L60,50H80L90,100',
    },
    {
      name: 'an infinite value is a gap, like d3 line.defined()',
      points: [
        [0, 0],
        [1, 1],
        [2, Number.POSITIVE_INFINITY],
        [3, 2],
      ],
      d: 'M50,100L60,90M80,80h0',
    },
    {
      name: 'coordinates are rounded to 0.1 px',
      points: [
        [0.123, 1.234],
        [1.0049, 2.0001],
      ],
      d: 'M51.2,87.7L60,80',
    },
  ])('$name', ({ points, d }) => {
    expect(linePath(points, sx, sy)).toBe(d);
  });
});

describe('polyline', () => {
  it('keeps a reversal on a straight run (the middle point is not between its neighbours)', () => {
    expect(
      polyline([
        [0, 0],
        [10, 0],
        [5, 0],
      ]),
    ).toBe('M0,0H10H5');
  });
});

describe('stack and stackedAreaPaths', () => {
  const member1: Point[] = [
    [0, 1],
    [2, 5],
    [4, 1],
  ];
  const member2: Point[] = [
    [1, 0],
    [2, 5],
    [3, Number.NaN],
    [4, 0],
  ];

  it('aligns series on the union of their times, holding values and counting 0 before the first sample', () => {
    expect(stack([member1, member2])).toEqual({
      times: [0, 1, 2, 4],
      tops: [
        [1, 1, 5, 1],
        [1, 1, 10, 1],
      ],
    });
  });

  it('draws each series along its top and back along the top of the one below', () => {
    expect(stackedAreaPaths(stack([member1, member2]), sx, sy)).toEqual([
      'M50,90H70V50H90V100H50Z',
      'M50,90H70V0H90V50H70V90H50Z',
    ]);
  });

  it('a single instant is a vertical stroke from its top to the series below', () => {
    expect(stackedAreaPaths(stack([[[5, 2]], [[5, 3]]]), sx, sy)).toEqual(['M100,80V100', 'M100,50V80']);
  });

  it('no samples, no paths', () => {
    expect(stackedAreaPaths(stack([[], []]), sx, sy)).toEqual(['', '']);
  });
});
