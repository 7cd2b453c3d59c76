import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  isConflict,
  isForbidden,
  isNotFound,
  KarmadaApiError,
} from '../../src/karmada/errors.ts';
import { type CallInfo, RestClient, type RestClientOptions } from '../../src/karmada/rest-client.ts';
import { scaleSchema } from '../../src/karmada/schemas/k8s.ts';

// The HTTP core against an in-test Hono app (app.fetch is the transport: no socket). Retry rules port
// client-go's rest.Request behaviour (request_test.go#TestRequestWithRetry, TestCheckRetryClosesBody:
// Retry-After honoured on 429/5xx); error shapes follow apimachinery errors_test.go (reason → predicate).

const TOKEN = 'sekrit-token-0123456789';
const T0 = Date.parse('2026-03-01T12:00:00Z');

function status(code: number, reason: string, message: string, details?: object) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
    details,
  };
}

/** A client over `app` with fake sleep/clock/dice; records sleeps and attempts. */
function harness(app: Hono, opts: Partial<RestClientOptions> = {}) {
  const sleeps: number[] = [];
  const calls: CallInfo[] = [];
  let now = T0;
  const client = new RestClient({
    connection: { server: 'https://karmada.example:5443', token: TOKEN },
    transport: (req) => Promise.resolve(app.fetch(req)),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    now: () => now,
    observer: { call: (c) => calls.push(c) },
    ...opts,
  });
  return { client, sleeps, calls };
}

const scaleBody = { kind: 'Scale', metadata: { name: 'web', resourceVersion: '7' }, spec: { replicas: 3 } };

const getScale = (client: RestClient) =>
  client.request({
    verb: 'get',
    path: '/apis/apps/v1/namespaces/default/deployments/web/scale',
    resource: 'apps/v1/deployments default/web/scale',
    schema: scaleSchema,
  });

/** An app answering each request with the next response of `script` (the last one repeats). */
function scripted(script: (() => Response)[]) {
  let i = 0;
  const app = new Hono();
  app.all('*', () => (script[Math.min(i++, script.length - 1)] as () => Response)());
  return { app, count: () => i };
}

const json =
  (body: unknown, code = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status: code,
      headers: { 'content-type': 'application/json', ...headers },
    });

