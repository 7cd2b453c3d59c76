import type { DashStyle } from './types.ts';

// Okabe & Ito, "Color Universal Design" (2008): eight colours distinguishable under the common forms of colour
// blindness. Ordered for a white background: the yellow (#F0E442) is last because it has too little contrast
// on white to be read as a thin line, and black comes late because it reads as an axis.
export const OKABE_ITO = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
] as const;

export function paletteColor(index: number): string {
  return OKABE_ITO[((index % OKABE_ITO.length) + OKABE_ITO.length) % OKABE_ITO.length]!;
}

/** stroke-dasharray per dash style, scaled for a 2 px line. */
export const DASH_ARRAYS: Record<DashStyle, string | undefined> = {
  solid: undefined,
  dashed: '7 4',
  dotted: '2 3',
  dashdot: '9 3 2 3',
};

/** The ink of text, axes and gridlines: greys that pass WCAG AA on the white background rect. */
export const INK = { text: '#222222', muted: '#555555', axis: '#888888', grid: '#E5E5E5', marker: '#6A6A6A' };
