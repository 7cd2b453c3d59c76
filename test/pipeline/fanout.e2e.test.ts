import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REFS_PER_BATCH, parseSweepBatch, type SweepBatch } from '../../src/api/sweep-batch.ts';
import { createKarmadaAdapter } from '../../src/karmada/adapter.ts';
import type { Transport } from '../../src/karmada/transport.ts';
import { silentLogger } from '../../src/log.ts';
import { consumeSweepBatches, type DeliveredMessage } from '../../src/pipeline/fanout-consume.ts';
import { batchesOf, fanOutSweep } from '../../src/pipeline/fanout-produce.ts';
import { runFanOutScheduled } from '../../src/pipeline/scheduled.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import type { ScaleWrite } from '../../src/sim/index.ts';
import { type HistoryStore, HistoryStoreError } from '../../src/store/history-store.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { applyApp } from '../support/seed.ts';

// A fanned-out sweep end to end against the simulated Karmada: the producer lists and enqueues batches, the
// consumers evaluate them through the sweep's subset path, and an at-least-once queue's habits (the same
// message twice, to one consumer or two at once; a consumer dying mid-batch and its batch redelivered) never
// scale a FederatedHPA twice nor leave one unevaluated.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * `count` workloads app-0… in `default`; every `loadedEvery`th gets 3 requests per second, which the seed's
 * 700m-per-pod target turns into ceil(3 / 0.7) = 5 replicas: reachable from 1 in one step (+4 pods per 15 s
 * by default), and stable there, so any second scale write would be a duplicate's, not a new decision.
 */
function addApps(harness: Harness, count: number, loadedEvery = 3) {
  harness.sim.clock.advance(-30_000);
  for (let i = 0; i < count; i++) {
    applyApp(harness.sim, `app-${i}`, { behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } });
  }
  harness.sim.clock.advance(30_000); // pods Ready
  const loaded: string[] = [];
  for (let i = 0; i < count; i += loadedEvery) {
    harness.sim.setLoad('default', `app-${i}`, { rps: 3 });
    loaded.push(`app-${i}`);
  }
  return loaded;
}

/** A queue that keeps what it is sent, as messages with ids. */
function memoryQueue() {
  const messages: DeliveredMessage[] = [];
  return {
    messages,
    send: async (batches: readonly SweepBatch[]) => {
      // JSON text, as SQS carries it (Cloudflare Queues' json content type is the same text).
      for (const b of batches) messages.push({ id: `m${messages.length}`, body: JSON.stringify(b) });
    },
  };
}

/** Another consumer: its own Karmada client and in-flight map, the same simulator and history store. */
function consumerDeps(harness: Harness, overrides: { transport?: Transport; store?: HistoryStore } = {}) {
  const karmada = createKarmadaAdapter({
    connection: { server: harness.sim.url, token: harness.sim.token },
    // Generous: on a loaded machine a 2 s timeout failed evaluations before the crash point was reached.
    timeoutMs: 30_000,
    ...(overrides.transport ? { transport: overrides.transport } : {}),
  });
  return { ...harness.deps, karmada, store: overrides.store ?? harness.store } satisfies PipelineDeps;
}

/** `count` apps (addApps), their scale writes recorded, listed and enqueued in batches of `batchSize`. */
async function enqueuedFleet(harness: Harness, count: number, batchSize: number) {
  const loaded = addApps(harness, count);
  const writes: ScaleWrite[] = [];
  harness.sim.onScaleWrite((w) => writes.push(w));
  const queue = memoryQueue();
  await fanOutSweep(harness.deps, queue, { batchSize });
  return { loaded, writes, queue };
}

const scaledPerTarget = (writes: ScaleWrite[]) => {
  const per: Record<string, number[]> = {};
  for (const w of writes) per[w.name] = [...(per[w.name] ?? []), w.replicas];
  return per;
};

