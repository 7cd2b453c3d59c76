// PromQL metrics against a real Prometheus (Debian's 2.42, installed by .ci/run), scraping a target this test
// serves whose counters grow at known rates, so every query has an answer the test knows: rate(), sum by, a
// missing series, queries Prometheus refuses or cannot run, results of the wrong type, and a slow or failing
// Prometheus (a test server). Then the decisions: the pipeline on the simulated Karmada scales on a PromQL
// metric, and a metric whose query fails never scales down.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import { fetchTransport } from '../../src/karmada/transport.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import type { PrometheusEndpoint } from '../../src/prometheus/endpoints.ts';
import { createPromqlSource } from '../../src/prometheus/promql-source.ts';
import { instantQuery, PromQLError } from '../../src/prometheus/query.ts';
import { startHarness } from '../support/pipeline-harness.ts';
import { type PrometheusServer, startPrometheus } from '../support/prometheus.ts';
import { seedFederatedHPA } from '../support/seed.ts';

const started = Date.now();
const queueDepth = 12;
let target: Server;
let prom: PrometheusServer;

/** The scrape target: two counters at 10/s and 30/s, and a gauge the test sets. */
function exposition(): string {
  // As if the counters had been running for 1000 s, so rate() never extrapolates to a counter start.
  const t = 1000 + (Date.now() - started) / 1000;
  return [
    '# TYPE http_requests_total counter',
    `http_requests_total{app="web",cluster="member1"} ${(10 * t).toFixed(3)}`,
    `http_requests_total{app="web",cluster="member2"} ${(30 * t).toFixed(3)}`,
    '# TYPE queue_depth gauge',
    `queue_depth{queue="jobs"} ${queueDepth}`,
    '',
  ].join('\n');
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  const t = await listen((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(exposition());
  });
  target = t.server;
  prom = await startPrometheus([t.url.replace('http://', '')]);
  // rate() over 3s is exact once each series is older than the window (extrapolation covers the edges).
  await prom.waitFor('count_over_time(http_requests_total[6s]) >= 5', (r) => r.length === 2);
}, 30_000);

afterAll(async () => {
  await prom?.stop();
  target?.closeAllConnections();
  await new Promise<void>((resolve) => target?.close(() => resolve()));
});

const endpoint = (): PrometheusEndpoint => ({ name: 'default', url: prom.url, timeoutMs: 5000 });
const ask = (query: string) => instantQuery(fetchTransport(), endpoint(), query, Date.now());

async function refusal(query: string): Promise<PromQLError> {
  const err = await ask(query).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PromQLError);
  return err as PromQLError;
}

describe('PromQL instant queries against a real Prometheus', () => {
  it('reads rate() and sum by as the numbers the target was built to give', async () => {
    // 10/s + 30/s. rate() extrapolates to the window's edges only when a scrape is not late, so a loaded
    // machine may read a little less; never more.
    const total = await ask('sum(rate(http_requests_total{app="web"}[3s]))');
    expect(total.value).toBeGreaterThan(34);
    expect(total.value).toBeLessThan(42);
    const member2 = await ask('sum by (cluster) (rate(http_requests_total{cluster="member2"}[3s]))');
    expect(member2.value).toBeGreaterThan(25);
    expect(member2.value).toBeLessThan(32);
    expect(Math.abs(member2.timestamp - Date.now())).toBeLessThan(5000);
    expect((await ask('queue_depth{queue="jobs"}')).value).toBe(12);
    expect((await ask('scalar(queue_depth)')).value).toBe(12);
  });

  it.each([
    [
      'sum by (cluster) (rate(http_requests_total[3s]))',
      'the query returned 2 series; aggregate them to one',
    ],
    ['queue_depth{queue="missing"}', 'the query returned no series (is the series missing?'],
    ['http_requests_total[3s]', 'the query returned a matrix, not an instant vector or scalar'],
    ['"a string"', 'the query returned a string, not an instant vector or scalar'],
    ['0/0', 'the query returned NaN, not a finite number'],
    ['sum(queue_depth) / 0', 'the query returned +Inf, not a finite number'],
    ['-sum(queue_depth) / 0', 'the query returned -Inf, not a finite number'],
    [
      'sum(',
      'Prometheus "default" answered 400 to the query (bad_data: invalid parameter "query": 1:5: parse error',
    ],
    [
      'http_requests_total + on() http_requests_total',
      'Prometheus "default" answered 422 to the query (execution: found duplicate series',
    ],
  ])('%s is a metric error: %s', async (query, message) => {
    const err = await refusal(query);
    expect(err.message).toContain(message);
    expect(err.transient).toBe(false);
  });
});

