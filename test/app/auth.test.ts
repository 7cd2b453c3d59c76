import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { authorized, constantTimeEqual, requireAuth } from '../../src/app/auth.ts';

const basic = (user: string, pass: string) => `Basic ${btoa(`${user}:${pass}`)}`;

describe('constantTimeEqual', () => {
  it.each([
    ['same', 'same', true],
    ['same', 'samf', false],
    ['short', 'shorter', false],
    ['', 'x', false],
    ['x', '', false],
    ['', '', true],
    ['ünïcødé', 'ünïcødé', true],
  ])('%j vs %j → %s', (a, b, want) => {
    expect(constantTimeEqual(a, b)).toBe(want);
  });
});

describe('authorized (Alertmanager http_config: authorization or basic_auth)', () => {
  const creds = { bearerToken: 'alertmanager-token-123', basicUser: 'am', basicPassword: 'correct-horse' };
  it.each([
    ['Bearer alertmanager-token-123', true],
    ['bearer alertmanager-token-123', true],
    ['Bearer alertmanager-token-124', false],
    ['Bearer ', false],
    ['alertmanager-token-123', false],
    [basic('am', 'correct-horse'), true],
    [basic('am', 'wrong-horse'), false],
    [basic('xx', 'correct-horse'), false],
    ['Basic !!!not-base64', false],
    [`Basic ${btoa('no-colon')}`, false],
    ['Digest abc', false],
  ])('%s → %s', (header, want) => {
    expect(authorized(header, creds)).toBe(want);
  });

  it('refuses everything when no credentials are configured', () => {
    expect(authorized('Bearer anything', {})).toBe(false);
    expect(authorized(basic('a', 'b'), {})).toBe(false);
    expect(authorized(undefined, creds)).toBe(false);
  });
});

describe('requireAuth middleware', () => {
  const app = new Hono();
  app.use('*', requireAuth({ bearerToken: 'secret-token-value' }));
  app.get('/', (c) => c.text('ok'));

  it('answers 401 without echoing the token it expected', async () => {
    const res = await app.request('/', { headers: { Authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).not.toContain('secret-token-value');
    expect(text).toContain('Authorization');
  });

  it('lets a valid token through', async () => {
    const res = await app.request('/', { headers: { Authorization: 'Bearer secret-token-value' } });
    expect(res.status).toBe(200);
  });
});
