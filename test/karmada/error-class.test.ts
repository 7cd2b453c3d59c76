import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isNotFound, isPermanent, isTransient, mayRetry } from '../../src/karmada/errors.ts';
import { RestClient } from '../../src/karmada/rest-client.ts';
import { createLogger } from '../../src/log.ts';

// Which failures from Karmada are permanent (a misconfiguration only the operator can fix: answered 4xx to
// Alertmanager, which then stops retrying) and which are transient (503 + Retry-After, retried). Each row is
// the answer an API server really gives, through the REST client that parses it.

const status = (code: number, reason: string, message: string, details: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ kind: 'Status', status: 'Failure', code, reason, message, details }), {
    status: code,
    headers: { 'content-type': 'application/json' },
  });

const rows: Array<{ case: string; answer: () => Response | Error; permanent: boolean; transient: boolean }> =
  [
    {
      case: '401 Unauthorized (token refused)',
      answer: () => status(401, 'Unauthorized', 'Unauthorized'),
      permanent: true,
      transient: false,
    },
    {
      case: '403 Forbidden (RBAC)',
      answer: () => status(403, 'Forbidden', 'federatedhpas is forbidden', { kind: 'federatedhpas' }),
      permanent: true,
      transient: false,
    },
    {
      case: '404 naming no object (CRD not installed)',
      answer: () => status(404, 'NotFound', 'the server could not find the requested resource'),
      permanent: true,
      transient: false,
    },
    {
      case: '404 plain text (group not served)',
      answer: () => new Response('404 page not found', { status: 404 }),
      permanent: true,
      transient: false,
    },
    {
      case: '404 of an object',
      answer: () =>
        status(404, 'NotFound', 'federatedhpas "web" not found', { name: 'web', kind: 'federatedhpas' }),
      permanent: false,
      transient: false,
    },
    {
      case: 'TLS verification failure',
      answer: () =>
        Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('unable to verify the first certificate'), {
            code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
          }),
        }),
      permanent: true,
      transient: false,
    },
    {
      case: 'connection refused',
      answer: () =>
        Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        }),
      permanent: false,
      transient: true,
    },
    {
      case: '429 throttled',
      answer: () => status(429, 'TooManyRequests', 'slow down'),
      permanent: false,
      transient: true,
    },
    // Issue 18: a refusal of the request as it stands is not retried (Alertmanager would retry it forever).
    ...[400, 413, 414, 422, 431].map((code) => ({
      case: `${code} refusal of the request`,
      answer: () => status(code, 'BadRequest', 'refused'),
      permanent: true,
      transient: false,
    })),
    {
      case: '408 request timeout',
      answer: () => status(408, 'Timeout', 'timed out'),
      permanent: false,
      transient: false,
    },
    { case: '500', answer: () => status(500, 'InternalError', 'etcd'), permanent: false, transient: true },
    {
      case: '503',
      answer: () => status(503, 'ServiceUnavailable', 'down'),
      permanent: false,
      transient: true,
    },
  ];

describe('classifying Karmada failures', () => {
  it.each(rows)('$case', async (row) => {
    const client = new RestClient({
      connection: { server: 'https://karmada.test' },
      transport: async () => {
        const a = row.answer();
        if (a instanceof Error) throw a;
        return a;
      },
      backoff: { maxAttempts: 1 },
    });
    const err = await client
      .request({ verb: 'get', path: '/apis/x', resource: 'x', schema: z.unknown() })
      .catch((e: unknown) => e);
    expect(isPermanent(err)).toBe(row.permanent);
    expect(isTransient(err)).toBe(row.transient);
    expect(mayRetry(err)).toBe(!row.permanent && !isNotFound(err));
  });
});

describe('log redaction', () => {
  it('blanks secrets by key but keeps groupKey and other *Key fields that are not keys', () => {
    const lines: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l) });
    log.info('x', {
      groupKey: '{}:{a="b"}',
      historyKey: 'k/ns/n',
      apiKey: 's1',
      private_key: 's2',
      key: 's3',
      token: 's4',
    });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ groupKey: '{}:{a="b"}', historyKey: 'k/ns/n' });
    for (const k of ['apiKey', 'private_key', 'key', 'token']) expect(line[k]).toBe('[redacted]');
  });
});
