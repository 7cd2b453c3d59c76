import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderTimeline } from '../../src/chart/timeline.ts';
import type { TimelineInput } from '../../src/chart/types.ts';
import { seedRun } from './seed-run.ts';
import { findAll, parseXml, textOf, type XmlElement } from './xml-check.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function legendLabels(svg: XmlElement): string[][] {
  // the first text of a legend is the panel title, one text per entry follows
  return findAll(svg, 'g')
    .filter((g) => g.attrs.class === 'legend')
    .map((g) => findAll(g, 'text').slice(1).map(textOf));
}

function tickGroups(svg: XmlElement, anchor: 'end' | 'middle'): string[][] {
  return findAll(svg, 'g')
    .filter((g) => g.attrs['text-anchor'] === anchor && g.attrs['font-size'] === '11')
    .map((g) => findAll(g, 'text').map(textOf));
}

describe('renderTimeline on the seed walkthrough', () => {
  const input = seedRun();
  const out = renderTimeline(input);
  const svg = parseXml(out);

  it('is a well-formed standalone SVG 1.1 document with a viewBox, a title and a white background', () => {
    expect(svg.name).toBe('svg');
    expect(svg.attrs).toMatchObject({
      xmlns: 'http://www.w3.org/2000/svg',
      version: '1.1',
      width: '960',
      viewBox: `0 0 960 ${svg.attrs.height}`,
    });
    expect(textOf(findAll(svg, 'title')[0]!)).toBe(input.title);
    expect(findAll(svg, 'rect')[0]!.attrs).toMatchObject({ x: '0', y: '0', width: '960', fill: '#FFFFFF' });
    expect(out).not.toMatch(/<script|<style|@import|url\(http/);
  });

  it('draws exactly one <path> per series', () => {
    const series = input.panels.flatMap((p) => p.series);
    expect(findAll(svg, 'path')).toHaveLength(series.length);
  });

  it('has one legend entry per series and per reference line, panel by panel', () => {
    expect(legendLabels(svg)).toEqual([
      ['load'],
      ['metric', 'target 700m'],
      ['member1', 'member2', 'desired', 'actual'],
    ]);
  });

  it('labels the y axes with 1-2-5 ticks and the shared time axis once, under the last panel', () => {
    expect(tickGroups(svg, 'end')).toEqual([
      ['0', '500', '1000', '1500'],
      ['0', '2', '4', '6', '8'],
      ['0', '2', '4', '6', '8', '10'],
    ]);
    expect(tickGroups(svg, 'middle')).toEqual([
      ['0', '20', '40', '60', '80', '100', '120', '140', '160', '180', 'time (s)'],
    ]);
  });

  it('draws every marker with its label', () => {
    const labels = findAll(svg, 'text').map(textOf);
    for (const m of input.markers ?? []) expect(labels).toContain(m.label);
  });

  it('rounds every coordinate to one decimal', () => {
    const coords = /(?:^|\s)(?:x|y|x1|y1|x2|y2|width|height|d|viewBox)="([^"]*)"/g;
    for (const [, value] of out.matchAll(coords)) expect(value).not.toMatch(/\d\.\d\d/);
  });

  it('is deterministic: two renders of equal input are byte-identical', () => {
    expect(sha256(renderTimeline(seedRun()))).toBe(sha256(out));
    expect(sha256(renderTimeline(structuredClone(input)))).toBe(sha256(out));
  });

  it('gives each panel its own clip path', () => {
    expect(findAll(svg, 'clipPath').map((c) => c.attrs.id)).toEqual([
      'fhpa-plot-0',
      'fhpa-plot-1',
      'fhpa-plot-2',
    ]);
  });
});

describe('renderTimeline escapes every text it is given', () => {
  const hostile = '<script>alert("x")</script> & co';
  const out = renderTimeline({
    title: hostile,
    subtitle: hostile,
    xLabel: hostile,
    panels: [
      {
        title: hostile,
        series: [{ label: hostile, style: 'line', color: '"/><script>', points: [[0, 1]] }],
        references: [{ label: hostile, value: 1 }],
      },
    ],
    markers: [{ at: 0, label: hostile }],
  });

  it('keeps the document well-formed and the text intact', () => {
    const svg = parseXml(out);
    expect(out).not.toContain('<script');
    const texts = findAll(svg, 'text').map(textOf);
    // title, subtitle, series and reference labels, x label, marker; the bold legend heading is cut to fit
    expect(texts.filter((t) => t === hostile)).toHaveLength(6);
    expect(texts).toContain('<script>alert("x")</script> &…');
    expect(svg.attrs['aria-label']).toBe(hostile);
    expect(findAll(svg, 'path')[0]!.attrs.stroke).toBe('"/><script>');
  });
});

describe('renderTimeline on empty and degenerate data', () => {
  const panel = (points: [number, number][]): TimelineInput => ({
    title: 'degenerate',
    panels: [{ title: 'p', series: [{ label: 's', style: 'step', points }] }],
  });
  it.each<{ name: string; input: TimelineInput; paths: number }>([
    { name: 'a single point', input: panel([[5, 3]]), paths: 1 },
    {
      name: 'all zero',
      input: panel([
        [0, 0],
        [10, 0],
      ]),
      paths: 1,
    },
    {
      name: 'NaN values only',
      input: panel([
        [0, Number.NaN],
        [1, Number.NaN],
      ]),
      paths: 1,
    },
    { name: 'a series with no points', input: panel([]), paths: 1 },
    { name: 'no panels at all', input: { title: 'empty', panels: [] }, paths: 0 },
    {
      name: 'a panel with no series',
      input: { title: 'empty', panels: [{ title: 'p', series: [] }] },
      paths: 0,
    },
    {
      name: 'a single-instant stacked area',
      input: {
        title: 'area',
        panels: [{ title: 'p', series: [{ label: 'a', style: 'area', points: [[0, 2]] }] }],
      },
      paths: 1,
    },
    {
      name: 'fixed bounds narrower than the data, and markers outside them',
      input: {
        title: 'clip',
        xMin: 0,
        xMax: 10,
        markers: [{ at: 50, label: 'outside' }],
        panels: [
          {
            title: 'p',
            yMax: 1,
            series: [
              {
                label: 'big',
                style: 'line',
                points: [
                  [0, 100],
                  [20, 100],
                ],
              },
            ],
          },
        ],
      },
      paths: 1,
    },
  ])('$name renders a well-formed document', ({ input, paths }) => {
    const svg = parseXml(renderTimeline(input));
    expect(findAll(svg, 'path')).toHaveLength(paths);
    expect(Number(svg.attrs.height)).toBeGreaterThan(0);
  });
});
