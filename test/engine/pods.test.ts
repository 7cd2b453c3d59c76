// groupPods, calculatePodRequests, getReadyPodsCount (test/fixtures/engine/pods.json), and fhpa's keying of
// samples by cluster and name (karmada issue 4257).
import { describe, expect, it } from 'vitest';
import {
  calculatePodRequests,
  GO_ZERO_TIME,
  groupPods,
  type PodMetrics,
  readyPodsCount,
  resolveSampleKeys,
} from '../../src/engine/pods.ts';
import type { PodInfo } from '../../src/engine/types.ts';
import fixture from '../fixtures/engine/pods.json' with { type: 'json' };

const NOW = Date.parse('2026-01-01T00:00:00Z');
const at = (s: number | string | undefined) =>
  s === undefined ? undefined : s === 'zero' ? GO_ZERO_TIME : NOW + Number(s) * 1000;

interface FixturePod {
  name: string;
  phase: string;
  ready: boolean | null;
  start?: number;
  transition?: number;
}

function pod(p: FixturePod, cluster = 'member1'): PodInfo {
  const startTime = at(p.start);
  const readyTransitionTime = at(p.transition);
  return {
    name: p.name,
    cluster,
    phase: p.phase,
    ready: p.ready,
    ...(startTime !== undefined ? { startTime } : {}),
    ...(readyTransitionTime !== undefined ? { readyTransitionTime } : {}),
    containers: [],
  };
}

const key = (name: string) => `member1/${name}`;

describe('groupPods', () => {
  it.each(fixture.groupPods.map((c) => [`${c.source.split('#')[1]}: ${c.name}`, c] as const))(
    '%s',
    (_n, c) => {
      const metrics: PodMetrics = new Map(
        Object.entries(c.metrics as Record<string, { ts: number | string; window: number }>).map(
          ([name, m]) => [key(name), { value: 1n, timestamp: at(m.ts) as number, window: m.window * 1000 }],
        ),
      );
      const timing =
        c.timing === 'kubernetes'
          ? { now: NOW, cpuInitializationPeriodMs: 120_000, initialReadinessDelayMs: 10_000 }
          : { now: NOW, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 };
      const g = groupPods(
        (c.pods as FixturePod[]).map((p) => pod(p)),
        metrics,
        c.resource,
        timing,
      );
      const names = (s: Set<string>) => [...s].map((k) => k.slice('member1/'.length)).sort();
      expect(g.readyPodCount).toBe(c.expectReadyPodCount);
      expect(names(g.missing)).toEqual([...c.expectMissingPods].sort());
      if ('expectIgnoredOrUnreadyPods' in c) {
        expect(names(new Set([...g.unready, ...g.ignored]))).toEqual(
          [...(c.expectIgnoredOrUnreadyPods ?? [])].sort(),
        );
      } else {
        expect(names(g.unready)).toEqual([...(c.expectUnreadyPods ?? [])].sort());
        expect(names(g.ignored)).toEqual([...(c.expectIgnoredPods ?? [])].sort());
      }
    },
  );
});

describe('groupPods time edges (strict time.After)', () => {
  const timing = { now: NOW, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 };
  const sample = (ts: number): PodMetrics =>
    new Map([[key('p'), { value: 1n, timestamp: ts, window: 60_000 }]]);

  it('treats a pod started exactly one initialization period ago as initialized', () => {
    const p = pod({ name: 'p', phase: 'Running', ready: true, start: -300 });
    expect(groupPods([p], sample(GO_ZERO_TIME), 'cpu', timing).readyPodCount).toBe(1);
  });

  it('treats a pod started just inside the initialization period as initializing', () => {
    const p = pod({ name: 'p', phase: 'Running', ready: true, start: -299 });
    expect([...groupPods([p], sample(GO_ZERO_TIME), 'cpu', timing).unready]).toEqual([key('p')]);
  });
});

