import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { alertNotification } from '../../bench/support/fixtures.ts';
import { type ScaleWrite, type Simulator, startSimulator } from '../../src/sim/index.ts';
import { createHistoryStore, parseStoreConfig } from '../../src/store/config.ts';
import { connectorFor, dynamoApi } from '../../src/store/connect.ts';
import { initTable } from '../../src/store/dynamodb-table.ts';
import { type DynaliteServer, dynaliteEnv, startDynalite } from '../support/dynalite.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// The Cloudflare Worker as it is deployed: built by `wrangler deploy --dry-run` from wrangler.toml (the same
// bundle `npm run build:worker` makes), run in workerd (the Workers runtime) through miniflare with
// wrangler.toml's compatibility date, flags and vars, its secrets bound as the README says. Karmada is the
// simulator and DynamoDB is dynalite, both on loopback, so the signed-fetch store runs inside workerd too.
// Loopback Karmada is plain http: src/config.ts accepts any URL (a production Worker reaches Karmada over
// https on a public hostname, wrangler.toml).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const config = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
const ALERTMANAGER_TOKEN = 'worker-test-alertmanager-token-0123456789';
/** The FederatedHPA the sweep owns; the alerts target default/sample-app (FHPA_SWEEP_NAMESPACE below). */
const SWEEP_NAMESPACE = 'swept';
/** The FederatedHPA the fanned-out sweep owns, and one that always fails. */
const QUEUED_NAMESPACE = 'queued';
const STUCK_NAMESPACE = 'stuck';

/** wrangler.toml's [[queues.consumers]] keys this file maps onto miniflare's options. */
interface QueueConsumerConfig {
  queue: string;
  max_batch_size?: number;
  max_batch_timeout?: number;
  max_retries?: number;
  dead_letter_queue?: string;
}

