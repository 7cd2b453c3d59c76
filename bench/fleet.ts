import { performance } from 'node:perf_hooks';
import { createKarmadaAdapter, type KarmadaAdapter } from '../src/karmada/adapter.ts';
import { nodeTransport } from '../src/karmada/node-transport.ts';
import { silentLogger } from '../src/log.ts';
import { consumeSweepBatches } from '../src/pipeline/fanout-consume.ts';
import { runFanOutScheduled } from '../src/pipeline/scheduled.ts';
import type { PipelineDeps } from '../src/pipeline/types.ts';
import { EmbeddedHistoryStore } from '../src/store/embedded-store.ts';
import type { Benchmark, Figures } from './benchmark.ts';
import { round } from './stats.ts';
import { cpuFigures, threadCpuSeconds } from './support/cpu-floor.ts';
import { fleetQueue } from './support/fleet-queue.ts';
import { workerSweepSim } from './support/sweep-sim.ts';
import { countingStore } from './support/sweep-store.ts';

// Issue 13.4, `fleet`: one fanned-out sweep of 100,000 FederatedHPAs. The producer (runFanOutScheduled, what
// the Cron Trigger and the EventBridge schedule run with a queue bound) lists the fleet and enqueues batches
// of --batch-size references; --consumers consumers (each its own Karmada client and sockets, as separate
// queue invocations are) take --messages messages per delivery, as wrangler.toml's max_batch_size and the SAM
// event source mapping's BatchSize, and evaluate them with consumeSweepBatches, as the Worker's `queue` and
// the Lambda `sweepQueue` handlers do. The queue (bench/support/fleet-queue.ts) is at least once: every
// --duplicate-every'th message is delivered twice, to two consumers at once, and the benchmark checks that no
// workload was scaled twice for it.
//
// The simulator runs on a worker thread (bench/support/sweep-sim.ts) with --latency-ms of real latency per
// API call and keeps no request log (counted, not kept, at this size). Consumers share one embedded history
// store, counted at its port. CPU is fhpa's thread's (the producer's and all consumers'), per evaluation.
//
// Flags: --fhpas=N (default 100000, 1000 with --quick), --consumers=N (8), --concurrency=N per consumer
// (32, FHPA_SWEEP_CONCURRENCY's default), --batch-size=N refs per message (25), --messages=N per delivery (4),
// --latency-ms=N (2), --per-namespace=N (10), --loaded-every=N (10), --duplicate-every=N (100; 0 for none).

