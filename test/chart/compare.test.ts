import { describe, expect, it } from 'vitest';
import { compareTimelines } from '../../src/chart/compare.ts';
import { renderTimeline } from '../../src/chart/timeline.ts';
import type { TimelineInput } from '../../src/chart/types.ts';
import { findAll, parseXml, textOf } from './xml-check.ts';

function run(target: number, peak: number, markerLabel: string): TimelineInput {
  return {
    title: 'spec',
    panels: [
      {
        title: 'metric vs target',
        series: [
          {
            label: 'metric',
            style: 'line',
            points: [
              [0, 0.2],
              [60, 0.9],
            ],
          },
        ],
        references: [
          { label: 'target', value: target },
          { label: 'floor', value: 0.1 },
        ],
      },
      {
        title: 'replicas',
        series: [
          {
            label: 'member1',
            style: 'area',
            points: [
              [0, 1],
              [60, peak],
            ],
          },
          {
            label: 'desired',
            style: 'step',
            color: '#000000',
            points: [
              [0, 1],
              [60, peak],
            ],
          },
        ],
      },
    ],
    markers: [
      { at: 10, label: 'alert fired' },
      { at: 30, label: markerLabel },
    ],
  };
}

describe('compareTimelines', () => {
  const merged = compareTimelines(
    [
      { name: 'A', timeline: run(0.7, 10, 'scaled up') },
      { name: 'B', timeline: run(0.5, 6, 'scaled up late') },
    ],
    'stabilization 10 s vs 60 s',
  );

  it('prefixes labels with the run, keeps each series colour across runs and tells runs apart by dash', () => {
    expect(merged.panels[1]!.series.map((s) => [s.label, s.style, s.color, s.dash])).toEqual([
      ['A: member1', 'step', '#0072B2', 'solid'],
      ['A: desired', 'step', '#000000', 'solid'],
      ['B: member1', 'step', '#0072B2', 'dashed'],
      ['B: desired', 'step', '#000000', 'dashed'],
    ]);
  });

  it('draws a reference line shared by every run once, and the others per run', () => {
    expect(merged.panels[0]!.references).toEqual([
      { label: 'floor', value: 0.1 },
      { label: 'A: target', value: 0.7, dash: 'dashed' },
      { label: 'B: target', value: 0.5, dash: 'dotted' },
    ]);
  });

  it('draws a marker shared by every run once, and the others per run', () => {
    expect(merged.markers).toEqual([
      { at: 10, label: 'alert fired' },
      { at: 30, label: 'A: scaled up' },
      { at: 30, label: 'B: scaled up late' },
    ]);
  });

  it('names the dash of each run in the subtitle', () => {
    expect([merged.title, merged.subtitle]).toEqual(['stabilization 10 s vs 60 s', 'A solid · B dashed']);
  });

  // Issue 19.4: the load (here the metric) every run ran against is one line, not one per run on top of itself.
  it('draws a series with the same points in every run once, unprefixed and solid', () => {
    expect(merged.panels[0]!.series.map((s) => [s.label, s.dash ?? 'solid'])).toEqual([['metric', 'solid']]);
    const differing = compareTimelines([
      { name: 'A', timeline: run(0.7, 10, 'x') },
      {
        name: 'B',
        timeline: {
          ...run(0.7, 10, 'x'),
          panels: [
            { title: 'metric vs target', series: [{ label: 'metric', style: 'line', points: [[0, 0.3]] }] },
          ],
        },
      },
    ]);
    expect(differing.panels[0]!.series.map((s) => s.label)).toEqual(['A: metric', 'B: metric']);
  });

  it('renders with one path and one legend entry per series, shared ones once', () => {
    const svg = parseXml(renderTimeline(merged));
    expect(findAll(svg, 'path')).toHaveLength(5);
    const legendTexts = findAll(svg, 'g')
      .filter((g) => g.attrs.class === 'legend')
      .flatMap((g) => findAll(g, 'text').map(textOf));
    expect(legendTexts).toEqual([
      'metric vs target',
      'metric',
      'floor',
      'A: target',
      'B: target',
      'replicas',
      'A: member1',
      'A: desired',
      'B: member1',
      'B: desired',
    ]);
  });

  it('merges panels by title, keeping a panel only one run has', () => {
    const extra: TimelineInput = {
      title: 'b',
      panels: [{ title: 'queue depth', series: [{ label: 'depth', style: 'line', points: [[0, 1]] }] }],
    };
    const m = compareTimelines([
      { name: 'A', timeline: run(0.7, 10, 'x') },
      { name: 'B', timeline: extra },
    ]);
    expect(m.panels.map((p) => [p.title, p.series.map((s) => s.label)])).toEqual([
      ['metric vs target', ['A: metric']],
      ['replicas', ['A: member1', 'A: desired']],
      ['queue depth', ['B: depth']],
    ]);
  });

  it.each([0, 5])('refuses %i runs with a RangeError naming the limit', (n) => {
    const runs = Array.from({ length: n }, (_, i) => ({ name: `r${i}`, timeline: run(0.7, 10, 'x') }));
    expect(() => compareTimelines(runs)).toThrow(new RangeError('compareTimelines: 1 to 4 runs, got ' + n));
  });
});
