import { parseMetricAnnotations } from '../api/metric-annotations.ts';
import { metricsOrDefault } from '../engine/defaults.ts';
import { goDuration, readActivation } from '../engine/scale-to-zero.ts';
import type { Decision, EngineInput } from '../engine/types.ts';

// What `fhpa explain` says about fhpa's own metric annotations: where a PromQL-bound metric's value came
// from, and where a FederatedHPA that scales to zero stands (read off the same readActivation the engine uses
// and the history the decision returns, never recomputed differently).

export interface ScaleToZeroExplanation {
  /** The idle period, as Go prints a duration. */
  after: string;
  /** Activation metrics above their thresholds ("Object metric queue 12 above …"); any one keeps it awake. */
  above: string[];
  /** Activation metrics without a value this time: neither idle nor active. */
  unreadable: string[];
  /** Since when every activation metric has been idle, and when the idle period ends. */
  idleSince?: string;
  zeroFrom?: string;
  /** The event this decision records (ScaledToZero, ScaledFromZero). */
  event?: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** "PromQL on "default": sum(rate(…))" by Object metric name, for the metrics a query binds. */
export function promqlSources(annotations: Record<string, string> | undefined): Record<string, string> {
  const settings = parseMetricAnnotations(annotations).settings;
  return Object.fromEntries(
    Object.entries(settings.promql).map(([metric, query]) => [
      metric,
      `PromQL on "${settings.prometheus}": ${query}`,
    ]),
  );
}

export function explainScaleToZero(
  input: EngineInput,
  decision: Decision,
): ScaleToZeroExplanation | undefined {
  const settings = input.scaleToZero;
  if (!settings) return undefined;
  const reading = readActivation(metricsOrDefault(input.spec.metrics), input.metrics, settings);
  const idleSince = decision.history.idleSince;
  return {
    after: goDuration(settings.afterMs),
    above: reading.above,
    unreadable: reading.unreadable,
    ...(idleSince !== undefined
      ? { idleSince: iso(idleSince), zeroFrom: iso(idleSince + settings.afterMs) }
      : {}),
    ...(decision.zero ? { event: decision.zero.event } : {}),
  };
}

export function renderScaleToZero(z: ScaleToZeroExplanation): string {
  const state =
    z.above.length > 0
      ? `active: ${z.above.join('; ')}`
      : z.idleSince
        ? `idle since ${z.idleSince}; zero allowed from ${z.zeroFrom}`
        : 'not idle yet';
  const unreadable = z.unreadable.length > 0 ? `; cannot read ${z.unreadable.join(', ')}` : '';
  return `scale to zero (after ${z.after} idle): ${state}${unreadable}${z.event ? `; records ${z.event}` : ''}`;
}
