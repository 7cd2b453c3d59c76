// The chart's input: plain data only, so `fhpa simulate`, the demo and the README build it the same way and
// the renderer stays a pure function (data in, SVG string out).

/** One sample: [time in seconds, value]. Non-finite values are gaps (see paths.ts). */
export type Point = readonly [number, number];

/**
 * - `line`: straight segments between samples (load, metric).
 * - `step`: step-after, a value holds until the next sample, as replicas do between scale decisions.
 * - `area`: a filled step-after area; every `area` series of a panel is stacked in series order (replicas per
 *   cluster adding up to the total).
 */
export type SeriesStyle = 'line' | 'step' | 'area';

/** Dash patterns tell compared specs apart (compare.ts), colour tells series apart. */
export type DashStyle = 'solid' | 'dashed' | 'dotted' | 'dashdot';

export interface Series {
  label: string;
  points: readonly Point[];
  style: SeriesStyle;
  /** CSS colour; defaults to the panel's next palette colour (palette.ts). */
  color?: string;
  dash?: DashStyle;
}

/** A horizontal line at a constant value across the whole x axis, e.g. the metric target. Drawn dashed. */
export interface ReferenceLine {
  label: string;
  value: number;
  color?: string;
  dash?: DashStyle;
}

export interface Panel {
  /** Shown above the panel, e.g. "load (req/s)". */
  title: string;
  series: readonly Series[];
  references?: readonly ReferenceLine[];
  /** Fixed y bounds; by default the y axis spans the data, from 0 when no value is negative. */
  yMin?: number;
  yMax?: number;
  /** Whole-number ticks only (replica counts). */
  integer?: boolean;
  /** Plot height in px; default 150. */
  height?: number;
}

/** A vertical line through every panel at one instant, e.g. "alert fired", "load stopped". */
export interface Marker {
  at: number;
  label: string;
}

export interface TimelineInput {
  title: string;
  subtitle?: string;
  /** Default "time (s)". */
  xLabel?: string;
  /** Fixed x bounds in seconds; by default the span of all samples and markers. */
  xMin?: number;
  xMax?: number;
  panels: readonly Panel[];
  markers?: readonly Marker[];
  /** Total width in px; default 960. */
  width?: number;
}
