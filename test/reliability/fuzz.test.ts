import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FuzzFigures, type FuzzStack, runFuzz, startFuzzStack } from '../../bench/fuzz.ts';
import { admissionReview, alertNotification, federatedHPAFor } from '../../bench/support/fixtures.ts';
import { fuzzCases, KINDS, ROUTES } from '../../bench/support/fuzz-requests.ts';

// The small version of `npm run bench -- fuzz` (issue 8): the same generators (bench/support/fuzz-requests.ts)
// and the same runner (bench/fuzz.ts#runFuzz), 400 requests with fast-check's seed fixed at 8 instead of
// 10,000, over loopback HTTP to fhpa's Node server in front of the simulated Karmada. The project's rule:
// bad input gets a clear error naming the field, never a crash, a hang or a 500.

const REQUESTS = 400;
const SEED = 8;

let stack: FuzzStack;
let figures: FuzzFigures;

beforeAll(async () => {
  stack = await startFuzzStack();
  figures = await runFuzz({
    cases: fuzzCases(stack.target, REQUESTS, SEED),
    stack,
    concurrency: 4,
    examples: 10,
  });
}, 30_000);
afterAll(() => stack?.close());

describe(`fuzz: ${REQUESTS} generated bad requests across every route (seed ${SEED})`, () => {
  it('reached every route with every kind of bad request', () => {
    expect(figures.requests).toBe(REQUESTS);
    expect(Object.keys(figures.byRoute).sort()).toEqual([...ROUTES].sort());
    expect(Object.keys(figures.byKind).sort()).toEqual([...KINDS].sort());
  });

  // The examples are in the expectation, so a failure shows the request and the answer.
  it('got no 5xx, no crash and no hang, and the server still answers /healthz', () => {
    expect({
      status5xx: figures.status5xx,
      crashes: figures.crashes,
      hangs: figures.hangs,
      healthyAtEnd: figures.healthyAtEnd,
      examples: [...figures.examples5xx, ...figures.examplesCrash],
      errorLogs: figures.errorLogs,
    }).toEqual({ status5xx: 0, crashes: 0, hangs: 0, healthyAtEnd: true, examples: [], errorLogs: [] });
  });

  it('answered every 4xx from the app with JSON naming what was wrong', () => {
    expect({ unclearErrors: figures.unclearErrors, examples: figures.examplesUnclear }).toEqual({
      unclearErrors: 0,
      examples: [],
    });
  });

  it('answered every request with a status its case expects', () => {
    expect(figures.examplesUnexpected).toEqual([]);
  });
});

// Found by the fuzz benchmark: an AdmissionReview whose object held a value nested a few thousand levels deep
// got a 500, because quoting the bad value in Karmada's field error (JSON.stringify) overflowed the stack.
// src/app/json-body.ts now refuses bodies nested more than 100 levels deep, naming where.
describe('a JSON body nested deeper than 100 levels', () => {
  const deepAt = (body: unknown, marker: string, depth: number) =>
    JSON.stringify(body).replace(`"${marker}"`, `${'['.repeat(depth)}${']'.repeat(depth)}`);
  const fhpa = federatedHPAFor({ namespace: 'default', name: 'sample-app' });
  const post = (path: string, body: string, auth = false) =>
    fetch(`${stack.server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth ? { authorization: `Bearer ${stack.target.token}` } : {}),
      },
      body,
    });

  it.each([
    {
      at: 'request.object.kind',
      path: '/validate-federatedhpa',
      body: deepAt(admissionReview({ ...fhpa, kind: 'M' }, 'u-1'), 'M', 5_000),
    },
    {
      at: 'request.object.spec.metrics[0].pods.target.averageValue',
      path: '/validate',
      body: deepAt(
        admissionReview(
          {
            ...fhpa,
            spec: {
              ...fhpa.spec,
              metrics: [
                {
                  type: 'Pods',
                  pods: { metric: { name: 'm' }, target: { type: 'Value', averageValue: 'M' } },
                },
              ],
            },
          },
          'u-2',
        ),
        'M',
        5_000,
      ),
    },
    { at: 'alerts[0]', path: '/alerts', body: deepAt({ ...alertNotification([]), alerts: ['M'] }, 'M', 200) },
    {
      at: 'request.object.kind',
      path: '/validate',
      body: deepAt(admissionReview({ ...fhpa, kind: 'M' }, 'u-4'), 'M', 98),
    },
    { at: '(body)', path: '/validate', body: deepAt('M', 'M', 101) },
  ])('$path at $at: 400 naming the path, not a 500', async ({ at, path, body }) => {
    const res = await post(path, body, path === '/alerts');
    const answer = (await res.json()) as { error: string };
    expect(res.status).toBe(400);
    expect(answer.error).toContain('nests more than 100 levels deep at ');
    expect(answer.error.split(' at ')[1]).toContain(at === '(body)' ? '[0][0]' : at);
  });

  it('a review exactly 100 levels deep is still read (and denied by the FederatedHPA rules)', async () => {
    // root → request → object → kind is 3 levels; the array brings the deepest container to level 100
    const res = await post('/validate', deepAt(admissionReview({ ...fhpa, kind: 'M' }, 'u-3'), 'M', 97));
    const answer = (await res.json()) as { response: { allowed: boolean; status: { message: string } } };
    expect(res.status).toBe(200);
    expect(answer.response.allowed).toBe(false);
    expect(answer.response.status.message).toContain('kind: ');
  });
});