describe('retries', () => {
  it.each([
    {
      name: '503 twice then 200: full-jitter delays 0.5*200, 0.5*400',
      script: [
        json(status(503, 'ServiceUnavailable', 'x'), 503),
        json(status(503, 'ServiceUnavailable', 'x'), 503),
      ],
      sleeps: [100, 200],
    },
    {
      name: '429 with Retry-After: 3 (seconds) waits 3000 ms',
      script: [json(status(429, 'TooManyRequests', 'slow down'), 429, { 'retry-after': '3' })],
      sleeps: [3000],
    },
    {
      name: '503 with Retry-After as an HTTP-date 5 s ahead waits 5000 ms',
      script: [
        json(status(503, 'ServiceUnavailable', 'x'), 503, {
          'retry-after': new Date(T0 + 5000).toUTCString(),
        }),
      ],
      sleeps: [5000],
    },
    {
      name: 'Status.details.retryAfterSeconds when there is no header',
      script: [json(status(429, 'TooManyRequests', 'x', { retryAfterSeconds: 2 }), 429)],
      sleeps: [2000],
    },
    {
      name: '500 and 504 are retried',
      script: [json(status(500, 'InternalError', 'x'), 500), json(status(504, 'Timeout', 'x'), 504)],
      sleeps: [100, 200],
    },
  ])('$name', async ({ script, sleeps }) => {
    const { app } = scripted([...script, json(scaleBody)]);
    const h = harness(app);
    const scale = await getScale(h.client);
    expect(scale.spec?.replicas).toBe(3);
    expect(h.sleeps).toEqual(sleeps);
    expect(h.calls.map((c) => c.status)).toEqual([...script.map((s) => s().status), 200]);
  });

  it('gives up after maxAttempts with the last error and the attempt count', async () => {
    const { app, count } = scripted([json(status(500, 'InternalError', 'etcd is sad'), 500)]);
    const h = harness(app, { backoff: { maxAttempts: 4 } });
    const err = await getScale(h.client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KarmadaApiError);
    expect(err).toMatchObject({ status: 500, reason: 'InternalError', attempts: 4, verb: 'get' });
    expect((err as Error).message).toBe(
      'get apps/v1/deployments default/web/scale: 500 InternalError: etcd is sad (after 4 attempts)',
    );
    expect(count()).toBe(4);
    expect(h.sleeps).toEqual([100, 200, 400]);
  });

  it('stops when the next wait would pass the total deadline (Retry-After 60 s > 30 s deadline)', async () => {
    const { app, count } = scripted([
      json(status(429, 'TooManyRequests', 'x'), 429, { 'retry-after': '60' }),
    ]);
    const h = harness(app);
    const err = (await getScale(h.client).catch((e: unknown) => e)) as KarmadaApiError;
    expect([err.status, err.reason, err.attempts, count()]).toEqual([429, 'TooManyRequests', 1, 1]);
    expect(h.sleeps).toEqual([]);
  });

  it.each([
    { code: 400, reason: 'BadRequest' },
    { code: 403, reason: 'Forbidden' },
    { code: 404, reason: 'NotFound' },
    { code: 409, reason: 'Conflict' },
    { code: 422, reason: 'Invalid' },
    { code: 501, reason: 'NotImplemented' },
  ])('$code $reason is not retried', async ({ code, reason }) => {
    const { app, count } = scripted([json(status(code, reason, 'no'), code)]);
    const h = harness(app);
    const err = (await getScale(h.client).catch((e: unknown) => e)) as KarmadaApiError;
    expect([err.status, err.reason, err.attempts, count()]).toEqual([code, reason, 1, 1]);
  });

  it('retry: false sends exactly one request', async () => {
    const { app, count } = scripted([json(status(503, 'ServiceUnavailable', 'x'), 503)]);
    const h = harness(app);
    await expect(
      h.client.request({
        verb: 'create',
        path: '/api/v1/x',
        resource: 'v1/x',
        schema: z.unknown(),
        retry: false,
      }),
    ).rejects.toMatchObject({ status: 503, attempts: 1 });
    expect(count()).toBe(1);
  });
});

describe('timeouts and network errors', () => {
  it('a response that never comes times out per attempt and is retried', async () => {
    const app = new Hono();
    let n = 0;
    app.get('*', async (c) => {
      n++;
      if (n === 1) await new Promise(() => {}); // hangs: only the client's timeout ends it
      return c.json(scaleBody);
    });
    const h = harness(app, { timeoutMs: 30 });
    const scale = await getScale(h.client);
    expect(scale.metadata.resourceVersion).toBe('7');
    expect(h.calls.map((c) => [c.attempt, c.status])).toEqual([
      [1, 0],
      [2, 200],
    ]);
  });

  it('a timeout on every attempt ends as reason Timeout, status 0', async () => {
    const app = new Hono();
    app.get('*', () => new Promise<Response>(() => {}));
    const h = harness(app, { timeoutMs: 20, backoff: { maxAttempts: 2 } });
    const err = (await getScale(h.client).catch((e: unknown) => e)) as KarmadaApiError;
    expect(err.message).toBe(
      'get apps/v1/deployments default/web/scale: Timeout: no response within 20 ms (after 2 attempts)',
    );
    expect(err.status).toBe(0);
  });

  it('a network error is retried, then reported with its cause code', async () => {
    const h = harness(new Hono(), {
      transport: async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        });
      },
      backoff: { maxAttempts: 2 },
    });
    const err = (await getScale(h.client).catch((e: unknown) => e)) as KarmadaApiError;
    expect(err.reason).toBe('NetworkError');
    expect(err.detail).toBe('fetch failed: connect ECONNREFUSED (ECONNREFUSED)');
    expect(err.attempts).toBe(2);
  });
});

