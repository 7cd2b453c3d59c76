// Issue 18.1: admission routes need no credentials, so every parser behind them must be linear and every
// string it reads bounded. Timing is the `parsers` benchmark's job (npm run bench -- parsers); these tests
// assert the answers, and that the quadratic trim is gone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { admissionReview } from '../../bench/support/fixtures.ts';
import { MAX_FIELD_TEXT, MAX_SCHEDULE_LENGTH } from '../../src/api/bounded-text.ts';
import { createApp } from '../../src/app/app.ts';
import { parseSchedule, trimBlanks } from '../../src/cron/schedule.ts';
import { silentLogger } from '../../src/log.ts';
import { startNodeServer } from '../../src/node-server.ts';

const GROUP = 'autoscaling.karmada.io';

// The request's own name and namespace stay short: these tests are about the object's fields.
const review = (kind: string, object: Record<string, unknown>) => {
  const r = admissionReview({ ...object, metadata: {} }, 'uid-hostile', kind);
  return { ...r, request: { ...r.request, object } };
};

const cronWith = (rule: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({
  apiVersion: `${GROUP}/v1alpha1`,
  kind: 'CronFederatedHPA',
  metadata: { name: 'nightly', namespace: 'default', ...meta },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
    rules: [{ name: 'night', schedule: '0 0 * * *', timeZone: 'UTC', targetReplicas: 1, ...rule }],
  },
});

const fhpaWith = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({
  apiVersion: `${GROUP}/v1alpha1`,
  kind: 'FederatedHPA',
  metadata: { name: 'sample-app', namespace: 'default', ...meta },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
    maxReplicas: 10,
    ...spec,
  },
});

const app = () =>
  createApp({
    deps: () => {
      throw new Error('admission needs no pipeline');
    },
    credentials: { bearerToken: 'unused-token' },
    maxBodyBytes: 1024 * 1024,
  });

async function admit(path: string, object: Record<string, unknown>) {
  const res = await app().request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(review(String(object.kind), object)),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { response: { allowed: boolean; status: { message?: string } } }).response;
}

const long = 'a'.repeat(MAX_FIELD_TEXT + 1);

describe('hostile admission input: bounded, named, answered', () => {
  it('the schedule from the issue ("0", 80,000 spaces, "x") is refused by its length, naming the field', async () => {
    const r = await admit('/validate-cronfederatedhpa', cronWith({ schedule: `0${' '.repeat(80_000)}x` }));
    expect(r.allowed).toBe(false);
    expect(r.status.message).toBe(
      `spec.rules[0].schedule: Too long: must be no more than ${MAX_SCHEDULE_LENGTH} characters`,
    );
  });

  it('a run of blanks under the cap is still parsed, as Karmada would refuse it', async () => {
    const r = await admit('/validate-cronfederatedhpa', cronWith({ schedule: `0${' '.repeat(1000)}x` }));
    expect(r.allowed).toBe(false);
    expect(r.status.message).toBe(
      `spec.rules[0].schedule: Invalid value: "0${' '.repeat(1000)}x": invalid cron format`,
    );
  });

  it.each([
    ['metadata.name', fhpaWith({}, { name: long })],
    ['metadata.namespace', fhpaWith({}, { namespace: long })],
    ['metadata.labels.app', fhpaWith({}, { labels: { app: long } })],
    [`metadata.labels.${long}`, fhpaWith({}, { labels: { [long]: 'x' } })],
    ['spec.scaleTargetRef.name', fhpaWith({ scaleTargetRef: { kind: 'Deployment', name: long } })],
    [
      'spec.metrics[0].pods.metric.selector.matchLabels.app',
      fhpaWith({
        metrics: [
          {
            type: 'Pods',
            pods: {
              metric: { name: 'rps', selector: { matchLabels: { app: long } } },
              target: { type: 'AverageValue', averageValue: '1' },
            },
          },
        ],
      }),
    ],
    [
      'spec.metrics[0].external.metric.selector.matchExpressions[0].values[0]',
      fhpaWith({
        metrics: [
          {
            type: 'External',
            external: {
              metric: {
                name: 'queue',
                selector: { matchExpressions: [{ key: 'q', operator: 'In', values: [long] }] },
              },
              target: { type: 'Value', value: '1' },
            },
          },
        ],
      }),
    ],
    [
      'spec.metrics[0].resource.target.averageValue',
      fhpaWith({
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '1'.repeat(300) } },
          },
        ],
      }),
    ],
  ])('refuses an oversized %s with the field named', async (field, object) => {
    const r = await admit('/validate-federatedhpa', object);
    expect(r.allowed).toBe(false);
    expect(r.status.message).toMatch(
      new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}: Too long: must be no more than \\d+ characters$`),
    );
  });

  it('refuses an oversized time zone with the field named', async () => {
    const r = await admit('/validate-cronfederatedhpa', cronWith({ timeZone: 'Europe/'.repeat(100) }));
    expect(r.status.message).toBe('spec.rules[0].timeZone: Too long: must be no more than 256 characters');
  });

  it('an oversized AdmissionReview field is a 400 naming it', async () => {
    const body = review('FederatedHPA', fhpaWith({}));
    body.request.uid = long;
    const res = await app().request('/validate-federatedhpa', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: `request body does not match the expected shape: request.uid: must be no more than ${MAX_FIELD_TEXT} characters`,
    });
  });
});

describe('the schedule trim is linear', () => {
  it('trims blanks at both ends only', () => {
    expect(trimBlanks(' \t 0  1 * * *\t ')).toBe('0  1 * * *');
    expect(trimBlanks(' \t ')).toBe('');
    expect(trimBlanks('x')).toBe('x');
  });

  it('parses a schedule padded with blanks under the cap', () => {
    const parsed = parseSchedule(`${' '.repeat(500)}0 0 * * *${'\t'.repeat(500)}`);
    expect(parsed.ok).toBe(true);
  });

  it('no regex with a trailing-blank alternative is left in the schedule parser', () => {
    // A trailing-blank regex is retried at every position of a run of blanks: quadratic. It must not come back.
    const source = readFileSync(new URL('../../src/cron/schedule.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/\[ \\t\]\+\$/);
  });
});

describe('other routes are unaffected by a hostile review', () => {
  it('/healthz answers beside the issue request on a real Node server, which then still validates', async () => {
    const server = await startNodeServer({
      app: app(),
      port: 0,
      host: '127.0.0.1',
      log: silentLogger,
      shutdownGraceMs: 500,
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const hostile = fetch(`${base}/validate-cronfederatedhpa`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(review('CronFederatedHPA', cronWith({ schedule: `0${' '.repeat(160_000)}x` }))),
      });
      const health = fetch(`${base}/healthz`);
      const [h, r] = await Promise.all([health, hostile]);
      expect(h.status).toBe(200);
      expect(r.status).toBe(200);
      const good = await fetch(`${base}/validate-cronfederatedhpa`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(review('CronFederatedHPA', cronWith({}))),
      });
      expect(((await good.json()) as { response: { allowed: boolean } }).response.allowed).toBe(true);
    } finally {
      await server.close();
    }
  });
});
