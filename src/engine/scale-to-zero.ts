// Scale to zero with activation, as KEDA does it (an activation threshold per trigger, the workload at zero
// while every trigger is inactive, a cooldown before it goes there), for a FederatedHPA whose minReplicas
// stays ≥ 1 because Karmada's webhook refuses 0 (karmada-io/karmada#5036) and Kubernetes keeps it behind the
// HPAScaleToZero alpha gate. Pure: the caller passes the samples, the history's idleSince and `now`.
//
// Only Object and External metrics are activation metrics: per-pod metrics vanish with the pods, so they
// could never wake a workload. A metric that cannot be read is neither idle nor active: a broken metric never
// takes a workload down (Kubernetes' rule for scale-downs) and never wakes it either.

import type { MetricSpec } from '../api/autoscaling-v2.ts';
import { milliValue } from './quantity.ts';
import { sumCapped } from './replicas-object-external.ts';
import type { MetricSamples } from './types.ts';

export interface ScaleToZeroSettings {
  /** How long every activation metric must stay at or below its threshold before the workload goes to 0. */
  afterMs: number;
  /** Activation thresholds (quantities) by metric name; absent means 0. */
  activation: Record<string, string>;
}

export interface ActivationReading {
  /** "Object metric queue 12 above activation threshold 0", one per active metric, in spec order. */
  above: string[];
  /** Activation metrics without a value this time. */
  unreadable: string[];
  /** Every activation metric read and at or below its threshold (and there is at least one). */
  idle: boolean;
}

export function readActivation(
  metrics: readonly MetricSpec[],
  samples: MetricSamples,
  settings: ScaleToZeroSettings,
): ActivationReading {
  const above: string[] = [];
  const unreadable: string[] = [];
  let count = 0;
  for (const m of metrics) {
    const name =
      m.type === 'Object'
        ? m.object?.metric.name
        : m.type === 'External'
          ? m.external?.metric.name
          : undefined;
    if (name === undefined) continue;
    count++;
    const label = `${m.type} metric ${name}`;
    const value = metricValue(m.type, name, samples);
    if (value === undefined) {
      unreadable.push(label);
      continue;
    }
    const threshold = settings.activation[name] ?? '0';
    if (value > milliValue(threshold)) above.push(`${label} above its activation threshold ${threshold}`);
  }
  return { above, unreadable, idle: count > 0 && above.length === 0 && unreadable.length === 0 };
}

/** The metric's own value in milli-units: the Object sample, or the sum of the External values. */
function metricValue(type: string, name: string, samples: MetricSamples): bigint | undefined {
  try {
    if (type === 'Object') {
      const s = samples.object?.[name];
      return s ? milliValue(s.value) : undefined;
    }
    const s = samples.external?.[name];
    return s && s.values.length > 0 ? sumCapped(s.values.map((v) => milliValue(v))) : undefined;
  } catch {
    return undefined;
  }
}

/** The idle-since time to store after this reading: kept while idle, set when idleness starts, else cleared. */
export function nextIdleSince(reading: ActivationReading, previous: number | undefined, now: number) {
  if (reading.idle) return previous ?? now;
  // Unreadable without anything above: no evidence either way, so the clock neither runs on nor resets.
  if (reading.above.length === 0 && reading.unreadable.length > 0) return previous;
  return undefined;
}

/** "10m0s", as Go prints a time.Duration, for messages. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
