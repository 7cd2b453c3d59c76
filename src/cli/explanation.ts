import { parseAnnotations } from '../api/annotations.ts';
import type { MetricSpec } from '../api/autoscaling-v2.ts';
import { metricsOrDefault, resolveBehavior, resolveOptions } from '../engine/defaults.ts';
import { indexPods } from '../engine/pods.ts';
import type { Decision, EngineInput, PodInfo } from '../engine/types.ts';
import { decideWithAnnotations } from '../pipeline/decision.ts';
import {
  explainScaleToZero,
  promqlSources,
  renderScaleToZero,
  type ScaleToZeroExplanation,
} from './explain-zero.ts';

// `fhpa explain`: the decision an evaluation makes, for a person. Everything here is read off the engine's
// input and its decision (the same decideWithAnnotations the pipeline calls), never recomputed differently.

export interface Explanation {
  federatedHPA: string;
  now: string;
  currentReplicas: number;
  desiredReplicas: number;
  rescale: boolean;
  reason: string;
  metrics: Array<{
    metric: string;
    /** Where a PromQL-bound metric's value came from. */
    source?: string;
    current?: string;
    target: string;
    proposal?: number;
    error?: string;
  }>;
  pods: { total: number; leftOut: Array<{ pod: string; why: string }> };
  stabilization?: { reason: string; message: string; windowSeconds: number; until?: string };
  limit?: { reason: string; message: string; until?: string };
  bounds: { minReplicas: number; maxReplicas: number; clamped?: 'minReplicas' | 'maxReplicas' };
  fallback?: string;
  scaleToZero?: ScaleToZeroExplanation;
  error?: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function metricName(m: MetricSpec): string {
  const name =
    m.resource?.name ??
    m.containerResource?.name ??
    m.pods?.metric.name ??
    m.object?.metric.name ??
    m.external?.metric.name;
  return `${m.type} ${name ?? '?'}`;
}

function targetText(m: MetricSpec): string {
  const t =
    m.resource?.target ??
    m.containerResource?.target ??
    m.pods?.target ??
    m.object?.target ??
    m.external?.target;
  if (!t) return '?';
  if (t.averageUtilization !== undefined) return `${t.averageUtilization}% utilization`;
  if (t.averageValue !== undefined) return `${t.averageValue} average`;
  return `${t.value ?? '?'}`;
}

function currentText(status: Decision['currentMetrics'][number] | undefined): string | undefined {
  if (!status) return undefined;
  const c =
    status.resource?.current ??
    status.containerResource?.current ??
    status.pods?.current ??
    status.object?.current ??
    status.external?.current;
  if (!c) return undefined;
  if (c.averageUtilization !== undefined) return `${c.averageUtilization}% utilization`;
  if (c.averageValue !== undefined) return `${c.averageValue} average`;
  return c.value !== undefined ? `${c.value}` : undefined;
}

/** Pods the per-pod metrics leave out, and why, as Kubernetes' groupPods sorts them. */
function leftOut(input: EngineInput, specs: MetricSpec[]): Array<{ pod: string; why: string }> {
  const out: Array<{ pod: string; why: string }> = [];
  const perPod = specs.flatMap(
    (m): Array<{ samples: Record<string, unknown> | undefined; label: string }> =>
      m.type === 'Resource' && m.resource
        ? [{ samples: input.metrics.resource?.[m.resource.name], label: `Resource ${m.resource.name}` }]
        : m.type === 'Pods' && m.pods
          ? [{ samples: input.metrics.pods?.[m.pods.metric.name], label: `Pods ${m.pods.metric.name}` }]
          : [],
  );
  const opts = resolveOptions(input.options);
  for (const view of indexPods(input.pods).views) {
    const pod: PodInfo | undefined = input.pods.find(
      (p) => p.cluster === view.cluster && p.name === view.name,
    );
    if (!pod) continue;
    const key = `${pod.cluster}/${pod.name}`;
    if (pod.deletionTimestamp !== undefined || pod.phase === 'Failed') {
      out.push({ pod: key, why: 'ignored: being deleted or Failed' });
    } else if (pod.phase === 'Pending') {
      out.push({ pod: key, why: 'unready: Pending (counted as 0% on a scale-up, as Kubernetes does)' });
    } else {
      for (const { samples, label } of perPod) {
        if (!samples?.[key] && !samples?.[pod.name])
          out.push({ pod: key, why: `missing: no ${label} sample` });
      }
      const initializing =
        pod.startTime !== undefined && pod.startTime + opts.cpuInitializationPeriodMs > input.now;
      const usesCpu = specs.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
      if (usesCpu && (pod.ready !== true || pod.startTime === undefined) && initializing)
        out.push({ pod: key, why: 'unready: CPU still initializing (cpu-initialization-period)' });
      else if (usesCpu && pod.ready === false && !initializing)
        out.push({ pod: key, why: 'unready: not Ready and never has been since start' });
    }
  }
  return out;
}

export function explain(
  input: EngineInput,
  namespacedName: string,
  annotations?: Record<string, string>,
): Explanation {
  const settings = parseAnnotations(annotations).settings;
  const { decision, engaged } = decideWithAnnotations(input, settings);
  const specs = metricsOrDefault(input.spec.metrics);
  const min = input.spec.minReplicas ?? 1;
  const max = input.spec.maxReplicas;
  const proposals = decision.metricRecommendations.flatMap((r) => ('replicas' in r ? [r.replicas] : []));
  const proposal = proposals.length > 0 ? Math.max(...proposals) : undefined;
  const opts = resolveOptions(input.options);
  const behavior = resolveBehavior(input.spec.behavior ?? {}, opts.downscaleStabilizationMs);
  const able = decision.conditions.find((c) => c.type === 'AbleToScale');
  const limited = decision.conditions.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
  const sources = promqlSources(annotations);
  const zero = explainScaleToZero(input, decision);

  let stabilization: Explanation['stabilization'];
  if (able?.reason === 'ScaleUpStabilized' || able?.reason === 'ScaleDownStabilized') {
    const up = able.reason === 'ScaleUpStabilized';
    const windowSeconds = (up ? behavior.scaleUp : behavior.scaleDown).stabilizationWindowSeconds;
    const from = input.now - windowSeconds * 1000;
    // The recommendations in the window that hold the result back; it is released when the last of them ages out.
    // An empty history holds the current size from now (the engine's recordInitialRecommendation).
    const recorded =
      input.history.recommendations.length > 0
        ? input.history.recommendations
        : [{ timestamp: input.now, replicas: input.currentReplicas }];
    const holding = recorded.filter(
      (r) => r.timestamp > from && (up ? r.replicas < (proposal ?? 0) : r.replicas > (proposal ?? 0)),
    );
    const until =
      holding.length > 0 ? Math.max(...holding.map((r) => r.timestamp)) + windowSeconds * 1000 : undefined;
    stabilization = {
      reason: able.reason,
      message: able.message ?? '',
      windowSeconds,
      ...(until !== undefined ? { until: iso(until) } : {}),
    };
  }
  let limit: Explanation['limit'];
  if (limited && (limited.reason === 'ScaleUpLimit' || limited.reason === 'ScaleDownLimit')) {
    const up = limited.reason === 'ScaleUpLimit';
    const rules = up ? behavior.scaleUp : behavior.scaleDown;
    const events = up ? input.history.scaleUpEvents : input.history.scaleDownEvents;
    // More budget frees when the oldest event still inside its policy period leaves it.
    const expiries = rules.policies.flatMap((p) =>
      events.map((e) => e.timestamp + p.periodSeconds * 1000).filter((t) => t > input.now),
    );
    limit = {
      reason: limited.reason,
      message: limited.message ?? '',
      ...(expiries.length > 0 ? { until: iso(Math.min(...expiries)) } : {}),
    };
  } else if (limited) {
    limit = { reason: limited.reason ?? '', message: limited.message ?? '' };
  }
  const clamped =
    proposal === undefined
      ? undefined
      : proposal > max
        ? 'maxReplicas'
        : proposal < min
          ? 'minReplicas'
          : undefined;
  return {
    federatedHPA: namespacedName,
    now: iso(input.now),
    currentReplicas: decision.currentReplicas,
    desiredReplicas: decision.desiredReplicas,
    rescale: decision.rescale,
    reason: decision.reason,
    metrics: specs.map((m, i) => {
      const rec = decision.metricRecommendations[i];
      const current = currentText(decision.currentMetrics[i]);
      const source = m.type === 'Object' ? sources[m.object?.metric.name ?? ''] : undefined;
      return {
        metric: metricName(m),
        ...(source !== undefined ? { source } : {}),
        ...(current !== undefined ? { current } : {}),
        target: targetText(m),
        ...(rec && 'replicas' in rec ? { proposal: rec.replicas } : {}),
        ...(rec && 'error' in rec ? { error: rec.error } : {}),
      };
    }),
    pods: { total: input.pods.length, leftOut: leftOut(input, specs) },
    ...(stabilization ? { stabilization } : {}),
    ...(limit ? { limit } : {}),
    bounds: { minReplicas: min, maxReplicas: max, ...(clamped ? { clamped } : {}) },
    ...(engaged ? { fallback: decision.reason } : {}),
    ...(zero ? { scaleToZero: zero } : {}),
    ...(decision.error ? { error: decision.error } : {}),
  };
}

export function renderExplanation(e: Explanation): string {
  const lines = [
    `${e.federatedHPA} at ${e.now}: ${e.rescale ? `scale ${e.currentReplicas} -> ${e.desiredReplicas}` : `keep ${e.currentReplicas}`}${e.reason ? ` (${e.reason})` : ''}`,
    'metrics:',
    ...e.metrics.map(
      (m) =>
        `  ${m.metric}${m.source ? ` (${m.source})` : ''}: ${m.current ?? 'no value'} against target ${m.target}: ${m.error ? `failed: ${m.error}` : `proposes ${m.proposal}`}`,
    ),
    `pods: ${e.pods.total}${e.pods.leftOut.length === 0 ? ', none left out' : ', left out:'}`,
    ...e.pods.leftOut.map((p) => `  ${p.pod}: ${p.why}`),
  ];
  if (e.stabilization) {
    lines.push(
      `stabilization: ${e.stabilization.reason} (${e.stabilization.windowSeconds}s window): ${e.stabilization.message}${e.stabilization.until ? `; holds until ${e.stabilization.until}` : ''}`,
    );
  } else lines.push('stabilization: did not hold the result');
  if (e.limit)
    lines.push(
      `limit: ${e.limit.reason}: ${e.limit.message}${e.limit.until ? `; more room from ${e.limit.until}` : ''}`,
    );
  lines.push(
    `bounds: min ${e.bounds.minReplicas}, max ${e.bounds.maxReplicas}${e.bounds.clamped ? `; the proposal was clamped to ${e.bounds.clamped}` : ''}`,
  );
  if (e.fallback) lines.push(`fallback: ${e.fallback}`);
  if (e.scaleToZero) lines.push(renderScaleToZero(e.scaleToZero));
  if (e.error) lines.push(`error: ${e.error}`);
  return lines.join('\n');
}
