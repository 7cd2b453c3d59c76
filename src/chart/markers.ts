import type { Scale } from './paths.ts';
import { textWidth } from './svg.ts';
import type { Marker } from './types.ts';

export interface PlacedMarker {
  x: number;
  label: string;
  /** Row of the label band, 0 at the top. */
  row: number;
  /** Where the label's text starts or ends, and which: right of the line unless it would leave the plot. */
  textX: number;
  anchor: 'start' | 'end';
}

const PAD = 4;
const GAP = 8;

/**
 * Places marker labels in rows above the plots so that none overlap: in time order, each label takes the first
 * row whose last label ends (plus a gap) before it starts — first-fit interval packing. Markers outside
 * [left, right] in pixels are dropped, since their line would fall outside every plot.
 */
export function placeMarkers(
  markers: readonly Marker[],
  sx: Scale,
  left: number,
  right: number,
  fontSize: number,
): PlacedMarker[] {
  const rowEnds: number[] = [];
  return [...markers]
    .filter((m) => Number.isFinite(m.at))
    .sort((a, b) => a.at - b.at)
    .map((m) => ({ m, x: sx(m.at) }))
    .filter(({ x }) => x >= left - 0.05 && x <= right + 0.05)
    .map(({ m, x }) => {
      const width = textWidth(m.label, fontSize);
      const anchor = x + PAD + width <= right ? 'start' : 'end';
      const textX = anchor === 'start' ? x + PAD : x - PAD;
      const from = anchor === 'start' ? x : textX - width;
      const to = anchor === 'start' ? textX + width : x;
      let row = rowEnds.findIndex((end) => end + GAP <= from);
      if (row === -1) row = rowEnds.push(to) - 1;
      else rowEnds[row] = to;
      return { x, label: m.label, row, textX, anchor };
    });
}
