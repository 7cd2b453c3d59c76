import { formatMilli, MAX_INT64 } from '../engine/quantity.ts';
import { bindTransport, fetchTransport, type Transport } from '../karmada/transport.ts';
import type { PrometheusEndpoint } from './endpoints.ts';
import { instantQuery, PromQLError } from './query.ts';

// The PromQL metric source: an Object metric whose `promql.autoscaling.fhpa.io/METRIC` annotation holds a
// query gets its value from a Prometheus HTTP API instead of the custom metrics API (one module beside the
// Karmada sources, as KEDA keeps one file per scaler). The value becomes the Object metric's sample, so the
// engine applies Kubernetes' Value and AverageValue semantics to it unchanged.

export interface PromqlSource {
  /** The query's value at `now` as a quantity sample; throws PromQLError with a message for the condition. */
  read(endpoint: string, query: string, now: number): Promise<{ timestamp: number; value: string }>;
}

export function createPromqlSource(
  endpoints: ReadonlyMap<string, PrometheusEndpoint>,
  transport: Transport = fetchTransport(),
  onWarning: (message: string) => void = () => {},
): PromqlSource {
  const bound = new Map<string, Transport>();
  const transportFor = (e: PrometheusEndpoint): Transport => {
    let t = bound.get(e.name);
    if (!t) {
      const b = bindTransport(transport, {
        server: e.url,
        ...(e.caData ? { caData: e.caData } : {}),
        ...(e.certData ? { certData: e.certData } : {}),
        ...(e.keyData ? { keyData: e.keyData } : {}),
      });
      if (b.warning) onWarning(`Prometheus "${e.name}": ${b.warning}`);
      t = b.transport;
      bound.set(e.name, t);
    }
    return t;
  };
  return {
    async read(name, query, now) {
      const endpoint = endpoints.get(name);
      if (!endpoint) {
        throw new PromQLError(
          `no Prometheus endpoint "${name}" is configured (FHPA_PROMETHEUS_URL is "default"; others come from FHPA_PROMETHEUS_ENDPOINTS)`,
          false,
        );
      }
      const answer = await instantQuery(transportFor(endpoint), endpoint, query, now);
      return { timestamp: answer.timestamp, value: quantityOf(answer.value) };
    },
  };
}

/**
 * A finite float as a milli-quantity, truncated toward zero as prometheus-adapter does
 * (`resource.NewMilliQuantity(int64(value*1000.0), resource.DecimalSI)`, pkg/custom-provider/provider.go).
 */
export function quantityOf(value: number): string {
  const milli = Math.trunc(value * 1000);
  if (!Number.isSafeInteger(milli) && Math.abs(milli) > Number(MAX_INT64)) {
    throw new PromQLError(`the query returned ${value}, beyond what a quantity holds`, false);
  }
  return formatMilli(BigInt(milli));
}
