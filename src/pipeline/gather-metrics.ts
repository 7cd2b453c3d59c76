import type { MetricSpec } from '../api/autoscaling-v2.ts';
import type { MetricAnnotations } from '../api/metric-annotations.ts';
import type { PodResourceSample, TargetReads } from '../karmada/adapter.ts';
import { isTransient } from '../karmada/errors.ts';
import type { PromqlSource } from '../prometheus/promql-source.ts';
import { PromQLError } from '../prometheus/query.ts';

// Fetches what the engine needs for each metric of a FederatedHPA, in the engine's snapshot shape
// (pods keyed "cluster/name", so same-named pods in two clusters never merge: karmada issue 4257).
// Kubernetes' replica calculator fetches inside the computation; fhpa fetches first, then computes.

export interface GatheredMetrics {
  resource: Record<
    string,
    Record<string, { timestamp: number; window: number; containers: Record<string, string> }>
  >;
  pods: Record<string, Record<string, { timestamp: number; value: string }>>;
  object: Record<string, { timestamp: number; value: string }>;
  external: Record<string, { timestamp: number; values: string[] }>;
  /** Why a PromQL-bound Object metric has no sample, by metric name (the engine puts it in the condition). */
  errors: Record<string, string>;
}

/** PromQL-bound Object metrics: the FederatedHPA's annotations, the source, and the evaluation's time. */
export interface PromqlBinding {
  source: PromqlSource | undefined;
  settings: Pick<MetricAnnotations, 'promql' | 'prometheus'>;
  now: number;
}

export interface MetricFetchError {
  metric: string;
  type: string;
  message: string;
  /** The metrics API did not answer, throttled or failed (5xx): asking again later may succeed. */
  transient: boolean;
}

export const podKey = (cluster: string, name: string) => `${cluster}/${name}`;

/** Member clusters whose pods one selector picks (the template's for all, or each member's: read-target.ts). */
export interface PodGroup {
  selector: string;
  clusters: string[];
}

type MetricReads = Pick<
  TargetReads,
  'getResourceMetrics' | 'getPodsMetric' | 'getObjectMetric' | 'getExternalMetric'
>;

export async function gatherMetrics(
  karmada: MetricReads,
  namespace: string,
  groups: readonly PodGroup[],
  metrics: MetricSpec[],
  promql?: PromqlBinding,
): Promise<{ metrics: GatheredMetrics; errors: MetricFetchError[] }> {
  const out: GatheredMetrics = { resource: {}, pods: {}, object: {}, external: {}, errors: {} };
  const errors: MetricFetchError[] = [];
  // One resource-metrics read serves every Resource and ContainerResource metric (cpu and memory alike).
  let resourceSamples: Promise<PodResourceSample[]> | undefined;
  const perGroup = <T>(read: (g: PodGroup) => Promise<T[]>) =>
    Promise.all(groups.map(read)).then((r) => r.flat());

  await Promise.all(
    metrics.map(async (m) => {
      const label = metricLabel(m);
      try {
        if (
          (m.type === 'Resource' && m.resource) ||
          (m.type === 'ContainerResource' && m.containerResource)
        ) {
          const name = (m.resource ?? m.containerResource)!.name;
          resourceSamples ??= perGroup((g) => karmada.getResourceMetrics(namespace, g.selector, g.clusters));
          const samples = await resourceSamples;
          const byPod: GatheredMetrics['resource'][string] = {};
          for (const s of samples) {
            const containers: Record<string, string> = {};
            for (const [container, usage] of Object.entries(s.containers)) {
              const v = usage[name];
              if (v !== undefined) containers[container] = v;
            }
            byPod[podKey(s.cluster, s.pod)] = { timestamp: s.timestamp, window: s.windowMs, containers };
          }
          out.resource[name] = byPod;
        } else if (m.type === 'Pods' && m.pods) {
          const { name, selector } = m.pods.metric;
          const samples = await perGroup((g) =>
            karmada.getPodsMetric(namespace, name, g.selector, selector, g.clusters),
          );
          const byPod: GatheredMetrics['pods'][string] = {};
          for (const s of samples)
            byPod[podKey(s.cluster, s.pod)] = { timestamp: s.timestamp, value: s.value };
          out.pods[m.pods.metric.name] = byPod;
        } else if (m.type === 'Object' && m.object && promql?.settings.promql[m.object.metric.name]) {
          const name = m.object.metric.name;
          const query = promql.settings.promql[name] as string;
          try {
            if (!promql.source) {
              throw new PromQLError(
                'a PromQL query needs a Prometheus endpoint: fhpa has none configured (FHPA_PROMETHEUS_URL)',
                false,
              );
            }
            out.object[name] = await promql.source.read(promql.settings.prometheus, query, promql.now);
          } catch (err) {
            const message = `PromQL query of Object metric ${name}: ${err instanceof Error ? err.message : String(err)}`;
            out.errors[name] = message;
            throw new PromQLError(message, err instanceof PromQLError && err.transient);
          }
        } else if (m.type === 'Object' && m.object) {
          out.object[m.object.metric.name] = await karmada.getObjectMetric(
            namespace,
            m.object.describedObject,
            m.object.metric.name,
            m.object.metric.selector,
          );
        } else if (m.type === 'External' && m.external) {
          out.external[m.external.metric.name] = await karmada.getExternalMetric(
            namespace,
            m.external.metric.name,
            m.external.metric.selector,
          );
        }
      } catch (err) {
        errors.push({
          metric: label,
          type: m.type,
          message: err instanceof Error ? err.message : String(err),
          transient: err instanceof PromQLError ? err.transient : isTransient(err),
        });
      }
    }),
  );
  return { metrics: out, errors };
}

export function metricLabel(m: MetricSpec): string {
  switch (m.type) {
    case 'Resource':
      return `${m.resource?.name ?? '?'} resource`;
    case 'ContainerResource':
      return `${m.containerResource?.name ?? '?'} container resource`;
    case 'Pods':
      return `pods metric ${m.pods?.metric.name ?? '?'}`;
    case 'Object':
      return `${m.object?.describedObject.kind ?? '?'} metric ${m.object?.metric.name ?? '?'}`;
    case 'External':
      return `external metric ${m.external?.metric.name ?? '?'}`;
    default:
      return `${m.type} metric`;
  }
}
