import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIELD_MANAGER, USER_AGENT } from '../../src/karmada/rest-client.ts';
import { managerOf } from '../../src/sim/managed-fields.ts';
import { type Harness, NS, reset, startHarness, TARGET } from './sim-harness.ts';

// fhpa's writes name their manager (?fieldManager=fhpa, and a User-Agent on every request), and the
// simulator keeps metadata.managedFields as the API server's field manager does for Update operations, so
// `kubectl get -o yaml --show-managed-fields` shows which fields fhpa set.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sim.close());
beforeEach(() => reset(h));

type Entry = { manager: string; operation: string; subresource?: string; fieldsV1: unknown };
async function managedFields(path: string): Promise<Entry[]> {
  const res = await fetch(`${h.sim.url}${path}`, { headers: { authorization: `Bearer ${h.sim.token}` } });
  return ((await res.json()) as { metadata: { managedFields?: Entry[] } }).metadata.managedFields ?? [];
}
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments/sample-app';
const FHPA = '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas/sample-app';

describe('managedFields', () => {
  it('records fhpa as the manager of spec.replicas after its scale write', async () => {
    const scale = await h.adapter.getScale(NS, TARGET);
    await h.adapter.patchScale(NS, TARGET, 4, scale.resourceVersion);
    const mine = (await managedFields(DEPLOY)).filter((e) => e.manager === FIELD_MANAGER);
    expect(mine).toEqual([
      expect.objectContaining({
        manager: 'fhpa',
        operation: 'Update',
        subresource: 'scale',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      }),
    ]);
  });

  it('records fhpa as the manager of the FederatedHPA status fields it wrote', async () => {
    const fhpa = await h.adapter.getFederatedHPA(NS, 'sample-app');
    await h.adapter.updateFederatedHPAStatus(fhpa, { currentReplicas: 1, desiredReplicas: 3 });
    const entry = (await managedFields(FHPA)).find((e) => e.manager === 'fhpa' && e.subresource === 'status');
    expect(entry?.fieldsV1).toMatchObject({
      'f:status': { 'f:currentReplicas': {}, 'f:desiredReplicas': {} },
    });
  });

  it('moves a field to the manager that changed it last; an entry left empty is dropped', async () => {
    const write = (manager: string, replicas: number) =>
      fetch(`${h.sim.url}${DEPLOY}/scale?fieldManager=${manager}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${h.sim.token}`,
          'content-type': 'application/merge-patch+json',
        },
        body: JSON.stringify({ spec: { replicas } }),
      });
    expect((await write('first', 5)).status).toBe(200);
    expect((await write('second', 6)).status).toBe(200);
    const managers = (await managedFields(DEPLOY))
      .filter((e) => e.subresource === 'scale')
      .map((e) => e.manager);
    expect(managers).toContain('second');
    expect(managers).not.toContain('first');
  });

  it('names a request without fieldManager by its User-Agent up to the first slash', () => {
    expect(managerOf(undefined, 'kubectl/v1.31.3 (linux/amd64) kubernetes/c83cbee')).toBe('kubectl');
    expect(managerOf(undefined, USER_AGENT)).toBe(FIELD_MANAGER);
    expect(managerOf('kubectl-edit', 'kubectl/v1.31.3')).toBe('kubectl-edit');
    expect(managerOf(undefined, undefined)).toBeUndefined();
  });

  it('sends the User-Agent on every request and fieldManager on writes only', async () => {
    const seen: { method: string; ua: string | null; manager: string | null }[] = [];
    const adapter = h.newAdapter({
      transport: (req) => {
        const url = new URL(req.url);
        seen.push({
          method: req.method,
          ua: req.headers.get('user-agent'),
          manager: url.searchParams.get('fieldManager'),
        });
        return fetch(req);
      },
    });
    const scale = await adapter.getScale(NS, TARGET);
    await adapter.patchScale(NS, TARGET, scale.replicas + 1, scale.resourceVersion);
    expect(seen.every((s) => s.ua === USER_AGENT)).toBe(true);
    expect(seen.filter((s) => s.method === 'PATCH').map((s) => s.manager)).toEqual(['fhpa']);
    expect(seen.filter((s) => s.method === 'GET').every((s) => s.manager === null)).toBe(true);
  });
});