describe('errors name verb, resource and reason', () => {
  it.each([
    { code: 404, reason: 'NotFound', notFound: true, conflict: false, forbidden: false },
    { code: 409, reason: 'Conflict', notFound: false, conflict: true, forbidden: false },
    { code: 403, reason: 'Forbidden', notFound: false, conflict: false, forbidden: true },
    { code: 409, reason: 'AlreadyExists', notFound: false, conflict: false, forbidden: false },
    // apimachinery falls back to the code when the reason is not a known one.
    { code: 404, reason: '', notFound: true, conflict: false, forbidden: false },
  ])('$code $reason → isNotFound $notFound, isConflict $conflict, isForbidden $forbidden', async (row) => {
    const { app } = scripted([json(status(row.code, row.reason, 'm'), row.code)]);
    const err = await getScale(harness(app).client).catch((e: unknown) => e);
    expect([isNotFound(err), isConflict(err), isForbidden(err)]).toEqual([
      row.notFound,
      row.conflict,
      row.forbidden,
    ]);
    expect(err instanceof ConflictError).toBe(row.conflict);
  });

  it('a non-Status error body keeps a snippet and takes the reason from the code', async () => {
    const { app } = scripted([() => new Response('<html>bad gateway</html>', { status: 502 })]);
    const err = (await getScale(harness(app, { backoff: { maxAttempts: 1 } }).client).catch(
      (e: unknown) => e,
    )) as KarmadaApiError;
    expect(err.message).toBe(
      'get apps/v1/deployments default/web/scale: 502 Unknown: <html>bad gateway</html>',
    );
  });

  it('Invalid causes keep their field paths', async () => {
    const body = status(422, 'Invalid', 'bad', {
      causes: [{ field: 'spec.replicas', message: 'must be >= 0' }],
    });
    const { app } = scripted([json(body, 422)]);
    const err = (await getScale(harness(app).client).catch((e: unknown) => e)) as KarmadaApiError;
    expect(err.fields).toEqual(['spec.replicas']);
  });

  it.each([
    {
      name: 'a field of the wrong type',
      body: { metadata: { name: 'web', resourceVersion: 7 } },
      detail:
        'unexpected response body: metadata.resourceVersion: Invalid input: expected string, received number',
    },
    {
      name: 'a missing object',
      body: {},
      detail: 'unexpected response body: metadata: Invalid input: expected object, received undefined',
    },
  ])('an unexpected 200 body ($name) is InvalidResponse naming the field', async ({ body, detail }) => {
    const { app } = scripted([json(body)]);
    const err = (await getScale(harness(app).client).catch((e: unknown) => e)) as KarmadaApiError;
    expect([err.status, err.reason, err.detail]).toEqual([200, 'InvalidResponse', detail]);
  });

  it('a body over maxBodyBytes is refused', async () => {
    const { app } = scripted([json({ ...scaleBody, padding: 'x'.repeat(500) })]);
    const err = (await getScale(harness(app, { maxBodyBytes: 100 }).client).catch(
      (e: unknown) => e,
    )) as KarmadaApiError;
    expect(err.reason).toBe('InvalidResponse');
    expect(err.detail).toMatch(/exceeds the 100-byte limit$/);
  });

  it('a body that is not JSON is refused', async () => {
    const { app } = scripted([() => new Response('hello', { status: 200 })]);
    const err = (await getScale(harness(app).client).catch((e: unknown) => e)) as KarmadaApiError;
    expect(err.detail).toBe('response is not JSON: "hello"');
  });

  it('an answer marked unread is not parsed at all (the status write does not use its answer)', async () => {
    const { app } = scripted([() => new Response('hello', { status: 200 })]);
    const value = await harness(app).client.request({
      verb: 'patch',
      path: '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas/web/status',
      resource: 'federatedhpas default/web/status',
      body: { status: {} },
      schema: z.unknown(),
      unread: true,
    });
    expect(value).toEqual({});
  });
});