describe('PromQL against a Prometheus that misbehaves (a test server)', () => {
  it('ends a slow answer at the endpoint timeout, as a transient error', async () => {
    const slow = await listen((_req, res) => {
      setTimeout(() => res.end('{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}'), 2000);
    });
    try {
      const t0 = Date.now();
      const err = await instantQuery(
        fetchTransport(),
        { name: 'slow', url: slow.url, timeoutMs: 200 },
        'up',
        Date.now(),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PromQLError);
      expect((err as PromQLError).message).toBe('Prometheus "slow" did not answer within 200 ms');
      expect((err as PromQLError).transient).toBe(true);
      expect(Date.now() - t0).toBeLessThan(1500);
    } finally {
      slow.server.closeAllConnections();
      slow.server.close();
    }
  });

  it('sends the credentials it is given, and a 5xx is transient while a 401 is not', async () => {
    const seen: (string | undefined)[] = [];
    const server = await listen((req, res) => {
      seen.push(req.headers.authorization);
      const status = req.headers.authorization === 'Bearer s3cret-token' ? 503 : 401;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'try later' }));
    });
    try {
      const bearer = await instantQuery(
        fetchTransport(),
        { name: 'b', url: server.url, bearerToken: 's3cret-token', timeoutMs: 1000 },
        'up',
        Date.now(),
      ).catch((e: unknown) => e as PromQLError);
      expect(bearer).toMatchObject({ transient: true });
      expect((bearer as PromQLError).message).toBe(
        'Prometheus "b" answered 503 to the query (unavailable: try later)',
      );
      const basic = await instantQuery(
        fetchTransport(),
        { name: 'c', url: server.url, basicUser: 'fhpa', basicPassword: 'pa55word-pa55', timeoutMs: 1000 },
        'up',
        Date.now(),
      ).catch((e: unknown) => e as PromQLError);
      expect(basic).toMatchObject({ transient: false });
      expect((basic as PromQLError).message).not.toContain('pa55word');
      expect(seen).toEqual(['Bearer s3cret-token', `Basic ${btoa('fhpa:pa55word-pa55')}`]);
    } finally {
      server.server.closeAllConnections();
      server.server.close();
    }
  });
});

/** The walkthrough's FederatedHPA with one Object metric bound to a query, as a user would write it. */
function promqlFHPA(
  query: string,
  target: { type: 'Value' | 'AverageValue'; quantity: string },
): FederatedHPA {
  const fhpa = seedFederatedHPA({
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [
      {
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
          metric: { name: 'http_requests' },
          target:
            target.type === 'Value'
              ? { type: 'Value', value: target.quantity }
              : { type: 'AverageValue', averageValue: target.quantity },
        },
      },
    ],
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 10, periodSeconds: 15 }] },
      scaleDown: {
        stabilizationWindowSeconds: 0,
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    },
  });
  return {
    ...fhpa,
    metadata: { ...fhpa.metadata, annotations: { 'promql.autoscaling.fhpa.io/http_requests': query } },
  };
}

describe('decisions on a PromQL metric (simulated Karmada, real Prometheus)', () => {
  const ref = { namespace: 'default', name: 'sample-app' };

  async function harnessWith(fhpa: FederatedHPA) {
    const h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyFederatedHPA(fhpa);
    h.sim.clock.advance(30_000);
    // Queries run at the evaluation's time, which must be Prometheus' (wall-clock) time here.
    const deps = {
      ...h.deps,
      clock: Date.now,
      promql: createPromqlSource(new Map([['default', endpoint()]])),
    };
    return { h, deps };
  }

  it('AverageValue: sum(rate()) of 40/s over a 15/s-per-pod target scales 1 -> ceil(2.7) = 3 (2 + 1)', async () => {
    const { h, deps } = await harnessWith(
      promqlFHPA('sum(rate(http_requests_total{app="web"}[3s]))', { type: 'AverageValue', quantity: '15' }),
    );
    try {
      const r = await evaluate(deps, ref);
      // Any rate in (30, 45] gives 3: the answer does not hang on the last digit of rate().
      expect(r).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 3 });
      expect(r.reason).toBe('external metric http_requests(<nil>) above target');
      expect(h.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 2, member2: 1 });
    } finally {
      await h.close();
    }
  });

  it('a query with no series fails the metric: no scale-down, and the condition says why', async () => {
    const { h, deps } = await harnessWith(
      promqlFHPA('sum(queue_depth{queue="gone"})', { type: 'Value', quantity: '100' }),
    );
    try {
      const targetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' };
      const scale = await deps.karmada.getScale('default', targetRef);
      await deps.karmada.patchScale('default', targetRef, 4, scale.resourceVersion);
      const before = h.sim.memberReplicas('default', 'sample-app');
      expect(before).toEqual({ member1: 2, member2: 2 });
      const r = await evaluate(deps, ref);
      expect(r.outcome).toBe('unchanged');
      expect(r.message).toContain('PromQL query of Object metric http_requests:');
      expect(h.sim.memberReplicas('default', 'sample-app')).toEqual(before);
      const fhpa = await deps.karmada.getFederatedHPA('default', 'sample-app');
      const active = fhpa.status?.conditions?.find((c) => c.type === 'ScalingActive');
      expect(active).toMatchObject({ status: 'False', reason: 'FailedGetObjectMetric' });
      expect(active?.message).toContain('no series');
    } finally {
      await h.close();
    }
  });
});
