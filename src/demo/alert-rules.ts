import type { FederatedHPA } from '../api/federatedhpa.ts';
import { parseMetricAnnotations } from '../api/metric-annotations.ts';
import { approximateFloat } from '../engine/quantity.ts';

// What Prometheus and Alertmanager do between a metric and fhpa's POST /alerts, as plain functions over
// state, so the demo fires the alert when production would and the timing is testable:
// - Prometheus alerting rules (rules/alerting.go#AlertingRule.Eval): an expression that holds becomes a
//   pending alert, and firing once it has held for `for`; one that stops holding is resolved.
// - Alertmanager's aggregation group (dispatch/dispatch.go#aggrGroup): the first alert of a group is sent
//   after group_wait (0s for the fhpa route), later changes at most once per group_interval, and a resolved
//   alert is sent once (send_resolved: true) and then dropped.
// The rules are infra/alertmanager/prometheusrule.yaml's, derived from the FederatedHPA: "above" fires as
// soon as the per-pod rate crosses the target, "below" after a minute under half of it.

export interface AlertRule {
  alert: string;
  op: '>' | '<';
  threshold: number;
  forSeconds: number;
  labels: Record<string, string>;
  /**
   * What the expression reads: the per-pod average of the Pods metric (default), or the workload's whole
   * request rate, which is the simulator's Object metric (requests-per-second on the workload).
   */
  on?: 'pods' | 'load';
}

export interface RuleState {
  /** When the expression started to hold (pending or firing). */
  activeSince?: number;
  firing: boolean;
}

export interface AlertChange {
  alert: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  /** Seconds; for a firing alert, when it started to hold (Prometheus' startsAt = ActiveAt). */
  startsAt: number;
  endsAt?: number;
}

/**
 * The PrometheusRule for a FederatedHPA whose first metric is a Pods metric with an average target, or, for one
 * that scales to zero, the wake-up rule on its first Object metric: fires as soon as the metric is above its
 * activation threshold, which is what brings the workload back from zero within one evaluation.
 */
export function rulesFor(fhpa: FederatedHPA): AlertRule[] | string {
  const labels = { federatedhpa: fhpa.metadata.name ?? '', namespace: fhpa.metadata.namespace ?? 'default' };
  const annotations = parseMetricAnnotations(fhpa.metadata.annotations).settings;
  const object = fhpa.spec.metrics?.find((m) => m.type === 'Object')?.object;
  if (annotations.scaleToZeroAfterMs !== undefined && object) {
    const threshold = approximateFloat(annotations.activation[object.metric.name] ?? '0');
    const alert = `${pascal(fhpa.metadata.name ?? 'workload')}${pascal(object.metric.name)}Active`;
    return [{ alert, op: '>', threshold, forSeconds: 0, labels, on: 'load' }];
  }
  const metric = fhpa.spec.metrics?.[0];
  const target = metric?.pods?.target.averageValue;
  if (metric?.type !== 'Pods' || target === undefined) {
    return 'alerts need a FederatedHPA whose first metric is a Pods metric with an averageValue target, or one that scales to zero on an Object metric';
  }
  const threshold = approximateFloat(target);
  const base = pascal(fhpa.metadata.name ?? 'workload') + pascal(metric.pods?.metric.name ?? 'metric');
  return [
    { alert: `${base}AboveTarget`, op: '>', threshold, forSeconds: 0, labels },
    { alert: `${base}BelowTarget`, op: '<', threshold: threshold / 2, forSeconds: 60, labels },
  ];
}

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * One rule evaluation at `now` (seconds) on `value`, the per-pod average; undefined when the query returns
 * nothing (no ready pods), which holds no rule. Returns the next states and the alerts that changed.
 */
