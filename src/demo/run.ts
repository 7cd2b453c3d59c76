import { z } from 'zod';
import type { FederatedHPA } from '../api/federatedhpa.ts';
import {
  type AlertGroup,
  type AlertRule,
  alertmanagerPayload,
  emptyGroup,
  evaluateRules,
  flushGroup,
  type RuleState,
  rulesFor,
} from './alert-rules.ts';
import { call } from './endpoint.ts';
import { createLoadDriver } from './load-driver.ts';
import type { LoadTrace } from './load-trace.ts';
import { type ClusterPods, clusterPods, podsMetricAverage } from './observe.ts';
import type { Timing, WorkloadSpec } from './scenario.ts';
import { admitAndCreate, applyWorkload } from './setup.ts';
import type { Stack } from './stack.ts';

// One run of a FederatedHPA against a load trace on the simulated federation, driven entirely over HTTP as
// production is driven: the load generator sets the request rate, Prometheus' rules and Alertmanager's
// grouping decide when POST /alerts is sent, a scheduler calls POST /sweep every 15 s, and the observer reads
// pods through Karmada's cluster proxy. The demo and `fhpa simulate` both call this; only their reports differ.

export interface RunInput {
  stack: Stack;
  workload: WorkloadSpec;
  fhpa: FederatedHPA;
  trace: LoadTrace;
  timing: Timing;
  /** How long the run lasts, in seconds from the FederatedHPA's creation. */
  seconds: number;
  /** Fire Alertmanager notifications from the rules derived from the FederatedHPA (needs a Pods metric). */
  alerts: boolean;
  /** Called as things happen, for a live timeline. */
  onEvent?: (e: RunEvent) => void;
  /** Called after every step, for a progress bar. */
  onStep?: (t: number) => void;
  /** Real time: wait this long between steps instead of moving the simulator's clock. */
  sleep?: (ms: number) => Promise<void>;
}

export interface Sample {
  t: number;
  rps: number;
  /** Per-pod average of the first Pods metric (undefined: no pod reports it, or no Pods metric). */
  metric: number | undefined;
  /** The workload's replicas on the Karmada control plane: what fhpa last set. */
  desired: number;
  byCluster: Record<string, ClusterPods>;
}

export type RunEvent =
  | { t: number; kind: 'load'; rps: number; previous: number | undefined }
  | { t: number; kind: 'alert'; alerts: string[]; httpStatus: number; outcomes: string[] }
  | { t: number; kind: 'sweep'; outcome: string }
  | { t: number; kind: 'rescale'; from: number; to: number; message: string }
  | { t: number; kind: 'pods'; sample: Sample }
  | { t: number; kind: 'setup'; message: string };

export interface RunResult {
  samples: Sample[];
  events: RunEvent[];
  warnings: string[];
}

const scaleSchema = z.object({ spec: z.object({ replicas: z.number().int() }) });
const sweepSchema = z.object({
  outcomes: z.record(z.string(), z.number()),
});
const alertsSchema = z.object({ alerts: z.array(z.object({ outcome: z.string() })) });
const eventsSchema = z.object({
  items: z.array(
    z.object({
      reason: z.string().optional(),
      message: z.string().optional(),
      involvedObject: z.object({ name: z.string().optional() }),
      firstTimestamp: z.string().nullish(),
      lastTimestamp: z.string().nullish(),
      count: z.number().optional(),
    }),
  ),
});

