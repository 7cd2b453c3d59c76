import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import {
  createKarmadaAdapter,
  type KarmadaAdapter,
  type KarmadaAdapterOptions,
} from '../../src/karmada/adapter.ts';
import type { CallInfo } from '../../src/karmada/rest-client.ts';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';

// The adapter against the simulated control plane over real HTTP (loopback): the seed walkthrough's
// sample-app with a FederatedHPA, fake backoff sleeps (recorded, not slept) and fixed jitter.

export const NS = 'default';
export const TARGET = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' };

export function sampleFHPA(
  name = 'sample-app',
  namespace = NS,
  labels?: Record<string, string>,
): FederatedHPA {
  return {
    apiVersion: 'autoscaling.karmada.io/v1alpha1',
    kind: 'FederatedHPA',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: {
      scaleTargetRef: TARGET,
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Pods',
          pods: { metric: { name: 'http_requests' }, target: { type: 'AverageValue', averageValue: '700m' } },
        },
      ],
    },
  };
}

export interface Harness {
  sim: Simulator;
  adapter: KarmadaAdapter;
  warnings: string[];
  sleeps: number[];
  calls: CallInfo[];
  /** A fresh adapter (empty caches) over the same simulator. */
  newAdapter(opts?: Partial<KarmadaAdapterOptions>): KarmadaAdapter;
  /** Requests the simulator saw since the last reset, as "METHOD path status". */
  seen(): string[];
  resetSeen(): void;
}

export async function startHarness(): Promise<Harness> {
  const sim = await startSimulator({ token: 'sim-token-for-tests' });
  sim.applyWalkthrough();
  sim.applyFederatedHPA(sampleFHPA());
  sim.setLoad(NS, 'sample-app', { rps: 5 });
  const warnings: string[] = [];
  const sleeps: number[] = [];
  const calls: CallInfo[] = [];
  let mark = 0;
  const newAdapter = (opts: Partial<KarmadaAdapterOptions> = {}) =>
    createKarmadaAdapter({
      connection: { server: sim.url, token: sim.token },
      onWarning: (m) => warnings.push(m),
      observer: { call: (c) => calls.push(c) },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...opts,
    });
  return {
    sim,
    adapter: newAdapter(),
    warnings,
    sleeps,
    calls,
    newAdapter,
    seen: () => sim.requestLog.slice(mark).map((r) => `${r.method} ${r.path} ${r.status}`),
    resetSeen: () => {
      mark = sim.requestLog.length;
    },
  };
}

/** Clears faults and the recorded sleeps/warnings/calls between tests. */
export function reset(h: Harness): void {
  h.sim.faults.clear();
  h.warnings.length = 0;
  h.sleeps.length = 0;
  h.calls.length = 0;
  h.resetSeen();
}
