import { performance } from 'node:perf_hooks';
import { fetchTransport } from '../src/karmada/transport.ts';
import type { ScaleWrite } from '../src/sim/index.ts';
import type { Benchmark, Figures } from './benchmark.ts';
import { percentile, round } from './stats.ts';
import { BENCH_TOKEN, startFhpaStack } from './support/fhpa-server.ts';
import { alertNotification, applyWorkload } from './support/fixtures.ts';
import { roundTripsTo, type TimedRequest, timedTransport } from './support/round-trips.ts';

// Issue 8, `alert-latency`: from the moment an Alertmanager notification is POSTed to fhpa's Node server to
// the moment the simulated Karmada applies the scale PATCH it causes, with 1 ms of real latency added to
// every Karmada API call (target: p99 under 50 ms; Karmada's controller reacts on its 15 s sync period).
//
// The clock stops inside the simulator's onScaleWrite listener, which runs in this process when the write is
// applied, so both ends are read from the same monotonic clock. Samples alternate the seed workload's load
// between high (1 → 5 replicas, the default scale-up policy's +4) and none (5 → 1) with both stabilization
// windows at 0, and simulated time moves 60 s between samples so pods are ready and policy periods have
// passed: every sample must cause exactly one write.
//
// Requests are timed at fhpa's transport (support/round-trips.ts) to count the Karmada round trips on each
// sample's critical path up to the PATCH.
//
// Flags: --samples=N (default 200, 30 with --quick), --latency-ms=N added per API call (default 1).

const WORKLOAD = { namespace: 'default', name: 'sample-app' };
const WRITE_TIMEOUT_MS = 5_000;

export const alertLatency: Benchmark = {
  name: 'alert-latency',
  description: 'Alertmanager POST → scale PATCH applied by the simulator, 1 ms added per API call',
  async run(opts): Promise<Figures> {
    const samples = Number(opts.flags.samples ?? (opts.quick ? 30 : 200));
    const latencyMs = Number(opts.flags['latency-ms'] ?? 1);
    if (!Number.isInteger(samples) || samples < 2) return { error: `--samples must be an integer ≥ 2` };
    const requests: TimedRequest[] = [];
    const stack = await startFhpaStack({
      sim: { faults: [{ name: 'api-latency', path: '/**', latencyMs, latencyMode: 'real' }] },
      adapter: { transport: timedTransport(fetchTransport(), requests) },
    });
    try {
      const { sim, server } = stack;
      applyWorkload(sim, WORKLOAD, {
        spec: {
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 0 },
            scaleDown: { stabilizationWindowSeconds: 0 },
          },
        },
      });
      const body = JSON.stringify(alertNotification([WORKLOAD]));
      const post = () =>
        fetch(`${server.url}/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
          body,
        });

      // One write-awaiting slot at a time: the listener stamps the time the simulator applied the write.
      let waiting: ((w: ScaleWrite, at: number) => void) | undefined;
      const unsubscribe = sim.onScaleWrite((w) => waiting?.(w, performance.now()));
      const nextWrite = () =>
        new Promise<{ write: ScaleWrite; at: number } | undefined>((resolve) => {
          const timer = setTimeout(() => resolve(undefined), WRITE_TIMEOUT_MS);
          waiting = (write, at) => {
            clearTimeout(timer);
            waiting = undefined;
            resolve({ write, at });
          };
        });

      const toWriteMs: number[] = [];
      const responseMs: number[] = [];
      let missed = 0;
      const replicasSeen = new Set<number>();
      const roundTrips: number[] = [];
      for (let i = 0; i < samples + 2; i++) {
        sim.setLoad(WORKLOAD.namespace, WORKLOAD.name, { rps: i % 2 === 0 ? 20 : 0 });
        sim.clock.advance(60_000);
        const written = nextWrite();
        const firstRequest = requests.length;
        const sent = performance.now();
        const res = await post();
        await res.arrayBuffer();
        const answered = performance.now();
        const w = await written;
        if (i < 2) continue; // the first up/down pair warms the JIT, sockets and discovery cache
        if (w === undefined) missed++;
        else {
          toWriteMs.push(w.at - sent);
          replicasSeen.add(w.write.replicas);
          const mine = requests.slice(firstRequest);
          const patch = mine.find((r) => r.method === 'PATCH' && r.path.endsWith(`/${WORKLOAD.name}/scale`));
          if (patch) roundTrips.push(roundTripsTo(mine, patch));
        }
        responseMs.push(answered - sent);
        if ((i - 1) % 50 === 0) opts.log(`  ${i - 1}/${samples} samples`);
      }
      unsubscribe();
      return {
        p50Ms: round(percentile(toWriteMs, 50), 2),
        p99Ms: round(percentile(toWriteMs, 99), 2),
        maxMs: round(percentile(toWriteMs, 100), 2),
        responseP50Ms: round(percentile(responseMs, 50), 2),
        responseP99Ms: round(percentile(responseMs, 99), 2),
        samples: toWriteMs.length,
        missed,
        apiLatencyMs: latencyMs,
        apiCallsPerAlert: round(sim.counters.requests / (samples + 2), 1),
        // Sequential Karmada round trips from the alert to the scale PATCH, the PATCH included (measured at
        // fhpa's transport: requests in flight together count once), the most any sample needed; target ≤ 4.
        criticalPathRoundTrips: roundTrips.length > 0 ? Math.max(...roundTrips) : null,
        criticalPathRoundTripsP50: roundTrips.length > 0 ? percentile(roundTrips, 50) : null,
        replicasWritten: [...replicasSeen].sort((a, b) => a - b),
      };
    } finally {
      await stack.close();
    }
  },
};
