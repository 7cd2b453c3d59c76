import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, AdmissionResponse } from '../../src/api/admission-review.ts';
import { admissionRoutes } from '../../src/app/admission.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const GROUP = 'autoscaling.karmada.io';

const fhpa = (
  spec: Record<string, unknown>,
  meta: Record<string, unknown> = { name: 'sample-app', namespace: 'default' },
) => ({
  apiVersion: `${GROUP}/v1alpha1`,
  kind: 'FederatedHPA',
  metadata: meta,
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
    minReplicas: 1,
    maxReplicas: 10,
    ...spec,
  },
});
const cron = {
  apiVersion: `${GROUP}/v1alpha1`,
  kind: 'CronFederatedHPA',
  metadata: { name: 'nightly', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
    rules: [{ name: 'night', schedule: '0 0 13 *', timeZone: 'UTC', targetReplicas: 1 }],
  },
};

function review(kind: string, object: unknown, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: GROUP, version: 'v1alpha1', kind },
      resource: { group: GROUP, version: 'v1alpha1', resource: `${kind.toLowerCase()}s` },
      namespace: 'default',
      operation: 'CREATE',
      userInfo: { username: 'admin' },
      object,
      ...extra,
    },
  };
}

async function post(
  path: string,
  body: unknown,
  opts: Parameters<typeof admissionRoutes>[0] = {},
  headers: Record<string, string> = {},
) {
  const app = admissionRoutes({ now: () => NOW, ...opts });
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('admission: AdmissionReview v1 in and out', () => {
  it('allows a valid FederatedHPA, echoing the uid', async () => {
    const res = await post('/validate-federatedhpa', review('FederatedHPA', fhpa({})));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true, status: { code: 200 } },
    });
  });

  it('denies like admission.Denied: 403, Forbidden, every field error in the message', async () => {
    const res = await post(
      '/validate-federatedhpa',
      review(
        'FederatedHPA',
        fhpa({
          minReplicas: 5,
          maxReplicas: 3,
          behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 0 }] } },
        }),
      ),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response: AdmissionResponse };
    expect(body.response).toEqual({
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      allowed: false,
      status: {
        code: 403,
        reason: 'Forbidden',
        message:
          '[spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`, spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero]',
      },
    });
  });

  it('returns warnings for a valid but probably wrong spec', async () => {
    const res = await post('/validate', review('FederatedHPA', fhpa({ minReplicas: 4, maxReplicas: 4 })));
    const body = (await res.json()) as { response: AdmissionResponse };
    expect(body.response.allowed).toBe(true);
    expect(body.response.warnings).toEqual([
      'spec.minReplicas equals spec.maxReplicas (4): the FederatedHPA can never scale',
    ]);
  });

  it('validates CronFederatedHPA on its own path and on /validate', async () => {
    for (const path of ['/validate-cronfederatedhpa', '/validate']) {
      const body = (await (await post(path, review('CronFederatedHPA', cron))).json()) as {
        response: AdmissionResponse;
      };
      expect(body.response.allowed).toBe(false);
      expect(body.response.status?.message).toBe(
        'spec.rules[0].schedule: Invalid value: "0 0 13 *": invalid cron format',
      );
      expect(body.response.warnings).toEqual([
        'spec.rules[0].schedule: expected 5 fields (minute hour day-of-month month day-of-week), found 4',
      ]);
    }
  });

  it('validates UPDATE like CREATE (the new object)', async () => {
    const body = (await (
      await post(
        '/validate',
        review('FederatedHPA', fhpa({ maxReplicas: 0 }), { operation: 'UPDATE', oldObject: fhpa({}) }),
      )
    ).json()) as {
      response: AdmissionResponse;
    };
    expect(body.response.allowed).toBe(false);
  });

  it.each([
    ['DELETE', { operation: 'DELETE', object: null, oldObject: fhpa({ maxReplicas: 0 }) }],
    ['CONNECT', { operation: 'CONNECT' }],
  ])('lets %s through untouched', async (_op, extra) => {
    const body = (await (
      await post('/validate', review('FederatedHPA', fhpa({ maxReplicas: 0 }), extra))
    ).json()) as { response: AdmissionResponse };
    expect(body.response).toEqual({
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      allowed: true,
      status: { code: 200 },
    });
  });

  it('lets other kinds through untouched', async () => {
    const deployment = { ...review('Deployment', { kind: 'Deployment' }) };
    deployment.request.kind = { group: 'apps', version: 'v1', kind: 'Deployment' };
    const r = (await (await post('/validate', deployment)).json()) as { response: AdmissionResponse };
    expect(r.response.allowed).toBe(true);
  });

  // Issue 19.7: it used to be allowed unchecked.
  it('refuses the other fhpa kind on a kind-specific path, naming the right one', async () => {
    const r = (await (await post('/validate-federatedhpa', review('CronFederatedHPA', cron))).json()) as {
      response: AdmissionResponse;
    };
    expect(r.response).toMatchObject({
      allowed: false,
      status: {
        code: 403,
        message:
          'this path validates FederatedHPA, not CronFederatedHPA: register CronFederatedHPA with /validate-cronfederatedhpa or /validate',
      },
    });
  });

  it('honours dryRun: the same answer, and nothing reported', async () => {
    const seen: AdmissionRequest[] = [];
    const onReview = (req: AdmissionRequest) => seen.push(req);
    const bad = fhpa({ maxReplicas: 0 });
    const dry = (await (
      await post('/validate', review('FederatedHPA', bad, { dryRun: true }), { onReview })
    ).json()) as { response: AdmissionResponse };
    expect(dry.response.allowed).toBe(false);
    expect(seen).toHaveLength(0);
    await post('/validate', review('FederatedHPA', bad), { onReview });
    expect(seen.map((r) => r.uid)).toEqual(['705ab4f5-6393-11e8-b7cc-42010a800002']);
  });

  it('takes the namespace from the request when the object has none', async () => {
    const body = (await (
      await post('/validate', review('FederatedHPA', fhpa({}, { name: 'sample-app' })))
    ).json()) as { response: AdmissionResponse };
    expect(body.response.allowed).toBe(true);
  });
});

