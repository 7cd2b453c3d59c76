import { afterEach, describe, expect, it } from 'vitest';
import type { Transport } from '../../src/karmada/transport.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { sweep } from '../../src/pipeline/sweep.ts';
import type { RequestLogEntry } from '../../src/sim/index.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { applyApp } from '../support/seed.ts';

// Issue 13.1: a sweep lists a namespace's workloads, bindings, and each member's workloads, pods and metrics
// once for all the namespace's evaluations (src/pipeline/sweep-reads.ts), against the simulated Karmada.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Workloads at 2 replicas with no stabilization, so a sweep scales each as its load says. */
const addApps = (harness: Harness, names: string[], labels?: (name: string) => Record<string, string>) => {
  const behavior = {
    scaleUp: { stabilizationWindowSeconds: 0 },
    scaleDown: { stabilizationWindowSeconds: 0 },
  };
  for (const name of names)
    applyApp(harness.sim, name, { behavior }, { replicas: 2, ...(labels ? { labels: labels(name) } : {}) });
};

/** Passes every request to the simulator, noting its URL. */
const recording =
  (urls: URL[]): Transport =>
  (req) => {
    urls.push(new URL(req.url));
    return fetch(req);
  };

const since = (log: readonly RequestLogEntry[], from: number) => log.slice(from);
const bare = (e: RequestLogEntry) => e.path.split('?')[0] ?? '';

describe('sweep reads', () => {
  it('lists each member’s pods once per namespace and gives each workload only the pods its selector picks', async () => {
    const urls: URL[] = [];
    h = await startHarness({ transport: recording(urls) });
    // Overlapping labels: `web` and `web-canary` share `tier: web`; each one's selector picks its own app label.
    addApps(h, ['web', 'web-canary', 'api'], (name) => ({ app: name, tier: 'web' }));
    h.sim.clock.advance(60_000);
    h.sim.setLoad('default', 'web-canary', { rps: 20 });
    const before = h.sim.requestLog.length;

    const swept = await sweep(h.deps, { concurrency: 3 });
    const byName = Object.fromEntries(swept.results.map((r) => [r.name, r]));
    expect(byName['web-canary']).toMatchObject({ outcome: 'scaled', currentReplicas: 2 });
    expect(byName.web).toMatchObject({ outcome: 'scaled', currentReplicas: 2, desiredReplicas: 1 });
    expect(byName.api).toMatchObject({ outcome: 'scaled', currentReplicas: 2, desiredReplicas: 1 });

    const log = since(h.sim.requestLog, before);
    const podLists = urls.filter((u) => /\/proxy\/api\/v1\/namespaces\/default\/pods$/.test(u.pathname));
    expect(podLists.map((u) => u.pathname).sort()).toEqual([
      '/apis/cluster.karmada.io/v1alpha1/clusters/member1/proxy/api/v1/namespaces/default/pods',
      '/apis/cluster.karmada.io/v1alpha1/clusters/member2/proxy/api/v1/namespaces/default/pods',
    ]);
    // Listed whole: no label selector on the shared list.
    expect(podLists.map((u) => u.searchParams.get('labelSelector'))).toEqual([null, null]);
    // No per-object reads of the templates, their /scale, or the members' scales.
    expect(log.filter((e) => e.method === 'GET' && /\/deployments\/[^/]+(\/scale)?$/.test(bare(e)))).toEqual(
      [],
    );
  });

  it('decides as an evaluation reading on its own does', async () => {
    const decisions = async (useSweep: boolean) => {
      const harness = await startHarness();
      try {
        addApps(harness, ['a', 'b', 'c']);
        harness.sim.clock.advance(60_000);
        harness.sim.setLoad('default', 'b', { rps: 20 });
        const results = useSweep
          ? (await sweep(harness.deps)).results
          : await Promise.all(
              ['a', 'b', 'c'].map((name) => evaluate(harness.deps, { namespace: 'default', name })),
            );
        return results.map((r) => `${r.name}:${r.outcome}:${r.currentReplicas}->${r.desiredReplicas}`).sort();
      } finally {
        await harness.close();
      }
    };
    expect(await decisions(true)).toEqual(await decisions(false));
  });

  it('falls back to each evaluation’s own reads when a shared list fails, and says so', async () => {
    // Karmada answers 500 to every namespace-wide pod list (no label selector) in member1.
    const urls: URL[] = [];
    const failing: Transport = async (req) => {
      const url = new URL(req.url);
      urls.push(url);
      if (
        url.pathname.endsWith('/clusters/member1/proxy/api/v1/namespaces/default/pods') &&
        !url.searchParams.get('labelSelector')
      )
        return new Response(
          JSON.stringify({ kind: 'Status', code: 500, reason: 'InternalError', message: 'boom' }),
          {
            status: 500,
            headers: { 'content-type': 'application/json' },
          },
        );
      return fetch(req);
    };
    h = await startHarness({ transport: failing, retries: 1 });
    addApps(h, ['a', 'b']);
    h.sim.clock.advance(60_000);
    h.sim.setLoad('default', 'a', { rps: 20 });
    const warnings: string[] = [];
    const log = { ...h.deps.log, warn: (m: string) => warnings.push(m) };

    const swept = await sweep({ ...h.deps, log }, { concurrency: 2 });
    expect(swept.countsByOutcome).toEqual({ scaled: 2 });
    expect(warnings.filter((w) => w.includes('pods member1'))).toHaveLength(1);
    // Each evaluation listed its own pods in member1, by its selector.
    const selected = urls.filter((u) =>
      u.pathname.endsWith('/clusters/member1/proxy/api/v1/namespaces/default/pods'),
    );
    expect(selected.map((u) => u.searchParams.get('labelSelector')).sort()).toEqual(['app=a', 'app=b', null]);
  });

  it('a workload scaled between the list and the PATCH gets 409 and a decision from fresh state, never a blind write', async () => {
    h = await startHarness();
    addApps(h, ['a', 'b']);
    h.sim.clock.advance(60_000);
    h.sim.setLoad('default', 'a', { rps: 20 });
    const harness = h;
    const fleet = h.deps.karmada.fleet;
    // Someone scales `a` to 3 right after the sweep listed the templates (its list says 2).
    const karmada = {
      ...h.deps.karmada,
      fleet: {
        ...fleet,
        listWorkloads: async (...args: Parameters<typeof fleet.listWorkloads>) => {
          const items = await fleet.listWorkloads(...args);
          if (args[2] === undefined) {
            const res = await fetch(
              `${harness.sim.url}/apis/apps/v1/namespaces/default/deployments/a/scale`,
              {
                method: 'PATCH',
                headers: {
                  authorization: `Bearer ${harness.sim.token}`,
                  'content-type': 'application/merge-patch+json',
                },
                body: JSON.stringify({ spec: { replicas: 3 } }),
              },
            );
            expect(res.status).toBe(200);
          }
          return items;
        },
      },
    };
    const before = h.sim.requestLog.length;
    const swept = await sweep({ ...h.deps, karmada }, { concurrency: 2 });

    const a = swept.results.find((r) => r.name === 'a');
    // Decided again from the scale as it is (3), not the listed 2.
    expect(a).toMatchObject({ outcome: 'scaled', currentReplicas: 3 });
    const patches = since(h.sim.requestLog, before).filter(
      (e) => e.method === 'PATCH' && bare(e) === '/apis/apps/v1/namespaces/default/deployments/a/scale',
    );
    // Ours: the stale one refused, then the fresh one applied (the test's own PATCH is the first, 200).
    expect(patches.map((e) => e.status)).toEqual([200, 409, 200]);
  });
});
