import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { federatedHPASpecSchema } from '../../src/api/federatedhpa.ts';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';
import { FEDERATED_HPAS } from '../../src/sim/resources.ts';
import { client, FHPA_PATH, sampleFHPA } from './http-client.ts';

// The watch stream and the OpenAPI v3 documents of the simulated API server over real HTTP (issue 17.9):
// events as apiserver's watch handler sends them (one JSON object per line), resumption from a resourceVersion,
// 410 Expired for changes no longer kept, timeoutSeconds, and no watcher left behind by a client that goes away.

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ token: 'watch-token' });
  sim.applyWalkthrough();
  sim.applyFederatedHPA(sampleFHPA());
});
afterEach(() => sim.close());

interface WatchEvent {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: events carry arbitrary objects
  object: any;
}

/** Opens a watch; `next()` resolves with each event as it arrives. */
async function openWatch(query: string, signal?: AbortSignal) {
  const res = await fetch(`${sim.url}${FHPA_PATH}?watch=true${query}`, {
    headers: { authorization: `Bearer ${sim.token}` },
    ...(signal ? { signal } : {}),
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const next = async (): Promise<WatchEvent | 'end'> => {
    for (;;) {
      const nl = buffered.indexOf('\n');
      if (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        return JSON.parse(line) as WatchEvent;
      }
      const { value, done } = await reader.read();
      if (done) return 'end';
      buffered += decoder.decode(value, { stream: true });
    }
  };
  return { next, res };
}

const api = () => client(sim);
const waitForWatchers = async (n: number) => {
  for (let i = 0; i < 100 && sim.state.store.watcherCount() !== n; i++)
    await new Promise((r) => setTimeout(r, 20));
  return sim.state.store.watcherCount();
};

describe('watch', () => {
  it('opens with ADDED for what exists, then MODIFIED and DELETED with increasing resourceVersions', async () => {
    const w = await openWatch('');
    const added = await w.next();
    expect(added).toMatchObject({
      type: 'ADDED',
      object: { kind: 'FederatedHPA', metadata: { name: 'sample-app' } },
    });
    await api().patch(`${FHPA_PATH}/sample-app`, { spec: { maxReplicas: 5 } }, 'merge');
    const modified = (await w.next()) as WatchEvent;
    expect(modified.type).toBe('MODIFIED');
    expect(modified.object.spec.maxReplicas).toBe(5);
    await api().delete(`${FHPA_PATH}/sample-app`);
    const deleted = (await w.next()) as WatchEvent;
    expect(deleted.type).toBe('DELETED');
    const rvs = [added, modified, deleted].map((e) =>
      Number((e as WatchEvent).object.metadata.resourceVersion),
    );
    expect(rvs[1]).toBeGreaterThan(rvs[0] as number);
    expect(rvs[2]).toBeGreaterThan(rvs[1] as number);
    expect(String(rvs[2])).toBe(sim.state.store.resourceVersion());
  });

  it('resumes after a resourceVersion with the changes since, and nothing before', async () => {
    const rv = sim.state.store.resourceVersion();
    await api().patch(`${FHPA_PATH}/sample-app`, { spec: { maxReplicas: 6 } }, 'merge');
    const w = await openWatch(`&resourceVersion=${rv}`);
    const e = (await w.next()) as WatchEvent;
    expect(e.type).toBe('MODIFIED');
    expect(e.object.spec.maxReplicas).toBe(6);
  });

  it('answers a resourceVersion whose changes are no longer kept with an ERROR event: 410 Expired', async () => {
    // More changes than the store keeps (1000), so those after resourceVersion 1 are partly gone.
    const store = sim.state.store;
    for (let i = 0; i < 1001; i++) {
      const current = store.mustGet(FEDERATED_HPAS, 'default', 'sample-app');
      store.update(FEDERATED_HPAS, {
        ...current,
        metadata: { ...current.metadata, labels: { n: String(i) } },
      });
    }
    const w = await openWatch('&resourceVersion=1');
    const e = (await w.next()) as WatchEvent;
    expect(e).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(await w.next()).toBe('end');
  });

  it('ends the stream after timeoutSeconds and forgets the watcher', async () => {
    const w = await openWatch('&timeoutSeconds=1');
    expect(await w.next()).toMatchObject({ type: 'ADDED' });
    expect(await w.next()).toBe('end');
    expect(await waitForWatchers(0)).toBe(0);
  });

  it('forgets the watcher of a client that goes away', async () => {
    const abort = new AbortController();
    const w = await openWatch('', abort.signal);
    await w.next();
    expect(sim.state.store.watcherCount()).toBe(1);
    abort.abort();
    expect(await waitForWatchers(0)).toBe(0);
  });

  it('filters by label selector', async () => {
    const w = await openWatch('&labelSelector=team%3Dblue');
    await api().patch(`${FHPA_PATH}/sample-app`, { metadata: { labels: { team: 'red' } } }, 'merge');
    await api().patch(`${FHPA_PATH}/sample-app`, { metadata: { labels: { team: 'blue' } } }, 'merge');
    const e = (await w.next()) as WatchEvent;
    expect(e.object.metadata.labels).toEqual({ team: 'blue' });
  });
});

describe('OpenAPI v3', () => {
  it('lists a document per group-version and serves the FederatedHPA schema generated from the zod schema', async () => {
    const root = (await api().get('/openapi/v3')).body;
    const url = root.paths['apis/autoscaling.karmada.io/v1alpha1'].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/autoscaling\.karmada\.io\/v1alpha1\?hash=[0-9A-F]+$/);
    expect(root.paths['apis/apps/v1']).toBeDefined();
    const doc = (await api().get(url)).body;
    const schema = doc.components.schemas['io.karmada.autoscaling.v1alpha1.FederatedHPA'];
    expect(Object.keys(schema.properties.spec.properties).sort()).toEqual(
      Object.keys(federatedHPASpecSchema.shape).sort(),
    );
    expect(schema.properties.spec.required).toEqual(['scaleTargetRef', 'maxReplicas']);
    expect(schema['x-kubernetes-group-version-kind']).toEqual([
      { group: 'autoscaling.karmada.io', version: 'v1alpha1', kind: 'FederatedHPA' },
    ]);
    const patch =
      doc.paths['/apis/autoscaling.karmada.io/v1alpha1/namespaces/{namespace}/federatedhpas/{name}'].patch;
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect(Object.keys(patch.requestBody.content)).not.toContain('application/strategic-merge-patch+json');
  });

  it('keeps metadata fields the zod schema does not read under Strict: ObjectMeta is not the kind schema', async () => {
    const obj = sampleFHPA('with-owner');
    const metadata = {
      ...obj.metadata,
      finalizers: ['example.com/keep'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }],
    };
    const r = await api().post(`${FHPA_PATH}?fieldValidation=Strict`, { ...obj, metadata });
    expect(r.status).toBe(201);
    expect(r.body.metadata.finalizers).toEqual(['example.com/keep']);
    expect(r.body.metadata.ownerReferences[0].name).toBe('owner');
  });

  it('refuses an unknown fieldValidation value, as apimachinery does', async () => {
    const r = await api().post(`${FHPA_PATH}?fieldValidation=Loud`, sampleFHPA('x'));
    expect(r.status).toBe(422);
    expect(r.body.message).toContain(
      'Unsupported value: "Loud": supported values: "Ignore", "Strict", "Warn"',
    );
  });
});
