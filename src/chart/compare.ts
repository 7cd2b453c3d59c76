import { paletteColor } from './palette.ts';
import type { DashStyle, Marker, Panel, ReferenceLine, Series, TimelineInput } from './types.ts';

// Several runs (e.g. `fhpa simulate` with spec A and spec B) on one chart: panels with the same title are
// merged, a series keeps its colour across runs (A's "desired" and B's "desired" are both blue) and each run
// gets its own dash pattern, named in the subtitle and in every legend label.

export interface ComparedRun {
  /** Short name used as the legend prefix, e.g. "A" or "stabilization 60s". */
  name: string;
  timeline: TimelineInput;
}

/** Run i is drawn with RUN_DASHES[i]; four patterns are as many as stay distinguishable at 2 px. */
export const RUN_DASHES: readonly DashStyle[] = ['solid', 'dashed', 'dotted', 'dashdot'];
const REFERENCE_DASHES: readonly DashStyle[] = ['dashed', 'dotted', 'dashdot', 'dashed'];

const DASH_NAMES: Record<DashStyle, string> = {
  solid: 'solid',
  dashed: 'dashed',
  dotted: 'dotted',
  dashdot: 'dash-dot',
};

/** A reference line or marker shared by every run is drawn once, without a run prefix. */
function sharedBy<T>(runs: readonly (readonly T[])[], key: (t: T) => string): Set<string> {
  const [first = [], ...rest] = runs;
  return new Set(first.map(key).filter((k) => rest.every((items) => items.some((item) => key(item) === k))));
}

/** Labels of series with equal style and points in every run's panel (all runs have the panel). */
function sameInEveryRun(panels: readonly (Panel | undefined)[]): Set<string> {
  const [first, ...rest] = panels;
  if (!first || rest.length === 0 || rest.some((p) => p === undefined)) return new Set();
  const key = (s: Series) => `${s.style}\u0000${JSON.stringify(s.points)}`;
  return new Set(
    first.series
      .filter((s) => rest.every((p) => p?.series.some((o) => o.label === s.label && key(o) === key(s))))
      .map((s) => s.label),
  );
}

/**
 * Merges runs into one timeline. Stacked areas become step lines: filled areas of two runs would cover each
 * other, and a fill cannot carry a dash pattern. Throws a RangeError for more runs than dash patterns.
 */
export function compareTimelines(runs: readonly ComparedRun[], title?: string): TimelineInput {
  if (runs.length === 0 || runs.length > RUN_DASHES.length) {
    throw new RangeError(`compareTimelines: 1 to ${RUN_DASHES.length} runs, got ${runs.length}`);
  }
  const titles: string[] = [];
  const merged = new Map<string, { base: Panel; series: Series[]; references: ReferenceLine[] }>();
  const refKey = (r: ReferenceLine) => `${r.label}\u0000${r.value}`;

  const panelTitles = [...new Set(runs.flatMap((r) => r.timeline.panels.map((p) => p.title)))];
  for (const panelTitle of panelTitles) {
    const inRuns = runs.map((r) => r.timeline.panels.find((p) => p.title === panelTitle));
    const shared = sharedBy(
      inRuns.map((p) => (p ? (p.references ?? []) : [])),
      refKey,
    );
    const entry = {
      base: inRuns.find((p) => p !== undefined)!,
      series: [] as Series[],
      references: [] as ReferenceLine[],
    };
    entry.references.push(...(entry.base.references ?? []).filter((r) => shared.has(refKey(r))));
    // A series every run has with the same points (the load they all ran against) is drawn once, unprefixed.
    const same = sameInEveryRun(inRuns);
    for (const [k, s] of (entry.base.series ?? []).entries()) {
      if (same.has(s.label)) entry.series.push({ ...s, color: s.color ?? paletteColor(k) });
    }
    inRuns.forEach((panel, i) => {
      if (!panel) return;
      const run = runs[i]!;
      panel.series.forEach((s, k) => {
        if (same.has(s.label)) return;
        entry.series.push({
          label: `${run.name}: ${s.label}`,
          points: s.points,
          style: s.style === 'area' ? 'step' : s.style,
          color: s.color ?? paletteColor(k),
          dash: RUN_DASHES[i]!,
        });
      });
      for (const r of panel.references ?? []) {
        if (shared.has(refKey(r))) continue;
        entry.references.push({ ...r, label: `${run.name}: ${r.label}`, dash: REFERENCE_DASHES[i]! });
      }
    });
    merged.set(panelTitle, entry);
    titles.push(panelTitle);
  }

  const markerKey = (m: Marker) => `${m.label}\u0000${m.at}`;
  const sharedMarkers = sharedBy(
    runs.map((r) => r.timeline.markers ?? []),
    markerKey,
  );
  const markers: Marker[] = [
    ...(runs[0]!.timeline.markers ?? []).filter((m) => sharedMarkers.has(markerKey(m))),
  ];
  runs.forEach((run) => {
    for (const m of run.timeline.markers ?? []) {
      if (!sharedMarkers.has(markerKey(m))) markers.push({ at: m.at, label: `${run.name}: ${m.label}` });
    }
  });

  const first = runs[0]!.timeline;
  return {
    ...first,
    title: title ?? first.title,
    subtitle: runs.map((r, i) => `${r.name} ${DASH_NAMES[RUN_DASHES[i]!]}`).join(' · '),
    panels: titles.map((t) => {
      const { base, series, references } = merged.get(t)!;
      return { ...base, series, references };
    }),
    markers,
  };
}
