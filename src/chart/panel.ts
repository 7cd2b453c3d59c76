import { type Box, renderGrid, renderYLabels } from './axes.ts';
import type { LegendEntry } from './legend.ts';
import { DASH_ARRAYS, INK, paletteColor } from './palette.ts';
import { linearScale, linePath, type Scale, type Stack, stack, stackedAreaPaths, stepPath } from './paths.ts';
import { el } from './svg.ts';
import { niceTicks, type Ticks } from './ticks.ts';
import type { DashStyle, Panel, ReferenceLine, Series } from './types.ts';

// One panel: its y axis, gridlines, data and reference lines inside a plot box. Legend and layout are the
// caller's (timeline.ts); this file decides colours, the y domain and the drawing order.

interface Styled extends Series {
  color: string;
  dash: DashStyle;
}

interface StyledReference extends ReferenceLine {
  color: string;
  dash: DashStyle;
}

export interface PreparedPanel {
  panel: Panel;
  series: Styled[];
  references: StyledReference[];
  areas: Stack;
  legend: LegendEntry[];
  yTicks: Ticks;
}

/** Colours series left unset from the palette in order, and works out the y axis from the data. */
export function preparePanel(panel: Panel): PreparedPanel {
  const series = panel.series.map(
    (s, i): Styled => ({ ...s, color: s.color ?? paletteColor(i), dash: s.dash ?? 'solid' }),
  );
  const areas = stack(series.filter((s) => s.style === 'area').map((s) => s.points));
  // references default to dark dashed lines: a threshold, not data
  const references = (panel.references ?? []).map(
    (r): StyledReference => ({ ...r, color: r.color ?? INK.text, dash: r.dash ?? 'dashed' }),
  );
  const values = [
    ...series.filter((s) => s.style !== 'area').flatMap((s) => s.points.map((p) => p[1])),
    ...areas.tops.flat(),
    ...references.map((r) => r.value),
  ].filter(Number.isFinite);
  // Math.min/max over a spread would overflow the stack on long runs, hence reduce
  const dataMin = values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const dataMax = values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const lo = panel.yMin ?? (values.length === 0 ? 0 : Math.min(0, dataMin));
  const hi = panel.yMax ?? (values.length === 0 ? 1 : Math.max(dataMax, lo));
  const height = panel.height ?? 150;
  const yTicks = niceTicks(lo, hi, Math.max(2, Math.floor(height / 30)), panel.integer ?? false);
  const legend: LegendEntry[] = [
    ...series.map((s) => ({ label: s.label, color: s.color, dash: s.dash, kind: s.style })),
    ...references.map((r) => ({ label: r.label, color: r.color, dash: r.dash, kind: 'reference' as const })),
  ];
  return { panel, series, references, areas, legend, yTicks };
}

/** The y scale of a prepared panel drawn in `box`. */
export function yScale(p: PreparedPanel, box: Box): Scale {
  return linearScale(p.yTicks.min, p.yTicks.max, box.y + box.height, box.y);
}

/**
 * Grid, stacked areas, reference lines, then lines and steps on top, all clipped to the box (widened by the
 * line width so a line lying on an edge is not cut in half). `clipId` must be unique within the document.
 */
export function renderPanelPlot(
  p: PreparedPanel,
  box: Box,
  sx: Scale,
  xTicks: readonly number[],
  clipId: string,
): string {
  const sy = yScale(p, box);
  const areaPaths = stackedAreaPaths(p.areas, sx, sy);
  const areas: string[] = [];
  const lines: string[] = [];
  for (const s of p.series) {
    if (s.style === 'area') {
      areas.push(
        el('path', {
          d: areaPaths[areas.length] ?? '',
          fill: s.color,
          'fill-opacity': '0.35',
          stroke: s.color,
          'stroke-width': 1,
          'stroke-dasharray': DASH_ARRAYS[s.dash],
        }),
      );
      continue;
    }
    const solid = s.dash === 'solid';
    lines.push(
      el('path', {
        d: s.style === 'step' ? stepPath(s.points, sx, sy) : linePath(s.points, sx, sy),
        fill: 'none',
        stroke: s.color,
        'stroke-width': 2,
        'stroke-linejoin': 'round',
        // round caps turn "h0" into a visible dot, but would smear dash patterns
        'stroke-linecap': solid ? 'round' : 'butt',
        'stroke-dasharray': DASH_ARRAYS[s.dash],
      }),
    );
  }
  const references = p.references
    .filter((r) => Number.isFinite(r.value))
    .map((r) =>
      el('line', {
        x1: box.x,
        y1: sy(r.value),
        x2: box.x + box.width,
        y2: sy(r.value),
        stroke: r.color,
        'stroke-width': 1.5,
        'stroke-dasharray': DASH_ARRAYS[r.dash],
      }),
    );
  const clip = el(
    'clipPath',
    { id: clipId },
    el('rect', { x: box.x - 2, y: box.y - 2, width: box.width + 4, height: box.height + 4 }),
  );
  return [
    el('defs', {}, clip),
    renderGrid(box, p.yTicks, sy, xTicks, sx),
    renderYLabels(box, p.yTicks, sy),
    // areas underneath, then reference lines, then lines and steps in their given order
    el('g', { 'clip-path': `url(#${clipId})` }, ...areas, ...references, ...lines),
  ].join('');
}
