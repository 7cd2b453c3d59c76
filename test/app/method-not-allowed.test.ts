// A wrong method on a path the app serves is 405 with an Allow header, not 404 (issue 19.7); an unknown
// path stays 404. The methods come from the app's route table (src/app/method-not-allowed.ts).
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.ts';

const TOKEN = 'method-test-token-123';
const app = createApp({
  deps: () => {
    throw new Error('no route here reaches the pipeline');
  },
  credentials: { bearerToken: TOKEN },
  maxBodyBytes: 2048,
});
const call = (method: string, path: string, auth = true) =>
  app.fetch(
    new Request(`http://fhpa.test${path}`, {
      method,
      headers: auth ? { Authorization: `Bearer ${TOKEN}` } : {},
    }),
  );

describe('wrong method on a served path', () => {
  it.each([
    ['GET', '/evaluate/default/sample-app', 'POST'],
    ['GET', '/alerts', 'POST'],
    ['PUT', '/sweep', 'POST'],
    ['GET', '/validate-federatedhpa', 'POST'],
    ['DELETE', '/validate', 'POST'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['PATCH', '/readyz', 'GET, HEAD'],
  ])('%s %s: 405, Allow: %s', async (method, path, allow) => {
    const res = await call(method, path);
    expect([res.status, res.headers.get('Allow')]).toEqual([405, allow]);
    expect(await res.json()).toEqual({ error: `method ${method} is not allowed on ${path}: use ${allow}` });
  });

  it('HEAD on a POST route: 405 with Allow and no body', async () => {
    const res = await call('HEAD', '/evaluate/default/web');
    expect([res.status, res.headers.get('Allow'), await res.text()]).toEqual([405, 'POST', '']);
  });

  it('credentials are still checked first on the protected routes', async () => {
    expect((await call('GET', '/evaluate/default/web', false)).status).toBe(401);
  });

  it.each([
    ['GET', '/evaluate/default'],
    ['GET', '/evaluate/default/web/extra'],
    ['POST', '/validate-nothing'],
    ['GET', '/'],
  ])('%s %s: still 404 naming the request', async (method, path) => {
    const res = await call(method, path);
    expect([res.status, res.headers.get('Allow'), await res.json()]).toEqual([
      404,
      null,
      { error: `no route for ${method} ${path}` },
    ]);
  });
});