describe('sweep batches', () => {
  it('cuts refs into batches of the configured size, never above the message cap', () => {
    const refs = Array.from({ length: 250 }, (_, i) => ({ namespace: 'ns', name: `f-${i}` }));
    expect(batchesOf(refs, 40, 7).map((b) => b.refs.length)).toEqual([40, 40, 40, 40, 40, 40, 10]);
    expect(batchesOf(refs, 1000, 7).map((b) => b.refs.length)).toEqual([MAX_REFS_PER_BATCH, 100, 50]);
    expect(batchesOf(refs, 40, 7).flatMap((b) => b.refs)).toEqual(refs);
    expect(batchesOf([], 40, 7)).toEqual([]);
    expect(batchesOf(refs.slice(0, 1), 40, 7)).toEqual([{ v: 1, sweptAt: 7, refs: refs.slice(0, 1) }]);
  });

  const ref = { namespace: 'default', name: 'app' };
  const cases: Array<[string, unknown, string]> = [
    ['text that is not JSON', '{"v":1,', 'message body: not JSON'],
    ['an unknown version', { v: 2, sweptAt: 1, refs: [ref] }, 'message v: must be 1'],
    ['no refs', { v: 1, sweptAt: 1, refs: [] }, 'message refs: must name at least one FederatedHPA'],
    [
      'more refs than a batch holds',
      { v: 1, sweptAt: 1, refs: Array.from({ length: 101 }, () => ref) },
      'message refs: must name at most 100 FederatedHPAs',
    ],
    [
      'a namespace that is not a DNS label',
      { v: 1, sweptAt: 1, refs: [{ namespace: 'Not_A_Label', name: 'app' }] },
      'message refs.0.namespace: a lowercase RFC 1123 label must consist of',
    ],
    [
      'a name longer than Kubernetes allows',
      { v: 1, sweptAt: 1, refs: [{ namespace: 'default', name: 'a'.repeat(254) }] },
      'message refs.0.name: must be no more than 253 characters',
    ],
    ['a body over 64 KiB', 'x'.repeat(65 * 1024), 'message body: longer than 64 KiB'],
    ['no sweep time', { v: 1, refs: [ref] }, 'message sweptAt:'],
  ];
  it.each(cases)('refuses %s, naming the field', (_, body, error) => {
    const parsed = parseSweepBatch(body);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toContain(error);
  });

  it('reads a batch sent as JSON text (SQS) or as an object (Cloudflare Queues)', () => {
    const batch = { v: 1, sweptAt: 5, refs: [ref] };
    expect(parseSweepBatch(JSON.stringify(batch))).toEqual({ ok: true, batch });
    expect(parseSweepBatch(batch)).toEqual({ ok: true, batch });
  });
});