describe('credentials', () => {
  it('sends the bearer token and never puts it in an error, whatever the server echoes', async () => {
    const app = new Hono();
    const seen: (string | undefined)[] = [];
    app.get('/status-echo', (c) => {
      seen.push(c.req.header('authorization'));
      return c.json(status(401, 'Unauthorized', `bad header ${c.req.header('authorization')}`), 401);
    });
    app.get('/text-echo', (c) => c.text(`you sent ${c.req.header('authorization')}`, 500));
    const warnings: string[] = [];
    const h = harness(app, { backoff: { maxAttempts: 2 } });
    const errors: unknown[] = [];
    for (const path of ['/status-echo', '/text-echo']) {
      errors.push(
        await h.client
          .request({ verb: 'get', path, resource: 'x', schema: z.unknown() })
          .catch((e: unknown) => e),
      );
    }
    const network = harness(app, {
      transport: async (req) => {
        throw new Error(`boom ${req.headers.get('authorization')}`);
      },
      backoff: { maxAttempts: 1 },
    });
    errors.push(await getScale(network.client).catch((e: unknown) => e));
    expect(seen).toEqual([`Bearer ${TOKEN}`]);
    for (const e of errors) {
      warnings.push((e as Error).message, String(e), JSON.stringify(e), (e as Error).stack ?? '');
    }
    expect(warnings.filter((w) => w.includes(TOKEN))).toEqual([]);
    expect((errors[0] as Error).message).toBe('get x: 401 Unauthorized: bad header Bearer [redacted]');
  });

  it('asks getToken before each call (rotating tokens) and sends no header without a token', async () => {
    const app = new Hono();
    const seen: (string | undefined)[] = [];
    app.get('*', (c) => {
      seen.push(c.req.header('authorization'));
      return c.json(scaleBody);
    });
    let n = 0;
    const rotating = harness(app, {
      connection: { server: 'https://k', token: 'stale', getToken: async () => `tok-${++n}` },
    });
    await getScale(rotating.client);
    await getScale(rotating.client);
    await getScale(harness(app, { connection: { server: 'https://k' } }).client);
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2', undefined]);
  });
});

describe('requests', () => {
  it('joins a server path prefix, encodes the query and drops empty parameters', async () => {
    const app = new Hono();
    const urls: string[] = [];
    app.all('*', (c) => {
      urls.push(c.req.url);
      return c.json({ items: [] });
    });
    const h = harness(app, { connection: { server: 'https://gw.example/karmada/', token: TOKEN } });
    await h.client.request({
      verb: 'list',
      path: '/api/v1/namespaces/default/pods',
      resource: 'v1/pods default',
      query: { labelSelector: 'app=web,tier in (a,b)', limit: 500, continue: undefined, fieldSelector: '' },
      schema: z.unknown(),
    });
    expect(urls).toEqual([
      'https://gw.example/karmada/api/v1/namespaces/default/pods?labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29&limit=500',
    ]);
  });

  it('sends the verb as its method with the body and content type', async () => {
    const app = new Hono();
    const got: unknown[] = [];
    app.all('*', async (c) => {
      got.push([c.req.method, c.req.header('content-type'), await c.req.json()]);
      return c.json(scaleBody);
    });
    const h = harness(app);
    await h.client.request({
      verb: 'patch',
      path: '/x',
      resource: 'x',
      body: { spec: { replicas: 4 } },
      contentType: 'application/merge-patch+json',
      schema: scaleSchema,
    });
    expect(got).toEqual([['PATCH', 'application/merge-patch+json', { spec: { replicas: 4 } }]]);
  });
});