export const fleet: Benchmark = {
  name: 'fleet',
  description: 'one fanned-out sweep of 100,000 FederatedHPAs over a queue to 8 consumers, 2 ms per API call',
  async run(opts): Promise<Figures> {
    const num = (flag: string, fallback: number) => Number(opts.flags[flag] ?? fallback);
    const fhpas = num('fhpas', opts.quick ? 1000 : 100_000);
    const consumers = num('consumers', 8);
    const concurrency = num('concurrency', 32);
    const batchSize = num('batch-size', 25);
    const messages = num('messages', 4);
    const latencyMs = num('latency-ms', 2);
    const perNamespace = num('per-namespace', 10);
    const loadedEvery = num('loaded-every', 10);
    const duplicateEvery = num('duplicate-every', 100);
    for (const [flag, value, min, max] of [
      ['fhpas', fhpas, 1, 1_000_000],
      ['consumers', consumers, 1, 256],
      ['concurrency', concurrency, 1, 1024],
      ['batch-size', batchSize, 1, 100],
      ['messages', messages, 1, 100],
      ['latency-ms', latencyMs, 0, 1000],
      ['per-namespace', perNamespace, 1, 1_000_000],
      ['loaded-every', loadedEvery, 0, 1_000_000],
      ['duplicate-every', duplicateEvery, 0, 1_000_000],
    ] as const) {
      if (!Number.isInteger(value) || value < min || value > max) {
        return { error: `--${flag} must be an integer from ${min} to ${max}` };
      }
    }

    opts.log(`  setting up ${fhpas} workloads in the simulator (worker thread)`);
    const heapBefore = process.memoryUsage().rss;
    const sim = await workerSweepSim({
      count: fhpas,
      perNamespace,
      loadedEvery,
      latencyMs,
      requestLogLimit: 100,
    });
    try {
      opts.log(`  fleet set up in ${sim.setupSeconds.toFixed(1)} s`);
      const clock = () => sim.now; // the simulated clock stands still during the sweep
      const inner = new EmbeddedHistoryStore({ clock, ttlSeconds: 3600, onWarning: () => {} });
      const store = countingStore(inner);

      // Scale PATCHes that succeeded, per workload: more than one for a workload is a double scale.
      const scaled = new Map<string, number>();
      const client = (): KarmadaAdapter => {
        const karmada = createKarmadaAdapter({
          connection: { server: sim.url, token: sim.token },
          transport: nodeTransport(),
          timeoutMs: 30_000,
        });
        return {
          ...karmada,
          async patchScale(namespace, ref, replicas, resourceVersion) {
            const result = await karmada.patchScale(namespace, ref, replicas, resourceVersion);
            const key = `${namespace}/${ref.name}`;
            scaled.set(key, (scaled.get(key) ?? 0) + 1);
            return result;
          },
        };
      };
      const depsOf = (karmada: KarmadaAdapter): PipelineDeps => ({
        karmada,
        store,
        clock,
        scope: 'bench',
        log: silentLogger,
      });
      const producer = depsOf(client());
      const consumerDeps = Array.from({ length: consumers }, () => depsOf(client()));

      // Warm-up: one namespace through the same path (JIT, sockets, discovery), then counts start afresh.
      const warmQueue = fleetQueue({ duplicateEvery: 0, maxRetries: 3 });
      await runFanOutScheduled(producer, warmQueue, { batchSize, namespace: sim.namespaces[0]! });
      for (let d = warmQueue.take(messages); d.length > 0; d = warmQueue.take(messages)) {
        await consumeSweepBatches(consumerDeps[0]!, d, { concurrency });
      }
      store.reset(); // `scaled` is kept: the warm-up namespace's loaded workload scaled there, once
      await sim.mark();

      opts.log(`  sweeping ${fhpas} FederatedHPAs through ${consumers} consumers`);
      const queue = fleetQueue({ duplicateEvery, maxRetries: 3 });
      const cpuBefore = threadCpuSeconds();
      const started = performance.now();
      const produced = await runFanOutScheduled(producer, queue, { batchSize });
      const enqueuedSeconds = (performance.now() - started) / 1000;
      let evaluations = 0;
      let deliveries = 0;
      let inDeliveryDuplicates = 0;
      const outcomes: Record<string, number> = {};
      let progress = 0;
      await Promise.all(
        consumerDeps.map(async (deps) => {
          for (let d = queue.take(messages); d.length > 0; d = queue.take(messages)) {
            const r = await consumeSweepBatches(deps, d, { concurrency });
            queue.settle(d, r.retry);
            deliveries++;
            evaluations += r.results.length;
            inDeliveryDuplicates += r.duplicates;
            for (const x of r.results) outcomes[x.outcome] = (outcomes[x.outcome] ?? 0) + 1;
            if (evaluations - progress >= 10_000) {
              progress = evaluations;
              opts.log(`  ${evaluations} evaluations`);
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = threadCpuSeconds();
      const cpu = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
      const api = await sim.report();
      const rssMiB = (process.memoryUsage().rss - heapBefore) / 2 ** 20;

      const per = (n: number) => (evaluations > 0 ? round(n / evaluations, 4) : null);
      const doubleScaled = [...scaled.values()].filter((n) => n > 1).length;
      const storeReads = store.counts.loadCalls + store.counts.loadManyItems;
      const errors = [
        ...(produced.fanOut.listed !== fhpas ? [`listed ${produced.fanOut.listed} of ${fhpas}`] : []),
        ...(doubleScaled > 0
          ? [
              `${doubleScaled} workloads scaled more than once (${[...scaled]
                .filter(([, n]) => n > 1)
                .slice(0, 5)
                .map(([key, n]) => `${key} ×${n}`)
                .join(', ')})`,
            ]
          : []),
        ...(scaled.size !== sim.loaded ? [`${scaled.size} workloads scaled, ${sim.loaded} loaded`] : []),
        ...((outcomes.failed ?? 0) > 0 ? [`${outcomes.failed} evaluations failed`] : []),
        ...(queue.deadLettered > 0 ? [`${queue.deadLettered} messages dead-lettered`] : []),
      ];
      return {
        fhpas,
        consumers,
        // One full sweep: from the producer's listing to the last delivery settled.
        seconds: round(seconds, 2),
        enqueueSeconds: round(enqueuedSeconds, 2),
        evaluations,
        evalsPerSecond: round(evaluations / seconds, 1),
        apiCallsPerEval: per(api.requests),
        apiRequestsPerSecond: round(api.requests / seconds, 0),
        // Against the floor: JSON.parse over the response bodies of the same sweep (bench/support/cpu-floor.ts).
        ...cpuFigures({ cpuSeconds: cpu, evaluations, bodies: api.bodies }),
        storeReadsPerEval: per(storeReads),
        storeReadCallsPerEval: per(store.counts.loadCalls + store.counts.loadManyCalls),
        storeWritesPerEval: per(store.counts.saveCalls),
        storeConflicts: store.counts.saveConflicts,
        messages: queue.sent,
        deliveries,
        // Duplicates the queue made and what they cost: each was evaluated again (or, in one delivery, once),
        // and none may scale a second time.
        duplicateMessages: queue.duplicated,
        duplicatesInOneDelivery: inDeliveryDuplicates,
        duplicateEvaluations: evaluations - fhpas,
        scaledWorkloads: scaled.size,
        loadedWorkloads: sim.loaded,
        doubleScaled,
        retriedMessages: queue.retried,
        deadLettered: queue.deadLettered,
        outcomes,
        fhpaCpuSeconds: cpu === null ? null : round(cpu, 2),
        simCpuSeconds: api.cpuSeconds === null ? null : round(api.cpuSeconds, 2),
        mainRssGrowthMiB: round(rssMiB, 0),
        setupSeconds: round(sim.setupSeconds, 1),
        batchSize,
        messagesPerDelivery: messages,
        concurrency,
        apiLatencyMs: latencyMs,
        ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
      };
    } finally {
      await sim.close();
    }
  },
};
