import { describe, expect, it } from 'vitest';
import { placeMarkers } from '../../src/chart/markers.ts';
import { linearScale } from '../../src/chart/paths.ts';

// 0..100 s over 0..1000 px; at 10 px font a label is 6 px per character wide.
const sx = linearScale(0, 100, 0, 1000);
const place = (markers: { at: number; label: string }[]) =>
  placeMarkers(markers, sx, 0, 1000, 10).map(({ label, row, textX, anchor }) => ({
    label,
    row,
    textX,
    anchor,
  }));

describe('placeMarkers', () => {
  it('labels far apart share the top row, right of their line', () => {
    expect(
      place([
        { at: 10, label: 'load started' },
        { at: 50, label: 'load stopped' },
      ]),
    ).toEqual([
      { label: 'load started', row: 0, textX: 104, anchor: 'start' },
      { label: 'load stopped', row: 0, textX: 504, anchor: 'start' },
    ]);
  });

  it('an overlapping label drops to the next free row, and a later one reuses the top row', () => {
    // "alert fired" (66 px) at 100 px ends at 170; the next starts at 120 → row 1; the third at 300 → row 0
    expect(
      place([
        { at: 30, label: 'third' },
        { at: 10, label: 'alert fired' },
        { at: 12, label: 'scaled up' },
      ]).map((m) => [m.label, m.row]),
    ).toEqual([
      ['alert fired', 0],
      ['scaled up', 1],
      ['third', 0],
    ]);
  });

  it('a label that would leave the plot turns to the left of its line', () => {
    expect(place([{ at: 98, label: 'end of run' }])).toEqual([
      { label: 'end of run', row: 0, textX: 976, anchor: 'end' },
    ]);
  });

  it('markers outside the x domain or at a non-finite time are dropped', () => {
    expect(
      place([
        { at: -5, label: 'before' },
        { at: Number.NaN, label: 'never' },
        { at: 101, label: 'after' },
        { at: 100, label: 'edge' },
      ]).map((m) => m.label),
    ).toEqual(['edge']);
  });
});
