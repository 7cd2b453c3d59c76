import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SPAM_BURST, SPAM_REFILL_MS } from '../../src/karmada/events.ts';
import { type Harness, NS, reset, startHarness } from './sim-harness.ts';

// Events recorded as client-go's recorder does behind its EventCorrelator (tools/record/events_cache.go,
// cases after events_cache_test.go#TestEventCorrelator): the same event again is a count on the Event that
// says it, not a new Event, across invocations too (the name comes from the event key); a spam filter per
// object; `once` for failures found on every tick.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sim.close());
beforeEach(() => reset(h));

const involved = {
  apiVersion: 'autoscaling.karmada.io/v1alpha1',
  kind: 'FederatedHPA',
  namespace: NS,
  name: 'sample-app',
  uid: 'u-1',
};
const T0 = Date.parse('2026-01-01T00:05:00Z');

type Event = {
  metadata: { name: string };
  reason: string;
  message: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
};
async function events(reason?: string): Promise<Event[]> {
  const res = await fetch(`${h.sim.url}/api/v1/namespaces/default/events`, {
    headers: { authorization: `Bearer ${h.sim.token}` },
  });
  const items = ((await res.json()) as { items: Event[] }).items;
  return items.filter((e) => reason === undefined || e.reason === reason);
}

describe('event correlation', () => {
  it('counts the same event on one Event: PATCH count and lastTimestamp, firstTimestamp kept', async () => {
    const adapter = h.newAdapter();
    await adapter.recordEvent(involved, 'Warning', 'FailedGetScale', 'member down', T0);
    await adapter.recordEvent(involved, 'Warning', 'FailedGetScale', 'member down', T0 + 15_000);
    const requests = h.seen();
    const [e, ...rest] = await events('FailedGetScale');
    expect(rest).toEqual([]);
    expect(e).toMatchObject({
      count: 2,
      firstTimestamp: '2026-01-01T00:05:00Z',
      lastTimestamp: '2026-01-01T00:05:15Z',
    });
    expect(requests).toEqual([
      'POST /api/v1/namespaces/default/events 201',
      `PATCH /api/v1/namespaces/default/events/${e?.metadata.name} 200`,
    ]);
  });

  it('finds an earlier invocation’s Event by name and counts on it', async () => {
    await h.newAdapter().recordEvent(involved, 'Warning', 'FailedGetScale', 'again', T0);
    await h.newAdapter().recordEvent(involved, 'Warning', 'FailedGetScale', 'again', T0 + 60_000);
    await h.newAdapter().recordEvent(involved, 'Warning', 'FailedGetScale', 'again', T0 + 120_000);
    const found = await events('FailedGetScale');
    expect(found.filter((e) => e.message === 'again').map((e) => [e.count, e.lastTimestamp])).toEqual([
      [3, '2026-01-01T00:07:00Z'],
    ]);
  });

  it('a different message, type or object is another Event', async () => {
    const adapter = h.newAdapter();
    await adapter.recordEvent(involved, 'Warning', 'FailedRescale', 'a', T0);
    await adapter.recordEvent(involved, 'Warning', 'FailedRescale', 'b', T0);
    await adapter.recordEvent(involved, 'Normal', 'FailedRescale', 'a', T0);
    await adapter.recordEvent({ ...involved, name: 'other' }, 'Warning', 'FailedRescale', 'a', T0);
    const found = await events('FailedRescale');
    expect(found.map((e) => e.count)).toEqual([1, 1, 1, 1]);
    expect(new Set(found.map((e) => e.metadata.name)).size).toBe(4);
  });

  it('creates the Event again when the one it counted on has expired', async () => {
    const adapter = h.newAdapter();
    await adapter.recordEvent(involved, 'Warning', 'FailedGetScale', 'ttl', T0);
    const [e] = (await events('FailedGetScale')).filter((x) => x.message === 'ttl');
    await fetch(`${h.sim.url}/api/v1/namespaces/default/events/${e?.metadata.name}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${h.sim.token}` },
    });
    await adapter.recordEvent(involved, 'Warning', 'FailedGetScale', 'ttl', T0 + 3_600_000);
    const again = (await events('FailedGetScale')).filter((x) => x.message === 'ttl');
    expect(again.map((x) => [x.count, x.firstTimestamp])).toEqual([[1, '2026-01-01T01:05:00Z']]);
  });

  it('lets 25 events about one object through, then one per 5 minutes (the spam filter)', async () => {
    const adapter = h.newAdapter();
    for (let i = 0; i < SPAM_BURST + 5; i++)
      await adapter.recordEvent(involved, 'Warning', 'FailedGetPodsMetric', `m${i}`, T0);
    expect(await events('FailedGetPodsMetric')).toHaveLength(SPAM_BURST);
    await adapter.recordEvent(involved, 'Warning', 'FailedGetPodsMetric', 'late', T0 + SPAM_REFILL_MS);
    await adapter.recordEvent(involved, 'Warning', 'FailedGetPodsMetric', 'later', T0 + SPAM_REFILL_MS);
    expect(await events('FailedGetPodsMetric')).toHaveLength(SPAM_BURST + 1);
    // Another object has its own budget.
    await adapter.recordEvent({ ...involved, name: 'other' }, 'Warning', 'FailedGetPodsMetric', 'x', T0);
    expect(await events('FailedGetPodsMetric')).toHaveLength(SPAM_BURST + 2);
  });

  it('records a `once` event once, in the same invocation and in a later one', async () => {
    const first = h.newAdapter();
    await first.recordEvent(involved, 'Warning', 'StartRuleFailed', 'r: bad', T0, { once: true });
    h.resetSeen();
    await first.recordEvent(involved, 'Warning', 'StartRuleFailed', 'r: bad', T0 + 60_000, { once: true });
    expect(h.seen()).toEqual([]);
    await h.newAdapter().recordEvent(involved, 'Warning', 'StartRuleFailed', 'r: bad', T0 + 120_000, {
      once: true,
    });
    expect(h.seen()).toEqual(['POST /api/v1/namespaces/default/events 409']);
    expect((await events('StartRuleFailed')).map((e) => e.count)).toEqual([1]);
  });
});
