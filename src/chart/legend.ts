import { DASH_ARRAYS, INK } from './palette.ts';
import { el, text, textWidth } from './svg.ts';
import type { DashStyle, SeriesStyle } from './types.ts';

// The legend column right of each plot: the panel title as its heading, then one entry per series and per
// reference line. Beside the plot rather than above it, so vertical event markers never cross legend text.

export interface LegendEntry {
  label: string;
  color: string;
  dash: DashStyle;
  /** `reference` draws like a line; `area` draws a filled swatch. */
  kind: SeriesStyle | 'reference';
}

export const LEGEND = {
  titleSize: 12,
  labelSize: 11,
  rowHeight: 16,
  swatch: 22,
  swatchGap: 6,
  minWidth: 120,
  maxWidth: 240,
} as const;

/** Width the legend column needs for `title` and `entries`, within [minWidth, maxWidth]. */
export function legendWidth(title: string, entries: readonly LegendEntry[]): number {
  const widest = Math.max(
    // bold text runs about 8% wider than the 0.6 em estimate
    textWidth(title, LEGEND.titleSize) * 1.08,
    ...entries.map((e) => LEGEND.swatch + LEGEND.swatchGap + textWidth(e.label, LEGEND.labelSize)),
  );
  return Math.min(LEGEND.maxWidth, Math.max(LEGEND.minWidth, Math.ceil(widest)));
}

/** Height of the column: heading plus one row per entry. */
export function legendHeight(entries: readonly LegendEntry[]): number {
  return LEGEND.rowHeight * (entries.length + 1);
}

/** Cuts `s` with an ellipsis so its estimated width fits `width` px at `fontSize`. */
export function truncate(s: string, width: number, fontSize: number): string {
  if (textWidth(s, fontSize) <= width) return s;
  const chars = [...s];
  const keep = Math.max(1, Math.floor(width / (fontSize * 0.6)) - 1);
  return `${chars.slice(0, keep).join('')}…`;
}

function swatch(e: LegendEntry, x: number, y: number): string {
  if (e.kind === 'area') {
    return el('rect', {
      x,
      y: y - 5,
      width: LEGEND.swatch,
      height: 10,
      fill: e.color,
      'fill-opacity': '0.35',
      stroke: e.color,
      'stroke-width': 1,
    });
  }
  return el('line', {
    x1: x,
    y1: y,
    x2: x + LEGEND.swatch,
    y2: y,
    stroke: e.color,
    'stroke-width': 2,
    'stroke-dasharray': DASH_ARRAYS[e.dash],
  });
}

/** The legend column with its top-left corner at (x, y). */
export function renderLegend(
  title: string,
  entries: readonly LegendEntry[],
  x: number,
  y: number,
  width: number,
): string {
  const parts = [
    text(
      { x, y: y + 11, 'font-size': LEGEND.titleSize, 'font-weight': 'bold', fill: INK.text },
      truncate(title, width, LEGEND.titleSize * 1.08),
    ),
  ];
  const labelWidth = width - LEGEND.swatch - LEGEND.swatchGap;
  entries.forEach((e, i) => {
    const mid = y + LEGEND.rowHeight * (i + 1) + 8;
    parts.push(
      swatch(e, x, mid),
      text(
        {
          x: x + LEGEND.swatch + LEGEND.swatchGap,
          y: mid + 4,
          'font-size': LEGEND.labelSize,
          fill: INK.text,
        },
        truncate(e.label, labelWidth, LEGEND.labelSize),
      ),
    );
  });
  return el('g', { class: 'legend' }, ...parts);
}
