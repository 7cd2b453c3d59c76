import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';
import { client, FHPA_PATH, sampleFHPA } from './http-client.ts';

// Kubernetes REST semantics of the simulated Karmada API server, over real HTTP: the generic registry's
// CRUD, optimistic concurrency and status subresource (apiserver/pkg/registry/generic/registry/
// store_test.go: TestStoreCreate, TestStoreUpdate "stale resourceVersion", TestStoreDelete
// preconditions), Status bodies (apimachinery/pkg/api/errors/errors_test.go#TestNewXXX), pagination and
// discovery.

let sim: Simulator;
let api: ReturnType<typeof client>;
beforeEach(async () => {
  sim = await startSimulator({ token: 'secret-token' });
  api = client(sim);
});
afterEach(() => sim.close());

describe('authentication', () => {
  it.each([
    ['without a token', null],
    ['with a wrong token', 'wrong-token'],
  ])('answers 401 Unauthorized %s, never echoing the token', async (_how, token) => {
    const r = await client(sim, token).get(FHPA_PATH);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect(JSON.stringify(r.body)).not.toContain('secret-token');
  });

  it('lets everything through when started open', async () => {
    const open = await startSimulator({ open: true });
    try {
      expect((await client(open, null).get('/api')).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('FederatedHPA CRUD', () => {
  it('creates with uid, resourceVersion, generation 1 and the simulated creation time', async () => {
    const r = await api.post(FHPA_PATH, sampleFHPA());
    expect(r.status).toBe(201);
    expect(r.body.metadata).toMatchObject({
      name: 'sample-app',
      namespace: 'default',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
    });
    expect(r.body.metadata.uid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const got = await api.get(`${FHPA_PATH}/sample-app`);
    expect(got.body).toEqual(r.body);
  });

  it('answers a second create with 409 AlreadyExists', async () => {
    await api.post(FHPA_PATH, sampleFHPA());
    const r = await api.post(FHPA_PATH, sampleFHPA());
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'federatedhpas.autoscaling.karmada.io "sample-app" already exists',
      reason: 'AlreadyExists',
      details: { name: 'sample-app', group: 'autoscaling.karmada.io', kind: 'federatedhpas' },
      code: 409,
    });
  });

  it('answers a missing object with the 404 NotFound Status', async () => {
    const r = await api.get(`${FHPA_PATH}/nope`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'federatedhpas.autoscaling.karmada.io "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'autoscaling.karmada.io', kind: 'federatedhpas' },
      code: 404,
    });
  });

  it('validates against the FederatedHPA schema with one cause per field (422 Invalid)', async () => {
    const bad = sampleFHPA();
    const { maxReplicas: _drop, ...spec } = bad.spec;
    const r = await api.post(FHPA_PATH, { ...bad, spec });
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    expect(r.body.details.causes).toEqual([
      { reason: 'FieldValueRequired', message: expect.any(String), field: 'spec.maxReplicas' },
    ]);
    expect(r.body.message).toMatch(
      /^FederatedHPA\.autoscaling\.karmada\.io "sample-app" is invalid: spec\.maxReplicas: /,
    );
  });

  it.each([
    [
      'apiVersion',
      { apiVersion: 'autoscaling.karmada.io/v1beta1' },
      'the API version in the data (autoscaling.karmada.io/v1beta1) does not match the expected API version (autoscaling.karmada.io/v1alpha1)',
    ],
    [
      'namespace',
      { metadata: { name: 'sample-app', namespace: 'other' } },
      'the namespace of the provided object does not match the namespace sent on the request',
    ],
  ])('refuses a body whose %s does not match the URL with 400', async (_field, override, message) => {
    const r = await api.post(FHPA_PATH, { ...sampleFHPA(), ...override });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ reason: 'BadRequest', message, code: 400 });
  });

  it('PUT: stale resourceVersion → 409, missing → 422 (custom resources), current → applied with generation+1', async () => {
    const created = (await api.post(FHPA_PATH, sampleFHPA())).body;
    const changed = { ...created, spec: { ...created.spec, maxReplicas: 20 } };
    const stale = await api.put(`${FHPA_PATH}/sample-app`, {
      ...changed,
      metadata: { ...created.metadata, resourceVersion: '1' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on federatedhpas.autoscaling.karmada.io "sample-app": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(stale.body.reason).toBe('Conflict');
    const { resourceVersion: _rv, ...metaWithout } = created.metadata;
    const missing = await api.put(`${FHPA_PATH}/sample-app`, { ...changed, metadata: metaWithout });
    expect(missing.status).toBe(422);
    expect(missing.body.details.causes[0]).toEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: 0x0: must be specified for an update',
      field: 'metadata.resourceVersion',
    });
    const ok = await api.put(`${FHPA_PATH}/sample-app`, changed);
    expect(ok.status).toBe(200);
    expect(ok.body.spec.maxReplicas).toBe(20);
    expect(ok.body.metadata.generation).toBe(2);
    expect(Number(ok.body.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
  });

  it('keeps status out of main-resource writes and spec out of /status writes', async () => {
    const created = (await api.post(FHPA_PATH, { ...sampleFHPA(), status: { desiredReplicas: 9 } })).body;
    expect(created.status).toBeUndefined();
    const status = {
      currentReplicas: 1,
      desiredReplicas: 4,
      lastScaleTime: '2026-01-01T00:00:00Z',
      conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' }],
    };
    const r = await api.put(`${FHPA_PATH}/sample-app/status`, {
      ...created,
      spec: { ...created.spec, maxReplicas: 99 },
      status,
    });
    expect(r.status).toBe(200);
    expect(r.body.status).toEqual(status);
    expect(r.body.spec.maxReplicas).toBe(10);
    expect(r.body.metadata.generation).toBe(1);
    const main = await api.patch(`${FHPA_PATH}/sample-app`, {
      status: { desiredReplicas: 1 },
      spec: { maxReplicas: 12 },
    });
    expect(main.body.status.desiredReplicas).toBe(4);
    expect(main.body.spec.maxReplicas).toBe(12);
    expect(main.body.metadata.generation).toBe(2);
  });

  it('status merge patch: applies without a resourceVersion, 409 with a stale one', async () => {
    await api.post(FHPA_PATH, sampleFHPA());
    const ok = await api.patch(`${FHPA_PATH}/sample-app/status`, {
      status: { desiredReplicas: 3, currentReplicas: 1 },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toEqual({ desiredReplicas: 3, currentReplicas: 1 });
    const stale = await api.patch(`${FHPA_PATH}/sample-app/status`, {
      metadata: { resourceVersion: '2' },
      status: { desiredReplicas: 5 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    const strategic = await api.patch(
      `${FHPA_PATH}/sample-app/status`,
      { metadata: { resourceVersion: ok.body.metadata.resourceVersion }, status: { desiredReplicas: 5 } },
      'strategic',
    );
    // A custom resource has no strategic merge patch (apiextensions-apiserver): 415.
    expect(strategic.status).toBe(415);
    expect(strategic.body.message).toBe(
      'the body of the request was in an unknown format (application/strategic-merge-patch+json) - accepted media types include: application/json-patch+json, application/merge-patch+json',
    );
  });

  it('status JSON patch honours `test` (422 when it fails)', async () => {
    await api.post(FHPA_PATH, sampleFHPA());
    await api.patch(`${FHPA_PATH}/sample-app/status`, { status: { desiredReplicas: 3 } });
    const ok = await api.patch(
      `${FHPA_PATH}/sample-app/status`,
      [
        { op: 'test', path: '/status/desiredReplicas', value: 3 },
        { op: 'replace', path: '/status/desiredReplicas', value: 6 },
      ],
      'json',
    );
    expect(ok.status).toBe(200);
    expect(ok.body.status.desiredReplicas).toBe(6);
    const failed = await api.patch(
      `${FHPA_PATH}/sample-app/status`,
      [{ op: 'test', path: '/status/desiredReplicas', value: 3 }],
      'json',
    );
    expect(failed.status).toBe(422);
    expect(failed.body.message).toMatch(/testing value \/status\/desiredReplicas failed/);
  });

  it.each([
    ['server-side apply', 'application/apply-patch+yaml', 415],
    ['a JSON patch that is not an array', 'json', 400],
  ])('refuses %s', async (_what, type, code) => {
    await api.post(FHPA_PATH, sampleFHPA());
    const r = await api.patch(`${FHPA_PATH}/sample-app`, { spec: {} }, type);
    expect(r.status).toBe(code);
  });

  it('deletes with preconditions checked and a Success Status', async () => {
    const created = (await api.post(FHPA_PATH, sampleFHPA())).body;
    const stale = await api.delete(`${FHPA_PATH}/sample-app`, { preconditions: { resourceVersion: '1' } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe(
      `Operation cannot be fulfilled on federatedhpas.autoscaling.karmada.io "sample-app": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${created.metadata.resourceVersion}`,
    );
    const malformed = await api.delete(`${FHPA_PATH}/sample-app`, { preconditions: { uid: 5 } });
    expect(malformed.status).toBe(422);
    expect(malformed.body.details.causes[0].field).toBe('preconditions.uid');
    const r = await api.delete(`${FHPA_PATH}/sample-app`);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: 'sample-app',
        group: 'autoscaling.karmada.io',
        kind: 'federatedhpas',
        uid: created.metadata.uid,
      },
    });
    expect((await api.get(`${FHPA_PATH}/sample-app`)).status).toBe(404);
  });

  it('serves CronFederatedHPAs the same way', async () => {
    const cron = {
      apiVersion: 'autoscaling.karmada.io/v1alpha1',
      kind: 'CronFederatedHPA',
      metadata: { name: 'nightly' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
        rules: [{ name: 'down', schedule: '0 22 * * *', targetReplicas: 1 }],
      },
    };
    const path = '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/cronfederatedhpas';
    expect((await api.post(path, cron)).status).toBe(201);
    const r = await api.patch(`${path}/nightly/status`, {
      status: { executionHistories: [{ ruleName: 'down' }] },
    });
    expect(r.body.status).toEqual({ executionHistories: [{ ruleName: 'down' }] });
    expect(
      (await api.get('/apis/autoscaling.karmada.io/v1alpha1/cronfederatedhpas')).body.items.map(
        (i: { metadata: { name: string } }) => i.metadata.name,
      ),
    ).toEqual(['nightly']);
  });
});

describe('lists', () => {
  beforeEach(async () => {
    for (const [ns, name, tier] of [
      ['default', 'a', 'web'],
      ['default', 'b', 'db'],
      ['default', 'c', 'web'],
      ['team', 'd', 'web'],
      ['team', 'e', 'cache'],
    ] as const) {
      const obj = {
        ...sampleFHPA(name, ns),
        metadata: { name, namespace: ns, labels: { tier, ...(name === 'c' ? { canary: 'true' } : {}) } },
      };
      expect(
        (await api.post(`/apis/autoscaling.karmada.io/v1alpha1/namespaces/${ns}/federatedhpas`, obj)).status,
      ).toBe(201);
    }
  });

  it('pages a cluster-wide list with limit and continue, in namespace/name order', async () => {
    const names: string[][] = [];
    let token = '';
    do {
      const r = await api.get(
        `/apis/autoscaling.karmada.io/v1alpha1/federatedhpas?limit=2${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      expect(r.body.kind).toBe('FederatedHPAList');
      names.push(
        r.body.items.map(
          (i: { metadata: { namespace: string; name: string } }) =>
            `${i.metadata.namespace}/${i.metadata.name}`,
        ),
      );
      token = r.body.metadata.continue ?? '';
    } while (token);
    expect(names).toEqual([['default/a', 'default/b'], ['default/c', 'team/d'], ['team/e']]);
  });

  it('pages through objects created and deleted between its pages, as the store holds them then', async () => {
    const CLUSTER_WIDE = '/apis/autoscaling.karmada.io/v1alpha1/federatedhpas';
    const page = async (token = '') => {
      const r = await api.get(
        `${CLUSTER_WIDE}?limit=2${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      return {
        names: r.body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
        token: (r.body.metadata.continue ?? '') as string,
        remaining: r.body.metadata.remainingItemCount as number | undefined,
      };
    };
    const first = await page();
    expect(first).toMatchObject({ names: ['a', 'b'], remaining: 3 });
    // Between pages: one object added after the token's key, one before it, one ahead deleted.
    expect((await api.post(FHPA_PATH, sampleFHPA('bb'))).status).toBe(201);
    expect((await api.post(FHPA_PATH, sampleFHPA('aa'))).status).toBe(201);
    expect((await api.delete(`${FHPA_PATH}/c`)).status).toBe(200);
    const second = await page(first.token);
    expect(second).toMatchObject({ names: ['bb', 'd'], remaining: 1 });
    expect(await page(second.token)).toMatchObject({ names: ['e'], token: '' });
  });

  it('filters by label selector, namespace-scoped and cluster-wide', async () => {
    const pick = (r: { body: { items: { metadata: { name: string } }[] } }) =>
      r.body.items.map((i) => i.metadata.name);
    expect(pick(await api.get(`${FHPA_PATH}?labelSelector=${encodeURIComponent('tier=web')}`))).toEqual([
      'a',
      'c',
    ]);
    expect(
      pick(
        await api.get(
          `/apis/autoscaling.karmada.io/v1alpha1/federatedhpas?labelSelector=${encodeURIComponent('tier in (web,cache),!canary')}`,
        ),
      ),
    ).toEqual(['a', 'd', 'e']);
    const bad = await api.get(`${FHPA_PATH}?labelSelector=${encodeURIComponent('tier in (web')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe('BadRequest');
  });
});

describe('events', () => {
  it('records core/v1 Events and lists them by field selector', async () => {
    const event = (reason: string, type: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: 'sample-app.' },
      involvedObject: {
        apiVersion: 'autoscaling.karmada.io/v1alpha1',
        kind: 'FederatedHPA',
        namespace: 'default',
        name: 'sample-app',
      },
      reason,
      message: 'New size: 4; reason: pods metric http_requests above target',
      type,
      source: { component: 'fhpa' },
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
      count: 1,
    });
    const r = await api.post('/api/v1/namespaces/default/events', event('SuccessfulRescale', 'Normal'));
    expect(r.status).toBe(201);
    expect(r.body.metadata.name).toMatch(/^sample-app\.[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    await api.post('/api/v1/namespaces/default/events', event('FailedGetScale', 'Warning'));
    const list = await api.get(
      `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('involvedObject.name=sample-app,type=Warning')}`,
    );
    expect(list.body.items.map((e: { reason: string }) => e.reason)).toEqual(['FailedGetScale']);
  });
});

describe('discovery', () => {
  it('lists every group with its preferred version; custom metrics prefer v1beta2 over v1beta1', async () => {
    const r = await api.get('/apis');
    expect(r.body.kind).toBe('APIGroupList');
    const groups = Object.fromEntries(
      r.body.groups.map(
        (g: { name: string; versions: { version: string }[]; preferredVersion: { version: string } }) => [
          g.name,
          [g.preferredVersion.version, g.versions.map((v) => v.version)],
        ],
      ),
    );
    expect(groups).toEqual({
      apps: ['v1', ['v1']],
      'autoscaling.karmada.io': ['v1alpha1', ['v1alpha1']],
      'policy.karmada.io': ['v1alpha1', ['v1alpha1']],
      'work.karmada.io': ['v1alpha2', ['v1alpha2']],
      'cluster.karmada.io': ['v1alpha1', ['v1alpha1']],
      'rbac.authorization.k8s.io': ['v1', ['v1']],
      'metrics.k8s.io': ['v1beta1', ['v1beta1']],
      'custom.metrics.k8s.io': ['v1beta2', ['v1beta2', 'v1beta1']],
      'external.metrics.k8s.io': ['v1beta1', ['v1beta1']],
    });
    expect((await api.get('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  it('lists subresources: deployments/scale as autoscaling/v1 Scale, federatedhpas/status', async () => {
    const apps = (await api.get('/apis/apps/v1')).body;
    expect(apps.resources.find((r: { name: string }) => r.name === 'deployments/scale')).toEqual({
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    const fhpa = (await api.get('/apis/autoscaling.karmada.io/v1alpha1')).body;
    expect(fhpa.resources.map((r: { name: string }) => r.name)).toEqual([
      'federatedhpas',
      'federatedhpas/status',
      'cronfederatedhpas',
      'cronfederatedhpas/status',
    ]);
    const core = (await api.get('/api/v1')).body;
    expect(core.resources.map((r: { name: string }) => r.name)).toEqual([
      'namespaces',
      'events',
      'serviceaccounts',
      'pods', // the control plane's own, always empty (control-plane-pods.ts)
    ]);
  });

  it('answers an unknown path with the generic 404 Status', async () => {
    const r = await api.get('/apis/nope.example.com/v1');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
  });
});

it('refuses a body over the 3 MiB limit with 413', async () => {
  const r = await api.post(FHPA_PATH, {
    ...sampleFHPA(),
    metadata: { name: 'big', annotations: { pad: 'x'.repeat(3 * 1024 * 1024) } },
  });
  expect(r.status).toBe(413);
  expect(r.body.reason).toBe('RequestEntityTooLarge');
});