describe('fanned-out sweep', () => {
  it('lists once, enqueues batches, and consumers evaluate every FederatedHPA once', async () => {
    h = await startHarness();
    const loaded = addApps(h, 12);
    const writes: ScaleWrite[] = [];
    h.sim.onScaleWrite((w) => writes.push(w));
    const queue = memoryQueue();
    const since = h.sim.requestLog.length;

    const summary = await runFanOutScheduled(h.deps, queue, { batchSize: 5 });
    expect(summary.fanOut).toEqual({ listed: 12, enqueued: 12, batches: 3 });
    // The producer only lists (CronFederatedHPAs, then FederatedHPAs): no evaluation happens in it.
    expect(h.sim.requestLog.slice(since).map((r) => `${r.method} ${r.path.split('/').pop()}`)).toEqual([
      'GET cronfederatedhpas',
      'GET federatedhpas',
    ]);

    // Two consumers, the first taking two messages in one delivery.
    const [a, b] = [consumerDeps(h), consumerDeps(h)];
    const first = await consumeSweepBatches(a, queue.messages.slice(0, 2));
    const second = await consumeSweepBatches(b, queue.messages.slice(2));
    expect([first.retry, second.retry, first.dropped, second.dropped]).toEqual([[], [], [], []]);
    const results = [...first.results, ...second.results];
    expect(results.map((r) => r.name).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `app-${i}`).sort(),
    );
    expect(results.filter((r) => r.outcome === 'scaled').map((r) => r.name)).toEqual(loaded);
    expect(scaledPerTarget(writes)).toEqual(Object.fromEntries(loaded.map((n) => [n, [5]])));
  });

  it('scales once when the same batch is delivered twice, in turn or to two consumers at once', async () => {
    h = await startHarness();
    const { loaded, writes, queue } = await enqueuedFleet(h, 9, 9);
    const [message] = queue.messages;

    // The same message twice in one delivery: evaluated once, counted as a duplicate.
    const once = await consumeSweepBatches(consumerDeps(h), [message!, { ...message!, id: 'again' }]);
    expect(once.duplicates).toBe(9);
    expect(once.results).toHaveLength(9);
    // Delivered again later, and to two consumers at the same moment.
    h.sim.clock.advance(15_000);
    const again = await consumeSweepBatches(consumerDeps(h), [message!]);
    const racing = await Promise.all([
      consumeSweepBatches(consumerDeps(h), [message!]),
      consumeSweepBatches(consumerDeps(h), [message!]),
    ]);
    for (const r of [once, again, ...racing]) expect(r.retry).toEqual([]);
    expect(again.results.filter((r) => r.outcome === 'scaled')).toEqual([]);
    expect(racing.flatMap((r) => r.results).filter((r) => r.outcome === 'scaled')).toEqual([]);
    expect(scaledPerTarget(writes)).toEqual(Object.fromEntries(loaded.map((n) => [n, [5]])));
    for (const name of loaded) {
      const members = Object.values(h.sim.memberReplicas('default', name));
      expect(members.reduce((a, b) => a + b, 0)).toBe(5);
    }
  });

  it('loses no evaluation and scales nothing twice when a consumer dies mid-batch and the batch is redelivered', async () => {
    h = await startHarness();
    const { loaded, writes, queue } = await enqueuedFleet(h, 9, 9);

    // The first consumer dies while sending its second scale PATCH, after that evaluation saved its history:
    // from then on nothing it does reaches Karmada or the store (a dead process), and it never answers.
    let patches = 0;
    let dead = false;
    let died!: () => void;
    const death = new Promise<void>((r) => (died = r));
    const never = new Promise<never>(() => {});
    const dying: Transport = async (req) => {
      if (dead) return never;
      if (req.method === 'PATCH' && new URL(req.url).pathname.endsWith('/scale') && ++patches === 2) {
        dead = true;
        died();
        return never;
      }
      return fetch(req);
    };
    const hangAfterDeath = <T>(p: () => Promise<T>) => (dead ? never : p());
    const deadStore: HistoryStore = {
      keyString: (k) => h!.store.keyString(k),
      load: (k) => hangAfterDeath(() => h!.store.load(k)),
      loadMany: (k) => hangAfterDeath(() => h!.store.loadMany(k)),
      save: (k, hist, v) => hangAfterDeath(() => h!.store.save(k, hist, v)),
    };
    const crashed = consumeSweepBatches(
      consumerDeps(h, { transport: dying, store: deadStore }),
      queue.messages,
      {
        concurrency: 1,
      },
    );
    await Promise.race([death, crashed]);
    expect(dead).toBe(true);
    expect(writes.map((w) => w.name)).toEqual([loaded[0]]);

    // Unacknowledged, the message comes back after the queue's visibility timeout, to another consumer.
    h.sim.clock.advance(60_000);
    const redelivered = await consumeSweepBatches(consumerDeps(h), queue.messages);
    expect(redelivered.retry).toEqual([]);
    expect(redelivered.results).toHaveLength(9);
    expect(redelivered.results.every((r) => r.outcome !== 'failed')).toBe(true);
    // Every loaded workload scaled exactly once: the one scaled before the crash is not scaled again, the one
    // whose PATCH died with the consumer and those never reached are scaled by the redelivery.
    expect(scaledPerTarget(writes)).toEqual(Object.fromEntries(loaded.map((n) => [n, [5]])));
  });

  it('acks (drops) messages it cannot read, retries only messages with a retryable failure', async () => {
    h = await startHarness();
    addApps(h, 4, 100);
    const queue = memoryQueue();
    await fanOutSweep(h.deps, queue, { batchSize: 2 });
    const warnings: string[] = [];
    const deps = consumerDeps(h);
    const logged = {
      ...deps,
      log: {
        ...silentLogger,
        warn: (msg: string, f?: Record<string, unknown>) => warnings.push(`${msg}: ${f?.error}`),
      },
    };
    // The store refuses app-2's history (unreachable: retryable), so the second batch is retried; a third
    // message is junk.
    let failing = true;
    const flakyStore: HistoryStore = {
      ...h.store,
      keyString: (k) => h!.store.keyString(k),
      loadMany: (k) => h!.store.loadMany(k),
      load: (k) => h!.store.load(k),
      save: (k, hist, v) =>
        failing && k.name === 'app-2'
          ? Promise.reject(new HistoryStoreError('DynamoDB unreachable'))
          : h!.store.save(k, hist, v),
    };
    const result = await consumeSweepBatches({ ...logged, store: flakyStore }, [
      ...queue.messages,
      { id: 'junk', body: '{"v":1,"sweptAt":1,"refs":"everything"}' },
    ]);
    expect(result.dropped).toEqual(['junk']);
    expect(result.retry).toEqual(['m1']);
    expect(warnings).toContain(
      'sweep message dropped: message refs: Invalid input: expected array, received string',
    );
    // Karmada unreachable while the batch's FederatedHPAs are listed: every readable message is retried.
    const down: Transport = async () => new Response('{}', { status: 503 });
    const unlisted = await consumeSweepBatches(
      { ...logged, karmada: consumerDeps(h, { transport: down }).karmada },
      [...queue.messages, { id: 'junk', body: 'junk' }],
    );
    expect(unlisted).toMatchObject({ retry: ['m0', 'm1'], dropped: ['junk'], results: [] });
    failing = false;
    const retried = await consumeSweepBatches(consumerDeps(h), [queue.messages[1]!]);
    expect(retried.retry).toEqual([]);
  });
});
