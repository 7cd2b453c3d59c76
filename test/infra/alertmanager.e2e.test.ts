import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createLogger } from '../../src/log.ts';
import { type NodeHandle, serveNode } from '../../src/runtime/node.ts';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';
import { amtool, type RunningAlertmanager, startAlertmanager } from '../support/alertmanager.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// The shipped infra/alertmanager/alertmanager.yaml, unchanged but for where fhpa is (its URL, its CA and the
// token file: what an operator fills in), run by the real Alertmanager 0.25 against fhpa's Node server over
// TLS with a private CA, in front of the simulated Karmada. It measures what the README states: how long
// after an alert starts firing fhpa hears of it (a new group: group_wait 0s), and how long a resolved or
// re-firing alert of a group that still exists waits (the group's next group_interval tick). The figures are
// printed, not asserted against a time (machine speed is a benchmark's business); what is asserted is that
// each notification arrives, through the route the README promises, with the alert's labels.

const SHIPPED = new URL('../../infra/alertmanager/alertmanager.yaml', import.meta.url);
const fixture = (name: string) =>
  readFileSync(new URL(`../karmada/fixtures/${name}`, import.meta.url), 'utf8');
const TOKEN = 'alertmanager-e2e-token-0123456789';

interface Heard {
  at: number;
  alerts: number;
  status: number;
}

let sim: Simulator;
let fhpa: NodeHandle;
let am: RunningAlertmanager;
const heard: Heard[] = [];
const evaluated: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    clusters: ['member1', 'member2'],
    clock: 'realtime',
    podStartupDelaySeconds: 0,
  });
  sim.applyWalkthrough();
  sim.applyFederatedHPA(seedFederatedHPA());
  const dir = mkdtempSync(join(tmpdir(), 'fhpa-tls-'));
  writeFileSync(join(dir, 'tls.crt'), fixture('server.pem'));
  writeFileSync(join(dir, 'tls.key'), fixture('server-key.pem'));
  const log = createLogger({
    level: 'info',
    sink: (line) => {
      const at = Date.now();
      const l = JSON.parse(line) as Record<string, unknown>;
      if (l.msg === 'alert notification handled')
        heard.push({ at, alerts: Number(l.alerts), status: Number(l.status) });
      if (typeof l.msg === 'string' && /^(kept|scaled) /.test(l.msg))
        evaluated.push(`${l.namespace}/${l.name}`);
    },
  });
  fhpa = await serveNode({
    rawEnv: { FHPA_KARMADA_SERVER: sim.url, FHPA_KARMADA_TOKEN: sim.token, FHPA_AUTH_TOKEN: TOKEN },
    port: 0,
    host: '127.0.0.1',
    tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
    sweep: false,
    log,
  });

  // The shipped file with the operator's three blanks filled in; every route and timer as shipped.
  const config = parse(readFileSync(SHIPPED, 'utf8')) as {
    receivers: Array<{ name: string; webhook_configs?: Array<Record<string, unknown>> }>;
  };
  const hook = config.receivers.find((r) => r.name === 'fhpa')?.webhook_configs?.[0] as {
    url: string;
    http_config: { authorization: { credentials_file: string }; tls_config: { ca_file: string } };
  };
  hook.url = `${fhpa.server.url}/alerts`;
  am = await startAlertmanager(
    (amDir) => {
      hook.http_config.authorization.credentials_file = join(amDir, 'token');
      hook.http_config.tls_config.ca_file = join(amDir, 'ca.crt');
      return stringify(config);
    },
    { token: TOKEN, 'ca.crt': fixture('ca.pem') },
  );
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

afterAll(async () => {
  await am?.stop();
  await fhpa?.close();
  await sim?.close();
});

/** Waits until fhpa has handled `count` notifications; the time the last one arrived. */
async function heardBy(count: number, timeoutMs = 20_000): Promise<Heard> {
  const deadline = Date.now() + timeoutMs;
  while (heard.length < count) {
    if (Date.now() > deadline)
      throw new Error(
        `fhpa heard ${heard.length} of ${count} notifications; alertmanager said:\n${am.output()}`,
      );
    await new Promise((r) => setTimeout(r, 5));
  }
  return heard[count - 1]!;
}

const now = () => new Date().toISOString();
const figures: Record<string, number> = {};

describe('the real Alertmanager with the shipped config, over TLS', () => {
  const fhpaAlert = {
    alertname: 'SampleAppHttpRequestsAboveTarget',
    federatedhpa: 'sample-app',
    namespace: 'default',
  };

  it('delivers a new alert at once (a new group), with the bearer token, trusting fhpa by the CA file', async () => {
    const sent = Date.now();
    await am.postAlerts([{ labels: fhpaAlert, startsAt: now() }]);
    const h = await heardBy(1);
    expect(h).toMatchObject({ alerts: 1, status: 200 });
    figures.firstFireMs = h.at - sent;
    expect(evaluated).toContain('default/sample-app');
  });

  it('routes an alert with only workload labels (namespace + deployment) to fhpa', async () => {
    evaluated.length = 0;
    const sent = Date.now();
    await am.postAlerts([
      {
        labels: { alertname: 'SampleAppCpuHigh', namespace: 'default', deployment: 'sample-app' },
        startsAt: now(),
      },
    ]);
    const h = await heardBy(2);
    expect(h.status).toBe(200);
    figures.workloadFireMs = h.at - sent;
    expect(evaluated).toContain('default/sample-app');
  });

  it('delivers a resolved alert at its group next tick, and a re-firing one the same way', async () => {
    const resolvedAt = Date.now();
    await am.postAlerts([
      { labels: fhpaAlert, startsAt: new Date(resolvedAt - 60_000).toISOString(), endsAt: now() },
    ]);
    const r = await heardBy(3);
    figures.resolvedMs = r.at - resolvedAt;
    const refiredAt = Date.now();
    await am.postAlerts([{ labels: fhpaAlert, startsAt: now() }]);
    const f = await heardBy(4);
    figures.refireMs = f.at - refiredAt;
    console.log(`alertmanager latencies (ms): ${JSON.stringify(figures)}`);
  }, 30_000);
});

describe('amtool with the shipped config', () => {
  const file = SHIPPED.pathname;

  it('is accepted by check-config (Alertmanager 0.25)', async () => {
    expect(await amtool(['check-config', file])).toContain('SUCCESS');
  });

  it.each([
    { labels: ['federatedhpa=web', 'namespace=shop'], receivers: 'fhpa' },
    { labels: ['namespace=shop', 'deployment=web'], receivers: 'fhpa' },
    { labels: ['namespace=shop', 'statefulset=db'], receivers: 'fhpa' },
    { labels: ['namespace=shop', 'workload=web', 'workload_kind=Deployment'], receivers: 'fhpa' },
    // Both kinds of labels: fhpa once, not once per route.
    { labels: ['federatedhpa=web', 'namespace=shop', 'deployment=web'], receivers: 'fhpa' },
    { labels: ['namespace=shop', 'alertname=DiskFull'], receivers: 'default' },
    { labels: ['deployment=web'], receivers: 'default' },
  ])('routes $labels to $receivers', async ({ labels, receivers }) => {
    // --verify.receivers makes amtool exit non-zero when the resolved receivers differ.
    const out = await amtool([
      'config',
      'routes',
      'test',
      `--config.file=${file}`,
      `--verify.receivers=${receivers}`,
      ...labels,
    ]);
    expect(out.trim()).toBe(receivers);
  });
});
