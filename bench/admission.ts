import { createApp } from '../src/app/app.ts';
import { silentLogger } from '../src/log.ts';
import { startNodeServer } from '../src/node-server.ts';
import type { PipelineDeps } from '../src/pipeline/types.ts';
import type { Benchmark } from './benchmark.ts';
import { round } from './stats.ts';
import { type CannonRequest, completedPerSecond, runCannon } from './support/autocannon.ts';
import { admissionReview, federatedHPAFor } from './support/fixtures.ts';

// Issue 8, `admission`: AdmissionReview throughput of fhpa's validating webhook on the Node server
// (startNodeServer + the Hono app, over loopback HTTP), against the same server answering a fixed
// AdmissionReview on a route that reads the same body and skips parsing and validation. The ratio isolates
// what fhpa's own work (JSON parse, zod, the FederatedHPA rules) costs per review; the target is ≥ 0.7.
// Then a run at a fixed 1,000 req/s (autocannon overallRate) gives the latency a webhook sees at that rate
// (target p99 under 5 ms).
//
// The reviews cycle through the seed FederatedHPA and four invalid variants (as Karmada's validation tests
// refuse them), so both the allowed and the denied path are measured.
//
// The load is generated in a worker thread (autocannon `workers`), so it does not share the server's event
// loop; on a 2-core machine the two still share the CPU, and the baseline pays that as much as fhpa does.
//
// Flags: --duration=S (default 10, 3 with --quick), --connections=N (default 10), --rate=N (default 1000),
// --workers=N load-generating threads (default 1; 0 = the server's thread).

const FIXED_PATH = '/bench/fixed-review';

function reviews(): CannonRequest[] {
  const ref = { namespace: 'default', name: 'sample-app' };
  const valid = federatedHPAFor(ref);
  const variants: Array<Record<string, unknown>> = [
    valid,
    { ...valid, spec: { ...valid.spec, minReplicas: 0 } },
    { ...valid, spec: { ...valid.spec, maxReplicas: 0 } },
    { ...valid, spec: { ...valid.spec, minReplicas: 12, maxReplicas: 10 } },
    {
      ...valid,
      spec: {
        ...valid.spec,
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 3601,
            policies: [{ type: 'Pods', value: 0, periodSeconds: 0 }],
          },
        },
      },
    },
  ];
  return variants.map((object, i) => ({
    method: 'POST',
    path: '/validate-federatedhpa',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admissionReview(object, `0f5d2c1e-0000-4000-8000-${String(i).padStart(12, '0')}`)),
  }));
}

// What the baseline answers: a review allowing the request, the same shape fhpa answers with.
const FIXED = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  response: { uid: '0f5d2c1e-0000-4000-8000-000000000000', allowed: true, status: { code: 200 } },
};

export const admission: Benchmark = {
  name: 'admission',
  description: 'AdmissionReview throughput of the Node server vs the same server answering a fixed review',
  async run(opts) {
    const duration = Number(opts.flags.duration ?? (opts.quick ? 3 : 10));
    const connections = Number(opts.flags.connections ?? 10);
    const rate = Number(opts.flags.rate ?? 1000);
    const workers = Number(opts.flags.workers ?? 1);
    // The admission routes need no pipeline; deps are never built (the alert routes are not called).
    const app = createApp({
      deps: (): PipelineDeps => {
        throw new Error('the admission benchmark calls no pipeline route');
      },
      credentials: { bearerToken: 'unused-in-this-benchmark-0123456789' },
      maxBodyBytes: 64 * 1024,
    });
    app.post(FIXED_PATH, async (c) => {
      await c.req.arrayBuffer();
      return c.json(FIXED);
    });
    const server = await startNodeServer({
      app,
      port: 0,
      host: '127.0.0.1',
      log: silentLogger,
      shutdownGraceMs: 1_000,
    });
    try {
      const real = reviews();
      const fixed = real.map((r) => ({ ...r, path: FIXED_PATH }));
      const check = await fetch(`${server.url}${real[1]!.path}`, {
        method: 'POST',
        headers: real[1]!.headers,
        body: real[1]!.body,
      });
      const denied = (await check.json()) as { response?: { allowed?: boolean } };
      if (check.status !== 200 || denied.response?.allowed !== false)
        return { error: `an invalid review was not denied: HTTP ${check.status} ${JSON.stringify(denied)}` };

      const load = (requests: CannonRequest[], overallRate?: number) =>
        runCannon({
          url: server.url,
          connections,
          duration,
          requests,
          ...(overallRate ? { overallRate } : {}),
          warmup: { connections, duration: 1 },
          workers,
        });
      // Baseline first and last, the real routes in between, so drift in machine load falls on both.
      opts.log(`baseline (fixed review), ${connections} connections, ${duration} s`);
      const base1 = await load(fixed);
      opts.log('fhpa validating reviews');
      const measured = await load(real);
      opts.log('baseline again');
      const base2 = await load(fixed);
      opts.log(`fixed rate ${rate} req/s`);
      const paced = await load(real, rate);

      const rps = completedPerSecond(measured);
      const baselineRps = (completedPerSecond(base1) + completedPerSecond(base2)) / 2;
      const non2xx = measured.non2xx + base1.non2xx + base2.non2xx + paced.non2xx;
      return {
        rps: round(rps, 0),
        baselineRps: round(baselineRps, 0),
        ratio: round(rps / baselineRps, 3),
        p99Ms: paced.latency.p99,
        p50Ms: paced.latency.p50,
        rateRps: round(completedPerSecond(paced), 0),
        targetRateRps: rate,
        saturatedP99Ms: measured.latency.p99,
        baselineP99Ms: base1.latency.p99,
        connections,
        durationSeconds: duration,
        non2xx,
        errors: measured.errors + paced.errors + base1.errors + base2.errors,
        ...(non2xx > 0 ? { error: `${non2xx} responses were not 2xx` } : {}),
      };
    } finally {
      await server.close();
    }
  },
};