describe('calculatePodRequests', () => {
  it.each(fixture.calculatePodRequests.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const pods = c.pods.map((p) => ({
      ...pod({ name: p.name, phase: 'Running', ready: true }),
      containers: p.containers,
    }));
    const r = calculatePodRequests(pods as PodInfo[], c.container, c.resource);
    expect(r.ok && Object.fromEntries([...r.requests].map(([k, v]) => [k.slice(8), String(v)]))).toEqual(
      c.expected,
    );
  });

  it.each([
    [
      'a container without the request',
      '',
      { ok: false, error: 'missing request for cpu in container b of Pod p' },
    ],
    [
      'a named container absent from the pod (current Kubernetes)',
      'c',
      { ok: false, error: 'container c not found in Pod p' },
    ],
  ] as const)('errors on %s', (_n, container, want) => {
    const p: PodInfo = {
      ...pod({ name: 'p', phase: 'Running', ready: true }),
      containers: [
        { name: 'a', requests: { cpu: '100m' } },
        { name: 'b', requests: {} },
      ],
    };
    expect(calculatePodRequests([p], container, 'cpu')).toEqual(want);
  });

  it('counts restartable init containers (sidecars) but not plain init containers, as current Kubernetes', () => {
    const p: PodInfo = {
      ...pod({ name: 'p', phase: 'Running', ready: true }),
      containers: [{ name: 'app', requests: { cpu: '250m' } }],
      initContainers: [
        { name: 'sidecar', requests: { cpu: '50m' }, restartPolicy: 'Always' },
        { name: 'migrate', requests: { cpu: '1' } },
      ],
    };
    const r = calculatePodRequests([p], '', 'cpu');
    expect(r.ok && r.requests.get('member1/p')).toBe(300n);
  });
});

describe('getReadyPodsCount', () => {
  it.each(fixture.readyPodsCount.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const r = readyPodsCount((c.pods as FixturePod[]).map((p) => pod(p)));
    expect(r).toEqual(
      'expectedError' in c ? { ok: false, error: c.expectedError } : { ok: true, count: c.expectedCount },
    );
  });
});

describe('sample keys: pods are identified by cluster and name (karmada#4257)', () => {
  const pods = [
    pod({ name: 'web-0', phase: 'Running', ready: true }, 'member1'),
    pod({ name: 'web-0', phase: 'Running', ready: true }, 'member2'),
    pod({ name: 'api-0', phase: 'Running', ready: true }, 'member2'),
  ];

  it('keeps same-named pods of two clusters apart when keyed cluster/name', () => {
    const r = resolveSampleKeys({ 'member1/web-0': 1, 'member2/web-0': 2 }, pods);
    expect(r.ok && Object.fromEntries(r.samples)).toEqual({ 'member1/web-0': 1, 'member2/web-0': 2 });
  });

  it('maps a bare name to the only pod of that name', () => {
    const r = resolveSampleKeys({ 'api-0': 3 }, pods);
    expect(r.ok && Object.fromEntries(r.samples)).toEqual({ 'member2/api-0': 3 });
  });

  it('refuses a bare name that matches pods in two clusters instead of merging them', () => {
    expect(resolveSampleKeys({ 'web-0': 1 }, pods)).toEqual({
      ok: false,
      error: 'sample "web-0" matches pods named web-0 in clusters member1, member2; key it as "cluster/name"',
    });
  });

  it('prefers the cluster/name sample when both forms name one pod', () => {
    const r = resolveSampleKeys({ 'api-0': 3, 'member2/api-0': 4 }, pods);
    expect(r.ok && Object.fromEntries(r.samples)).toEqual({ 'member2/api-0': 4 });
  });

  it('keeps samples of unknown pods as extraneous, like upstream', () => {
    const r = resolveSampleKeys({ 'old-pod': 5 }, pods);
    expect(r.ok && Object.fromEntries(r.samples)).toEqual({ 'old-pod': 5 });
  });
});
