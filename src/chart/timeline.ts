import { type Box, renderXLabels } from './axes.ts';
import { LEGEND, legendHeight, legendWidth, renderLegend } from './legend.ts';
import { placeMarkers } from './markers.ts';
import { INK } from './palette.ts';
import { preparePanel, renderPanelPlot } from './panel.ts';
import { linearScale } from './paths.ts';
import { el, escapeXml, num, text } from './svg.ts';
import { ticksWithin } from './ticks.ts';
import type { TimelineInput } from './types.ts';

// Stacked panels over one shared time axis, as `fhpa simulate` draws a run: load, metric against its target,
// replicas. Plain SVG 1.1 with inline attributes only (no CSS, scripts or web fonts), because GitHub renders
// README images through <img>, which allows none of those; a white background keeps it legible in dark mode.

// system fonts only: an SVG in <img> may not load fonts
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const MARGIN = { left: 56, right: 16, legendGap: 20, panelGap: 28, bottom: 44 };
const MARKER_ROW = 14;
const MARKER_SIZE = 11;

function xDomain(input: TimelineInput): [number, number] {
  const times = [
    ...input.panels.flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => pt[0]))),
    ...(input.markers ?? []).map((m) => m.at),
  ].filter(Number.isFinite);
  const lo = input.xMin ?? times.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const hi = input.xMax ?? times.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  // a single instant still needs width to draw on
  return lo === hi ? [lo - 0.5, hi + 0.5] : [Math.min(lo, hi), Math.max(lo, hi)];
}

/** Renders a timeline chart as a standalone SVG document. Same input, same bytes. */
export function renderTimeline(input: TimelineInput): string {
  const width = input.width ?? 960;
  const panels = input.panels.map(preparePanel);
  const legendW = Math.max(LEGEND.minWidth, ...panels.map((p) => legendWidth(p.panel.title, p.legend)));
  const plotX = MARGIN.left;
  const plotW = Math.max(40, width - MARGIN.left - MARGIN.legendGap - legendW - MARGIN.right);
  const legendX = plotX + plotW + MARGIN.legendGap;
  const [x0, x1] = xDomain(input);
  const sx = linearScale(x0, x1, plotX, plotX + plotW);
  const xTicks = ticksWithin(x0, x1, Math.max(2, Math.floor(plotW / 64)));

  const head = [
    text({ x: plotX, y: 26, 'font-size': 16, 'font-weight': 'bold', fill: INK.text }, input.title),
  ];
  if (input.subtitle) head.push(text({ x: plotX, y: 45, 'font-size': 12, fill: INK.muted }, input.subtitle));
  let y = input.subtitle ? 60 : 42;

  const placed = placeMarkers(input.markers ?? [], sx, plotX, plotX + plotW, MARKER_SIZE);
  const rows = placed.reduce((n, m) => Math.max(n, m.row + 1), 0);
  const bandTop = y;
  y += rows * MARKER_ROW + (rows > 0 ? 6 : 0);

  const body: string[] = [];
  let lastBox: Box = { x: plotX, y, width: plotW, height: 0 };
  panels.forEach((p, i) => {
    const height = Math.max(p.panel.height ?? 150, legendHeight(p.legend));
    const box: Box = { x: plotX, y, width: plotW, height };
    body.push(
      renderPanelPlot(p, box, sx, xTicks.values, `fhpa-plot-${i}`),
      renderLegend(p.panel.title, p.legend, legendX, y - 2, legendW),
    );
    lastBox = box;
    y += height + MARGIN.panelGap;
  });
  const plotsBottom = lastBox.y + lastBox.height;
  body.push(renderXLabels(lastBox, xTicks.values, xTicks.step, sx, input.xLabel ?? 'time (s)'));

  const markers = placed.map((m) => {
    const baseline = bandTop + 11 + m.row * MARKER_ROW;
    return el(
      'g',
      {},
      el('line', {
        x1: m.x,
        y1: baseline - 9,
        x2: m.x,
        y2: plotsBottom,
        stroke: INK.marker,
        'stroke-width': 1,
        'stroke-dasharray': '3 3',
      }),
      // a white halo keeps the label legible where another marker's line crosses it
      text(
        {
          x: m.textX,
          y: baseline,
          'text-anchor': m.anchor,
          'font-size': MARKER_SIZE,
          fill: INK.text,
          stroke: '#FFFFFF',
          'stroke-width': 3,
          'paint-order': 'stroke',
        },
        m.label,
      ),
    );
  });

  const height = Math.ceil(plotsBottom + MARGIN.bottom);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${num(width)}" height="${num(height)}"` +
    ` viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-label="${escapeXml(input.title)}"` +
    ` font-family="${escapeXml(FONT)}">` +
    el('title', {}, escapeXml(input.title)) +
    el('rect', { x: 0, y: 0, width, height, fill: '#FFFFFF' }) +
    head.join('') +
    body.join('') +
    markers.join('') +
    '</svg>\n'
  );
}
