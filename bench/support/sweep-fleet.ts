import type { RequestLogEntry, Simulator } from '../../src/sim/index.ts';
import { applyDividedPolicy, applyWorkload, type WorkloadRef } from './fixtures.ts';

// The sweep benchmark's fleet: N copies of the seed workload and its FederatedHPA, set up through the
// simulator's in-process API (no HTTP, not timed), and a reading of the simulator's request log by what
// each request was for.
//
// The fleet is spread over namespaces of `perNamespace` workloads, each namespace with one Divided policy
// selecting its workloads by label, as a platform team propagates a tenant's apps. The namespace size
// matters to fhpa: every evaluation lists the ResourceBindings carrying its policy's permanent-id label
// (Karmada's getBindingByLabel) and picks its own from them, so one policy for all N workloads would make
// each of the N evaluations read N bindings.

export const BENCH_LABEL = 'fhpa.bench/workload';

export interface Fleet {
  refs: WorkloadRef[];
  namespaces: string[];
  /** Workloads given enough load to scale up (the rest sit at minReplicas with no load). */
  loaded: number;
}

export function applyFleet(
  sim: Simulator,
  opts: { count: number; perNamespace: number; loadedEvery: number; log?: (line: string) => void },
): Fleet {
  const refs: WorkloadRef[] = [];
  const namespaces: string[] = [];
  const width = String(Math.ceil(opts.count / opts.perNamespace)).length;
  let loaded = 0;
  for (let i = 0; i < opts.count; i++) {
    const n = Math.floor(i / opts.perNamespace);
    const namespace = `sweep-${String(n).padStart(width, '0')}`;
    if (i % opts.perNamespace === 0) {
      // The policy before its workloads: each workload is then propagated once, when it is applied.
      applyDividedPolicy(sim, namespace, 'tenant-propagation', { labelSelector: { [BENCH_LABEL]: 'true' } });
      namespaces.push(namespace);
    }
    const ref = { namespace, name: `app-${String(i).padStart(5, '0')}` };
    applyWorkload(sim, ref, {
      policy: false,
      // No stabilization, so a loaded workload scales in this sweep (the default +4 pods scale-up policy).
      spec: {
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0 },
          scaleDown: { stabilizationWindowSeconds: 0 },
        },
      },
    });
    if (opts.loadedEvery > 0 && i % opts.loadedEvery === 0) {
      // 3 rps on one pod against a 700m target: 5 replicas wanted.
      sim.setLoad(namespace, ref.name, { rps: 3 });
      loaded++;
    }
    refs.push(ref);
    if (opts.log && (i + 1) % 2000 === 0) opts.log(`  set up ${i + 1}/${opts.count} workloads`);
  }
  // Past the pods' startup delay, so every pod is Running and Ready and reports metrics.
  sim.clock.advance(60_000);
  return { refs, namespaces, loaded };
}

/** What a request to the simulated Karmada API server was for, from its method and path. */
export function requestKind(entry: Pick<RequestLogEntry, 'method' | 'path'>): string {
  const { method, path } = entry;
  const proxied = /\/clusters\/[^/]+\/proxy(\/.*)$/.exec(path)?.[1];
  if (proxied !== undefined) {
    if (proxied.startsWith('/apis/custom.metrics.k8s.io/')) return 'member custom metrics';
    if (proxied.startsWith('/apis/metrics.k8s.io/')) return 'member resource metrics';
    if (/\/pods$/.test(proxied)) return 'member pods list';
    if (proxied.endsWith('/scale')) return 'member scale get';
    if (/\/(deployments|statefulsets)$/.test(proxied)) return 'member workload list';
    return `member ${method}`;
  }
  if (path.endsWith('/events')) return 'event create';
  if (/\/federatedhpas$/.test(path)) return 'federatedhpa list';
  if (/\/cronfederatedhpas$/.test(path)) return 'cronfederatedhpa list';
  if (/\/federatedhpas\/[^/]+\/status$/.test(path)) return `federatedhpa status ${method.toLowerCase()}`;
  if (/\/resourcebindings$/.test(path)) return 'binding list';
  if (/\/resourcebindings\/[^/]+$/.test(path)) return `binding ${method.toLowerCase()}`;
  if (/\/clusters$/.test(path)) return 'cluster list';
  if (path.endsWith('/scale')) return `template scale ${method.toLowerCase()}`;
  if (/\/deployments\/[^/]+$/.test(path)) return `template ${method.toLowerCase()}`;
  if (/\/(deployments|statefulsets)$/.test(path)) return 'template list';
  if (path === '/api' || path === '/apis' || /^\/apis?\/[^/]+(\/[^/]+)?$/.test(path)) return 'discovery';
  return `${method} other`;
}

export function countByKind(entries: readonly RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const k = requestKind(e);
    out[k] = (out[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([, a], [, b]) => b - a));
}
