import { DEFAULT_LOAD, type Load } from './load-model.ts';

// What the simulated metrics are computed from, as tests set it: each workload's load (load-model.ts turns
// it into pod usage) and the values of external metrics, per namespace.

export interface ExternalMetricValue {
  metricName: string;
  metricLabels: Record<string, string>;
  valueMilli: number;
}

export class MetricInputs {
  private readonly loads = new Map<string, Load>();
  private readonly external = new Map<string, ExternalMetricValue[]>();

  setLoad(namespace: string, workload: string, load: Partial<Load> & { rps: number }): void {
    this.loads.set(`${namespace}/${workload}`, {
      ...DEFAULT_LOAD,
      ...this.loads.get(`${namespace}/${workload}`),
      ...load,
    });
  }

  loadOf(namespace: string, workload: string): Load {
    return this.loads.get(`${namespace}/${workload}`) ?? DEFAULT_LOAD;
  }

  /** Sets one series of an external metric (same labels → replaced); `value` in units, e.g. 30 or 2.5. */
  setExternalMetric(
    namespace: string,
    metricName: string,
    value: number,
    metricLabels: Record<string, string> = {},
  ) {
    const key = `${namespace}/${metricName}`;
    const same = (v: ExternalMetricValue) => JSON.stringify(v.metricLabels) === JSON.stringify(metricLabels);
    const series = (this.external.get(key) ?? []).filter((v) => !same(v));
    series.push({ metricName, metricLabels: { ...metricLabels }, valueMilli: Math.round(value * 1000) });
    this.external.set(key, series);
  }

  externalMetric(namespace: string, metricName: string): ExternalMetricValue[] | undefined {
    return this.external.get(`${namespace}/${metricName}`)?.map((v) => structuredClone(v));
  }
}