describe('admission: bad requests never crash or hang', () => {
  const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

  it('400 for a body that is not JSON, naming the position', async () => {
    const res = await post('/validate', '{"apiVersion": "admission.k8s.io/v1",');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/^request body is not valid JSON: .*position 37/);
  });

  it('400 for an empty body', async () => {
    const res = await post('/validate', '');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe('request body is empty: expected JSON');
  });

  it.each([
    [
      'wrong apiVersion',
      { ...review('FederatedHPA', fhpa({})), apiVersion: 'admission.k8s.io/v1beta1' },
      'apiVersion: must be "admission.k8s.io/v1"',
    ],
    [
      'wrong kind',
      { ...review('FederatedHPA', fhpa({})), kind: 'TokenReview' },
      'kind: must be "AdmissionReview"',
    ],
    [
      'no request',
      { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' },
      'request: Invalid input: expected object, received undefined',
    ],
    [
      'an empty uid',
      review('FederatedHPA', fhpa({}), { uid: '' }),
      'request.uid: must be the non-empty uid of the request',
    ],
    [
      'an unknown operation',
      review('FederatedHPA', fhpa({}), { operation: 'PATCH' }),
      'request.operation: Invalid option: expected one of "CREATE"|"UPDATE"|"DELETE"|"CONNECT"',
    ],
    ['a JSON array', [1, 2], '(body): Invalid input: expected object, received array'],
  ])('400 for %s, naming the field', async (_what, body, detail) => {
    const res = await post('/validate', body);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe(`request body does not match the expected shape: ${detail}`);
  });

  it('400 for CREATE without an object', async () => {
    const res = await post('/validate', review('FederatedHPA', undefined));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe('request.object is required for CREATE');
  });

  it('413 when Content-Length announces too much', async () => {
    const res = await post('/validate', review('FederatedHPA', fhpa({})), { maxBodyBytes: 100 });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toBe('request body is larger than 100 bytes');
  });

  it('the app passes FHPA_MAX_BODY_BYTES on to the admission routes', async () => {
    const { createApp } = await import('../../src/app/app.ts');
    const app = createApp({
      deps: () => {
        throw new Error('admission needs no pipeline');
      },
      credentials: {},
      maxBodyBytes: 2048,
    });
    const res = await app.fetch(
      new Request('http://fhpa.test/validate-federatedhpa', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ padding: 'p'.repeat(4096) }),
      }),
    );
    expect(res.status).toBe(413);
  });

  it('413 for an oversized streamed body without Content-Length', async () => {
    const app = admissionRoutes({ maxBodyBytes: 1024 });
    const chunk = new TextEncoder().encode(`{"pad":"${'x'.repeat(600)}`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Endless unless the reader stops: the route must cancel it after 1 KiB.
        sent += 1;
        controller.enqueue(chunk);
        if (sent > 1000) controller.close();
      },
    });
    const req = new Request('http://fhpa.test/validate', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(req.headers.get('content-length')).toBeNull();
    const res = await app.request(req);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(10);
  });

  it('415 for a content type that is not JSON', async () => {
    const res = await post(
      '/validate',
      review('FederatedHPA', fhpa({})),
      {},
      { 'content-type': 'text/plain' },
    );
    expect(res.status).toBe(415);
    expect(await errorOf(res)).toBe('content type "text/plain" is not JSON: send application/json');
  });

  it('accepts the default 1 MiB limit for a normal review', async () => {
    const res = await post('/validate', review('FederatedHPA', fhpa({})));
    expect(res.status).toBe(200);
  });
});
