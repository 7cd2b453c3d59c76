import { INK } from './palette.ts';
import type { Scale } from './paths.ts';
import { el, text } from './svg.ts';
import { formatTick, type Ticks } from './ticks.ts';

// Gridlines, axis lines and tick labels of one plot box. Gridlines first, so data is drawn over them.

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const TICK_SIZE = 11;

/** Horizontal gridlines at the y ticks, vertical ones at the x ticks, and the left and bottom axis lines. */
export function renderGrid(box: Box, yTicks: Ticks, sy: Scale, xTicks: readonly number[], sx: Scale): string {
  const right = box.x + box.width;
  const bottom = box.y + box.height;
  const lines = [
    ...yTicks.values.map((v) => el('line', { x1: box.x, y1: sy(v), x2: right, y2: sy(v) })),
    ...xTicks.map((v) => el('line', { x1: sx(v), y1: box.y, x2: sx(v), y2: bottom })),
  ];
  return [
    el('g', { stroke: INK.grid, 'stroke-width': 1 }, ...lines),
    el(
      'g',
      { stroke: INK.axis, 'stroke-width': 1 },
      el('line', { x1: box.x, y1: box.y, x2: box.x, y2: bottom }),
      el('line', { x1: box.x, y1: bottom, x2: right, y2: bottom }),
    ),
  ].join('');
}

/** Y tick labels right-aligned against the axis; the baseline sits 4 px below the tick to centre 11 px text. */
export function renderYLabels(box: Box, ticks: Ticks, sy: Scale): string {
  return el(
    'g',
    { 'font-size': TICK_SIZE, fill: INK.muted, 'text-anchor': 'end' },
    ...ticks.values.map((v) => text({ x: box.x - 6, y: sy(v) + 4 }, formatTick(v, ticks.step))),
  );
}

/** X tick labels under the bottom plot, and the axis title centred below them. */
export function renderXLabels(
  box: Box,
  ticks: readonly number[],
  step: number,
  sx: Scale,
  title: string,
): string {
  const bottom = box.y + box.height;
  return el(
    'g',
    { 'font-size': TICK_SIZE, fill: INK.muted, 'text-anchor': 'middle' },
    ...ticks.map((v) => text({ x: sx(v), y: bottom + 16 }, formatTick(v, step))),
    text({ x: box.x + box.width / 2, y: bottom + 34, fill: INK.text }, title),
  );
}