/** Polls `check` every 100 ms until it holds or `ms` pass (queue deliveries are asynchronous). */
async function eventually(check: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Why workerd cannot run here, or undefined. First the binary miniflare would spawn (a missing or foreign
 * binary makes miniflare throw from an unhandled child-process error and never become ready), then a trivial
 * Worker: only the platform is probed, so a broken fhpa bundle still fails the suite instead of skipping it.
 */
async function workerdProblem(): Promise<string | undefined> {
  const fromMiniflare = createRequire(createRequire(import.meta.url).resolve('miniflare'));
  let binary: string;
  try {
    binary = process.env.MINIFLARE_WORKERD_PATH ?? (fromMiniflare('workerd') as { default: string }).default;
    await promisify(execFile)(binary, ['--version'], { timeout: 10_000 });
  } catch (err) {
    return `the workerd binary does not run: ${err instanceof Error ? err.message : String(err)}`;
  }
  let mf: Miniflare | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    mf = new Miniflare({
      modules: true,
      script: 'export default { fetch: () => new Response("ok") }',
      compatibilityDate: config.compatibility_date ?? '2025-09-01',
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 20 s')), 20_000);
    });
    const res = await Promise.race([mf.dispatchFetch('http://probe/'), timeout]);
    return (await res.text()) === 'ok' ? undefined : `a trivial Worker answered ${res.status}`;
  } catch (err) {
    return `${binary} cannot serve a trivial Worker: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
    await mf?.dispose().catch(() => {});
  }
}
const problem = await workerdProblem();
if (problem) console.warn(`test/runtime/worker.test.ts skipped: workerd cannot start here (${problem})`);

/** miniflare's Fetcher, narrowed to what this file calls (@cloudflare/workers-types, which types it, is not installed). */
interface ScheduledFetcher {
  scheduled(options: { cron?: string; scheduledTime?: Date }): Promise<{ outcome: string; noRetry: boolean }>;
}

const alertBody = () => JSON.stringify(alertNotification([{ namespace: 'default', name: 'sample-app' }]));

function admissionReview(spec: Record<string, unknown>) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: 'autoscaling.karmada.io', version: 'v1alpha1', kind: 'FederatedHPA' },
      resource: { group: 'autoscaling.karmada.io', version: 'v1alpha1', resource: 'federatedhpas' },
      namespace: 'default',
      operation: 'CREATE',
      userInfo: { username: 'admin' },
      object: { ...seedFederatedHPA(), spec: { ...seedFederatedHPA().spec, ...spec } },
    },
  };
}

/** The seed workload (two members, weights 1:1) in `namespace`, its pods started 30 s ago (Ready). */
function applyWorkload(sim: Simulator, namespace: string) {
  sim.clock.advance(-30_000);
  sim.applyDeployment({
    namespace,
    name: 'sample-app',
    replicas: 1,
    labels: { app: 'sample-app' },
    containers: [{ name: 'metrics-provider', requests: { cpu: '100m' } }],
  });
  sim.applyPropagationPolicy({
    namespace,
    name: 'sample-app-pp',
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' }],
    placement: {
      clusterAffinity: { clusterNames: ['member1', 'member2'] },
      replicaScheduling: {
        replicaSchedulingType: 'Divided',
        replicaDivisionPreference: 'Weighted',
        weightPreference: {
          staticWeightList: [
            { targetCluster: { clusterNames: ['member1'] }, weight: 1 },
            { targetCluster: { clusterNames: ['member2'] }, weight: 1 },
          ],
        },
      },
    },
  });
  const fhpa = seedFederatedHPA({ behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } });
  fhpa.metadata.namespace = namespace;
  sim.applyFederatedHPA(fhpa);
  sim.clock.advance(30_000);
  sim.setLoad(namespace, 'sample-app', { rps: 20 });
}

describe.skipIf(problem !== undefined)(
  problem ? `the Worker bundle in workerd (skipped: ${problem})` : 'the Worker bundle in workerd',
  () => {
    let outdir: string;
    let sim: Simulator;
    let dynamo: DynaliteServer;
    let mf: Miniflare;
    const writes: ScaleWrite[] = [];
    /** Requests the KARMADA_CERT binding carried (the second Worker below binds one). */
    const viaCertBinding: string[] = [];

    const secrets = () => ({
      FHPA_KARMADA_SERVER: sim.url,
      FHPA_KARMADA_TOKEN: sim.token,
      FHPA_AUTH_TOKEN: ALERTMANAGER_TOKEN,
      ...dynaliteEnv(dynamo.endpoint, String(config.vars.FHPA_DYNAMODB_TABLE)),
    });
    const workerOptions = (extra: Record<string, string> = {}, serviceBindings = {}) => ({
      name: 'fhpa',
      modules: true,
      scriptPath: join(outdir, 'worker.js'),
      modulesRoot: outdir,
      ...(config.compatibility_date ? { compatibilityDate: config.compatibility_date } : {}),
      compatibilityFlags: config.compatibility_flags,
      bindings: {
        ...(config.vars as Record<string, string>),
        ...secrets(),
        // One sweep per tick (wrangler.toml's 4 × 15 s would hold the test for 45 s), only the swept namespace.
        FHPA_SWEEPS_PER_TICK: '1',
        FHPA_SWEEP_NAMESPACE: SWEEP_NAMESPACE,
        FHPA_LOG_LEVEL: 'error',
        ...extra,
      },
      serviceBindings,
    });
    const worker = (extra: Record<string, string> = {}, serviceBindings = {}) =>
      new Miniflare(workerOptions(extra, serviceBindings));

    /**
     * The Worker with wrangler.toml's queues bound (its producer binding, its consumer settings), beside a second
     * Worker that consumes the dead-letter queue and hands each body it gets to `dead` (an operator reading it).
     */
    const deadLettered: unknown[] = [];
    const queuedWorker = (extra: Record<string, string>) => {
      const producers: Array<{ binding: string; queue: string }> = config.queues.producers ?? [];
      const consumers: QueueConsumerConfig[] = config.queues.consumers ?? [];
      return new Miniflare({
        workers: [
          {
            ...workerOptions({ FHPA_KARMADA_TIMEOUT_MS: '500', ...extra }),
            queueProducers: Object.fromEntries(producers.map((p) => [p.binding, p.queue])),
            queueConsumers: Object.fromEntries(
              consumers.map((c) => [
                c.queue,
                {
                  ...(c.max_batch_size !== undefined ? { maxBatchSize: c.max_batch_size } : {}),
                  ...(c.max_batch_timeout !== undefined ? { maxBatchTimeout: c.max_batch_timeout } : {}),
                  ...(c.max_retries !== undefined ? { maxRetries: c.max_retries } : {}),
                  ...(c.dead_letter_queue ? { deadLetterQueue: c.dead_letter_queue } : {}),
                },
              ]),
            ),
          },
          {
            name: 'dead-letter-reader',
            modules: true,
            script:
              'export default { async queue(batch, env) { for (const m of batch.messages) { await env.RECORD.fetch("http://record/", { method: "POST", body: JSON.stringify(m.body) }); m.ack(); } } }',
            queueConsumers: Object.fromEntries(
              consumers.flatMap((c) =>
                c.dead_letter_queue ? [[c.dead_letter_queue, { maxBatchTimeout: 0 }]] : [],
              ),
            ),
            serviceBindings: {
              RECORD: async (request: Request) => {
                deadLettered.push(await request.json());
                return new Response('ok');
              },
            },
          },
        ],
      });
    };

    beforeAll(async () => {
      outdir = await mkdtemp(join(tmpdir(), 'fhpa-worker-'));
      const build = promisify(execFile)(
        process.execPath,
        [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir, '--config', join(ROOT, 'wrangler.toml')],
        {
          cwd: ROOT,
          env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' },
        },
      );
      build.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
      [sim, dynamo] = await Promise.all([
        startSimulator({ clusters: ['member1', 'member2'], clock: 'realtime' }),
        startDynalite(),
      ]);
      // `fhpa store init` against dynalite, from Node: the Worker only reads and writes items.
      const storeConfig = parseStoreConfig(secrets());
      if (storeConfig.kind !== 'dynamodb') throw new Error('expected a DynamoDB store');
      const api = await dynamoApi(storeConfig, 'fetch');
      await initTable(api, storeConfig.table, { sleep: async () => {}, pollMs: 1 });
      api.close();
      applyWorkload(sim, 'default');
      applyWorkload(sim, SWEEP_NAMESPACE);
      applyWorkload(sim, QUEUED_NAMESPACE);
      // A workload whose scale PATCH always fails (503): its batch is retried, then dead-lettered.
      applyWorkload(sim, STUCK_NAMESPACE);
      sim.faults.addRule({
        method: 'PATCH',
        path: `/apis/apps/v1/namespaces/${STUCK_NAMESPACE}/deployments/sample-app/scale`,
        errorRate: 1,
        errorStatus: 503,
      });
      sim.onScaleWrite((w) => writes.push(w));
      await build;
      mf = worker();
      await mf.ready;
    }, 60_000);
    afterAll(async () => {
      await mf?.dispose();
      await Promise.all([sim?.close(), dynamo?.stop()]);
      if (outdir) await rm(outdir, { recursive: true, force: true });
    });

    const post = (path: string, body: string, headers: Record<string, string> = {}, target = mf) =>
      target.dispatchFetch(`https://fhpa.example.com${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.28.1', ...headers },
        body,
      });
    const alert = (token = ALERTMANAGER_TOKEN, target = mf) =>
      post('/alerts', alertBody(), { authorization: `Bearer ${token}` }, target);

    it('answers /healthz', async () => {
      const res = await mf.dispatchFetch('https://fhpa.example.com/healthz');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('refuses a FederatedHPA whose maxReplicas is below minReplicas, naming the field', async () => {
      const res = await post(
        '/validate-federatedhpa',
        JSON.stringify(admissionReview({ minReplicas: 5, maxReplicas: 2 })),
      );
      expect(res.status).toBe(200);
      const review = (await res.json()) as {
        response: {
          uid: string;
          allowed: boolean;
          status: { code: number; reason: string; message: string };
        };
      };
      expect(review.response).toMatchObject({
        uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
        allowed: false,
        status: { code: 403, reason: 'Forbidden' },
      });
      expect(review.response.status.message).toContain(
        'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
      );
    });

    it('answers 401 to an alert with a bearer token it was not given, and writes nothing', async () => {
      const res = await alert('some-other-token-0123456789abcdef');
      expect(res.status).toBe(401);
      expect(writes).toEqual([]);
    });

    it('scales the FederatedHPA an authenticated alert names, and keeps its history in DynamoDB', async () => {
      const res = await alert();
      expect(res.status).toBe(200);
      const body = (await res.json()) as { alerts: Array<Record<string, unknown>> };
      expect(body.alerts).toEqual([
        expect.objectContaining({ outcome: 'scaled', desiredReplicas: 5, target: 'default/sample-app' }),
      ]);
      expect(writes).toEqual([
        expect.objectContaining({ method: 'PATCH', namespace: 'default', name: 'sample-app', replicas: 5 }),
      ]);
      expect(sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 3, member2: 2 });

      // Read back from Node with the SDK: the item the Worker's signed fetch wrote.
      const store = await createHistoryStore(parseStoreConfig(secrets()), {
        connect: connectorFor('sdk'),
        onWarning: () => {},
      });
      try {
        const stored = await store.load({
          scope: String(config.vars.FHPA_SCOPE),
          namespace: 'default',
          name: 'sample-app',
        });
        expect(stored.version).toBe(1);
        expect(stored.history.scaleUpEvents).toEqual([expect.objectContaining({ replicaChange: 4 })]);
      } finally {
        store.close?.();
      }
    });

    it('runs the sweep on a scheduled event, over FHPA_SWEEP_NAMESPACE only', async () => {
      writes.length = 0;
      const since = sim.requestLog.length;
      const entry = (await mf.getWorker()) as unknown as ScheduledFetcher;
      const result = await entry.scheduled({ cron: config.triggers.crons?.[0] ?? '* * * * *' });
      expect(result).toMatchObject({ outcome: 'ok' });
      expect(writes).toEqual([
        expect.objectContaining({
          method: 'PATCH',
          namespace: SWEEP_NAMESPACE,
          name: 'sample-app',
          replicas: 5,
        }),
      ]);
      expect(sim.memberReplicas(SWEEP_NAMESPACE, 'sample-app')).toEqual({ member1: 3, member2: 2 });
      const lists = sim.requestLog
        .slice(since)
        .filter((r) => r.method === 'GET' && r.path.endsWith('/federatedhpas'))
        .map((r) => r.path);
      expect(lists).toEqual([
        `/apis/autoscaling.karmada.io/v1alpha1/namespaces/${SWEEP_NAMESPACE}/federatedhpas`,
      ]);
    });

    it('fans the sweep out when SWEEP_QUEUE is bound: the cron handler enqueues, the queue handler scales', async () => {
      writes.length = 0;
      const since = sim.requestLog.length;
      const queued = queuedWorker({ FHPA_SWEEP_NAMESPACE: QUEUED_NAMESPACE });
      try {
        const entry = (await queued.getWorker('fhpa')) as unknown as ScheduledFetcher;
        const result = await entry.scheduled({ cron: config.triggers.crons?.[0] ?? '* * * * *' });
        expect(result).toMatchObject({ outcome: 'ok' });
        await eventually(() => writes.length > 0);
        expect(writes).toEqual([
          expect.objectContaining({
            method: 'PATCH',
            namespace: QUEUED_NAMESPACE,
            name: 'sample-app',
            replicas: 5,
          }),
        ]);
        // The cron invocation listed the namespace; the consumer listed it again for its batch, fresh.
        const reads = sim.requestLog
          .slice(since)
          .filter((r) => r.method === 'GET' && r.path.includes('/federatedhpas'))
          .map((r) => r.path.split('/').slice(-2).join('/'));
        expect(reads).toEqual(['queued/federatedhpas', 'queued/federatedhpas']);
      } finally {
        await queued.dispose();
      }
    });

    it('retries a batch whose FederatedHPA keeps failing max_retries times, then dead-letters it', async () => {
      writes.length = 0;
      const since = sim.requestLog.length;
      const queued = queuedWorker({ FHPA_SWEEP_NAMESPACE: STUCK_NAMESPACE });
      try {
        const entry = (await queued.getWorker('fhpa')) as unknown as ScheduledFetcher;
        expect(await entry.scheduled({})).toMatchObject({ outcome: 'ok' });
        await eventually(() => deadLettered.length > 0, 60_000);
        expect(deadLettered).toEqual([
          { v: 1, sweptAt: expect.any(Number), refs: [{ namespace: STUCK_NAMESPACE, name: 'sample-app' }] },
        ]);
        // Every delivery of the batch starts with one cluster LIST (the sweep's, for all its evaluations): the
        // first delivery and max_retries retries.
        const consumer = (config.queues.consumers as QueueConsumerConfig[] | undefined)?.[0];
        const deliveries = sim.requestLog
          .slice(since)
          .filter((r) => r.method === 'GET' && r.path === '/apis/cluster.karmada.io/v1alpha1/clusters');
        expect(deliveries).toHaveLength(1 + (consumer?.max_retries ?? 0));
        expect(writes).toEqual([]);
      } finally {
        await queued.dispose();
      }
    }, 90_000);

    it('reaches Karmada through the KARMADA_CERT mTLS binding when one is bound', async () => {
      const withCert = worker(
        {},
        {
          // Stands in for the [[mtls_certificates]] Fetcher: forwards to the simulator and records the path.
          KARMADA_CERT: async (request: Request) => {
            viaCertBinding.push(new URL(request.url).pathname);
            return fetch(request.url, {
              method: request.method,
              headers: request.headers,
              ...(request.method === 'GET' || request.method === 'HEAD'
                ? {}
                : { body: await request.arrayBuffer() }),
            });
          },
        },
      );
      try {
        const res = await alert(ALERTMANAGER_TOKEN, withCert);
        expect(res.status).toBe(200);
        expect(viaCertBinding).toContain(
          '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas/sample-app',
        );
      } finally {
        await withCert.dispose();
      }
    });

    it('answers 503 naming the missing variable when the Worker has no Karmada secret', async () => {
      const unconfigured = worker({ FHPA_KARMADA_SERVER: '', FHPA_KARMADA_TOKEN: '' });
      try {
        const res = await unconfigured.dispatchFetch('https://fhpa.example.com/alerts', {
          method: 'POST',
          body: '{}',
        });
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({
          error: 'fhpa is not configured',
          problems: ['FHPA_KARMADA_SERVER: required on Workers (a kubeconfig cannot be read here)'],
        });
      } finally {
        await unconfigured.dispose();
      }
    });
  },
);
