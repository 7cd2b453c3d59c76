import { milliValue } from '../engine/quantity.ts';

// The load model behind the simulated metrics APIs. Pure: a workload receives `rps` requests per second
// through a multi-cluster Service that spreads them evenly over the ready pods of every cluster (pods
// that are not ready get no traffic and, not having started, report no metrics). Each ready pod then
// serves rps/ready requests per second, the `http_requests` Pods metric of the seed walkthrough (its
// prometheus-adapter rule exposes irate(http_requests_total) as `http_requests`), and burns
// baseCpuMilli + share × cpuPerRequestMilli millicores.

export interface Load {
  rps: number;
  cpuPerRequestMilli: number;
  baseCpuMilli: number;
  memoryBytes: number;
}

export const DEFAULT_LOAD: Load = {
  rps: 0,
  cpuPerRequestMilli: 1,
  baseCpuMilli: 10,
  memoryBytes: 64 * 1024 * 1024,
};

export interface ContainerRequests {
  name: string;
  requests?: Record<string, string | number>;
}

export interface ContainerUsage {
  name: string;
  /** Fractional: metrics-server reports nanocores. */
  cpuMilli: number;
  memoryBytes: number;
}

export interface PodUsage {
  /** The per-pod request rate in milli-requests per second (a quantity such as "700m"). */
  httpRequestsMilli: number;
  containers: ContainerUsage[];
}

function cpuRequestMilli(c: ContainerRequests): number {
  const cpu = c.requests?.cpu;
  if (cpu === undefined) return 0;
  try {
    return Number(milliValue(cpu));
  } catch {
    return 0;
  }
}

/**
 * One ready pod's usage when `readyPods` ready pods share the load. The pod's CPU is split over its
 * containers in proportion to their CPU requests (evenly when none has one); memory is per container.
 */
export function podUsage(load: Load, readyPods: number, containers: readonly ContainerRequests[]): PodUsage {
  const share = readyPods > 0 ? load.rps / readyPods : 0;
  const cpu = load.baseCpuMilli + share * load.cpuPerRequestMilli;
  const requests = containers.map(cpuRequestMilli);
  const total = requests.reduce((a, b) => a + b, 0);
  return {
    httpRequestsMilli: Math.round(share * 1000),
    containers: containers.map((c, i) => ({
      name: c.name,
      cpuMilli: total > 0 ? (cpu * (requests[i] ?? 0)) / total : cpu / Math.max(1, containers.length),
      memoryBytes: load.memoryBytes,
    })),
  };
}

/**
 * The request rate an object (the workload's Service or Deployment) sees, in milli-requests per second:
 * the whole rate on the control plane, a member's share (by its ready pods) inside one member cluster.
 */
export function objectRpsMilli(
  load: Load,
  readyInScope: number,
  readyTotal: number,
  wholeFederation: boolean,
) {
  if (wholeFederation) return Math.round(load.rps * 1000);
  return readyTotal > 0 ? Math.round((load.rps * 1000 * readyInScope) / readyTotal) : 0;
}

/** metrics-server's memory form: kibibytes ("65536Ki"). */
export const formatMemory = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;