const workloadPath = (w: WorkloadSpec) =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(w.namespace)}/${w.kind === 'StatefulSet' ? 'statefulsets' : 'deployments'}/${encodeURIComponent(w.name)}/scale`;

/** Sets the scene (workload, policy, FederatedHPA through the admission webhook), then runs the trace. */
export async function runScenario(input: RunInput): Promise<RunResult> {
  const { stack, workload, timing } = input;
  const { sim: karmada, fhpa } = stack;
  const events: RunEvent[] = [];
  const emit = (e: RunEvent) => {
    events.push(e);
    input.onEvent?.(e);
  };
  await applyWorkload(karmada, workload);
  emit({
    t: 0,
    kind: 'setup',
    message: `applied ${workload.kind} ${workload.namespace}/${workload.name} (${workload.replicas} replica${workload.replicas === 1 ? '' : 's'}) and its PropagationPolicy (${workload.clusters.join(', ')}, static weights ${workload.clusters.map(() => 1).join(':')})`,
  });
  const { warnings } = await admitAndCreate(karmada, fhpa, input.fhpa);
  emit({
    t: 0,
    kind: 'setup',
    message: `applied FederatedHPA ${input.fhpa.metadata.namespace ?? 'default'}/${input.fhpa.metadata.name}: allowed by POST /validate-federatedhpa${warnings.length ? `, with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}`,
  });
  for (const w of warnings) emit({ t: 0, kind: 'setup', message: `  warning: ${w}` });
  const samples: Sample[] = [];
  const driver = createLoadDriver(karmada, workload, input.trace);
  const podsMetric = input.fhpa.spec.metrics?.find((m) => m.type === 'Pods')?.pods?.metric.name;
  const rules: AlertRule[] = input.alerts ? asRules(rulesFor(input.fhpa)) : [];
  let ruleStates: Record<string, RuleState> = {};
  let group: AlertGroup = emptyGroup();
  const startMs = (await clockNow(stack)) ?? Date.now();
  const toTime = (s: number) => new Date(startMs + s * 1000).toISOString();
  let desired = workload.replicas;
  let seenRescales = 0;
  let lastRow = '';

  for (let t = 0; t <= input.seconds; t += timing.stepSeconds) {
    const change = await driver.at(t);
    if (change) emit({ t, kind: 'load', rps: change.rps, previous: change.previous });

    const metric = podsMetric ? await podsMetricAverage(karmada, podsMetric, workload) : undefined;
    if (rules.length > 0 && t % timing.ruleSeconds === 0) {
      // The simulator's Object metric is the workload's whole request rate (objectRpsMilli), so a rule on it
      // reads the load directly; it has a value with no pods at all, as an Object metric does.
      const value = rules[0]?.on === 'load' ? (driver.current ?? 0) : metric;
      const evaluated = evaluateRules(rules, ruleStates, value, t);
      ruleStates = evaluated.states;
      const flushed = flushGroup(group, evaluated.changes, t, timing.groupIntervalSeconds);
      group = flushed.group;
      if (flushed.send) {
        const { status, body } = await call(fhpa, 'POST', '/alerts', alertsSchema, {
          body: alertmanagerPayload(flushed.send, toTime),
          accept: [503],
        });
        emit({
          t,
          kind: 'alert',
          alerts: flushed.send.map((a) => `${a.alert} ${a.status}`),
          httpStatus: status,
          outcomes: body.alerts.map((a) => a.outcome),
        });
      }
    }
    if (t % timing.sweepSeconds === 0) {
      const { body } = await call(fhpa, 'POST', '/sweep', sweepSchema, { accept: [503] });
      emit({ t, kind: 'sweep', outcome: Object.keys(body.outcomes).join(',') || 'nothing to evaluate' });
    }

    const scale = await call(karmada, 'GET', workloadPath(workload), scaleSchema);
    const now = scale.body.spec.replicas;
    if (now !== desired) {
      const rescales = await rescaleMessages(stack, workload.namespace, input.fhpa.metadata.name ?? '');
      const message = rescales.slice(seenRescales).at(-1) ?? 'scaled by something other than fhpa';
      seenRescales = rescales.length;
      emit({ t, kind: 'rescale', from: desired, to: now, message });
      desired = now;
    }
    const byCluster: Record<string, ClusterPods> = {};
    for (const cluster of workload.clusters)
      byCluster[cluster] = await clusterPods(karmada, cluster, workload);
    const sample: Sample = { t, rps: driver.current ?? 0, metric, desired, byCluster };
    samples.push(sample);
    const row = JSON.stringify([desired, byCluster]);
    if (row !== lastRow) emit({ t, kind: 'pods', sample });
    lastRow = row;

    input.onStep?.(t);
    if (t + timing.stepSeconds <= input.seconds) await advance(input, timing.stepSeconds);
  }
  return { samples, events, warnings };
}

function asRules(rules: AlertRule[] | string): AlertRule[] {
  if (typeof rules === 'string') throw new Error(`alerts: ${rules}`);
  return rules;
}

async function advance(input: RunInput, seconds: number): Promise<void> {
  if (input.sleep) return input.sleep(seconds * 1000);
  await call(input.stack.sim, 'POST', '/_sim/clock', z.object({}).loose(), {
    body: { advanceMs: seconds * 1000 },
  });
}

async function clockNow(stack: Stack): Promise<number | undefined> {
  if (stack.mode === 'realtime') return undefined;
  const { body } = await call(stack.sim, 'GET', '/_sim/clock', z.object({ nowMs: z.number() }));
  return body.nowMs;
}

/** The SuccessfulRescale (and ScaledToZero, ScaledFromZero) events on the FederatedHPA, oldest first: `kubectl describe federatedhpa` shows them. */
async function rescaleMessages(stack: Stack, namespace: string, name: string): Promise<string[]> {
  const { body } = await call(
    stack.sim,
    'GET',
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    eventsSchema,
  );
  const rescales = ['SuccessfulRescale', 'ScaledToZero', 'ScaledFromZero'];
  // Oldest first by when each was first recorded: Event names come from the event, not the time (events.ts).
  const mine = body.items
    .filter((e) => e.involvedObject.name === name && rescales.includes(e.reason ?? ''))
    .sort((a, b) =>
      (a.firstTimestamp ?? '') < (b.firstTimestamp ?? '')
        ? -1
        : a.firstTimestamp === b.firstTimestamp
          ? 0
          : 1,
    );
  // An event repeated with the same message is one object with a count, as Kubernetes' recorder folds them.
  return mine.flatMap((e) => Array.from({ length: e.count ?? 1 }, () => e.message ?? ''));
}