export function evaluateRules(
  rules: readonly AlertRule[],
  states: Readonly<Record<string, RuleState>>,
  value: number | undefined,
  now: number,
): { states: Record<string, RuleState>; changes: AlertChange[] } {
  const next: Record<string, RuleState> = {};
  const changes: AlertChange[] = [];
  for (const rule of rules) {
    const prev = states[rule.alert] ?? { firing: false };
    const holds = value !== undefined && (rule.op === '>' ? value > rule.threshold : value < rule.threshold);
    if (!holds) {
      if (prev.firing && prev.activeSince !== undefined) {
        changes.push({
          alert: rule.alert,
          status: 'resolved',
          labels: rule.labels,
          startsAt: prev.activeSince,
          endsAt: now,
        });
      }
      next[rule.alert] = { firing: false };
      continue;
    }
    const activeSince = prev.activeSince ?? now;
    const firing = now - activeSince >= rule.forSeconds;
    if (firing && !prev.firing) {
      changes.push({ alert: rule.alert, status: 'firing', labels: rule.labels, startsAt: activeSince });
    }
    next[rule.alert] = { activeSince, firing };
  }
  return { states: next, changes };
}

export interface AlertGroup {
  /** Alerts the group holds, by name: firing ones, and resolved ones not yet sent. */
  alerts: Record<string, AlertChange>;
  /** Seconds; undefined until the group's first notification. */
  lastFlush?: number;
  /** Something changed since the last notification. */
  dirty: boolean;
}

export const emptyGroup = (): AlertGroup => ({ alerts: {}, dirty: false });

/**
 * Folds `changes` into the group and says whether a notification goes out at `now`: at once for a new group
 * (group_wait 0s), else when something changed and group_interval has passed since the last one.
 */
export function flushGroup(
  group: AlertGroup,
  changes: readonly AlertChange[],
  now: number,
  groupIntervalSeconds: number,
): { group: AlertGroup; send?: AlertChange[] } {
  const alerts = { ...group.alerts };
  for (const c of changes) alerts[c.alert] = c;
  const dirty = group.dirty || changes.length > 0;
  const due = group.lastFlush === undefined || now - group.lastFlush >= groupIntervalSeconds;
  if (!dirty || !due || Object.keys(alerts).length === 0) return { group: { ...group, alerts, dirty } };
  const send = Object.values(alerts).sort((a, b) => (a.alert < b.alert ? -1 : 1));
  const kept = Object.fromEntries(Object.entries(alerts).filter(([, a]) => a.status === 'firing'));
  return { group: { alerts: kept, lastFlush: now, dirty: false }, send };
}

/**
 * Alertmanager's webhook body, version 4 (notify/webhook/webhook.go#Message), for one group's alerts.
 * `toTime` turns the run's seconds into an RFC 3339 timestamp.
 */
export function alertmanagerPayload(alerts: readonly AlertChange[], toTime: (seconds: number) => string) {
  const common = alerts[0]?.labels ?? {};
  const firing = alerts.some((a) => a.status === 'firing');
  return {
    version: '4',
    groupKey: `{}/{federatedhpa=~".+"}:{federatedhpa="${common.federatedhpa ?? ''}", namespace="${common.namespace ?? ''}"}`,
    truncatedAlerts: 0,
    status: firing ? 'firing' : 'resolved',
    receiver: 'fhpa',
    groupLabels: { ...common },
    commonLabels: { ...common },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.monitoring:9093',
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: { alertname: a.alert, ...a.labels },
      annotations: {},
      startsAt: toTime(a.startsAt),
      endsAt: a.endsAt === undefined ? '0001-01-01T00:00:00Z' : toTime(a.endsAt),
      generatorURL: 'http://prometheus.monitoring:9090/graph',
      fingerprint: fingerprint(a.alert, a.labels),
    })),
  };
}

/** A stable 16-hex-digit id per alert (Alertmanager's is a hash of the label set, too). */
function fingerprint(alert: string, labels: Record<string, string>): string {
  const text = `${alert}\u0000${Object.entries(labels)
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join('\u0000')}`;
  // FNV-1a, 64 bit
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
