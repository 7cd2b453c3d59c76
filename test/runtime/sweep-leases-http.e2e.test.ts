// POST /sweep on Node replicas that share the fleet through partition leases (issue 13.3, Node): over HTTP on
// the Node server (serveNode, two replicas in this process) with the history table on dynalite, against the
// simulated Karmada. A replica with a lease keeper sweeps exactly the partitions it holds, as its loop does,
// and says which; one with FHPA_SWEEP_LEASES but no keeper (`--no-sweep`) refuses, naming the setting; one with
// FHPA_SWEEP_SHARD sweeps its shard and says so. The simulator's clock stands still, so no lease expires: the
// keepers' rounds (every 100 ms of real time) only divide the partitions, which is what is under test here;
// expiry and takeover are test/runtime/node-leases.e2e.test.ts's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { shardOf } from '../../src/pipeline/concurrency.ts';
import { type NodeHandle, serveNode } from '../../src/runtime/node.ts';
import { type Simulator, startSimulator } from '../../src/sim/index.ts';
import { type DynaliteServer, dynaliteEnv, initDynaliteTable, startDynalite } from '../support/dynalite.ts';
import { addScalingApps } from '../support/fleet.ts';
import { promtoolCheckMetrics } from '../support/promtool.ts';
import { until } from '../support/until.ts';

const TOKEN = 'sweep-leases-http-token-0123456789';
const TABLE = 'fleet';
const PARTITIONS = 8;
const FHPAS = 24;

let dynalite: DynaliteServer;
let sim: Simulator;
let names: string[];
const servers: NodeHandle[] = [];

beforeAll(async () => {
  dynalite = await startDynalite();
  await initDynaliteTable(dynalite.endpoint, TABLE);
  sim = await startSimulator({ clusters: ['member1', 'member2'], podStartupDelaySeconds: 0 });
  names = addScalingApps(sim, FHPAS);
  sim.clock.advance(30_000);
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await sim?.close();
  await dynalite?.stop();
});

async function replica(env: Record<string, string>, sweep: boolean): Promise<NodeHandle> {
  const handle = await serveNode({
    rawEnv: {
      ...dynaliteEnv(dynalite.endpoint, TABLE),
      FHPA_STORE: 'dynamodb',
      FHPA_KARMADA_SERVER: sim.url,
      FHPA_KARMADA_TOKEN: sim.token,
      FHPA_AUTH_TOKEN: TOKEN,
      FHPA_SCOPE: 'fleet',
      // The loop sweeps once at start and then not within the test: the sweeps measured are the POSTs.
      FHPA_SWEEP_INTERVAL: '1h',
      ...env,
    },
    port: 0,
    host: '127.0.0.1',
    sweep,
    clock: () => sim.clock.now(),
    log: silentLogger,
  });
  servers.push(handle);
  return handle;
}

const leased = (id: string) =>
  replica(
    {
      FHPA_SWEEP_LEASES: 'true',
      FHPA_LEASE_PARTITIONS: String(PARTITIONS),
      FHPA_LEASE_DURATION: '300ms',
      FHPA_LEASE_RENEW_DEADLINE: '200ms',
      FHPA_LEASE_RETRY_PERIOD: '100ms',
      FHPA_REPLICA_ID: id,
    },
    true,
  );

interface SweepAnswer {
  listed: number;
  evaluated: number;
  skippedForLease?: number;
  shard?: { index: number; count: number };
  leases?: { replica: string; partitions: number; owned: number[] };
  outcomes: Record<string, number>;
  error?: string;
}

async function postSweep(h: NodeHandle): Promise<{ status: number; body: SweepAnswer }> {
  const res = await fetch(`${h.server.url}/sweep`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  return { status: res.status, body: (await res.json()) as SweepAnswer };
}

const inPartitions = (owned: number[], count: number) =>
  names.filter((n) => owned.includes(shardOf(`default/${n}`, count))).length;

describe('POST /sweep on Node replicas sharing the fleet through leases', () => {
  it('sweeps the partitions this replica holds, as its loop does, and says which', async () => {
    const a = await leased('replica-a');
    const b = await leased('replica-b');
    // The first replica took all 8 partitions; the second gets its half as the first hands 4 back.
    const [ra, rb] = await until('an even split', async () => {
      const answers = [await postSweep(a), await postSweep(b)] as const;
      return answers.every((r) => r.body.leases?.owned.length === PARTITIONS / 2) ? answers : undefined;
    });
    for (const [r, id] of [
      [ra, 'replica-a'],
      [rb, 'replica-b'],
    ] as const) {
      expect(r.status).toBe(200);
      expect(r.body.leases).toMatchObject({ replica: id, partitions: PARTITIONS });
      expect(r.body.listed).toBe(FHPAS);
      expect(r.body.evaluated).toBe(inPartitions(r.body.leases!.owned, PARTITIONS));
      expect(r.body.skippedForLease).toBe(0);
      expect(r.body.shard).toBeUndefined();
    }
    // Between them, every partition once: every FederatedHPA evaluated by exactly one of the two.
    const all = [...ra.body.leases!.owned, ...rb.body.leases!.owned].sort((x, y) => x - y);
    expect(all).toEqual([...Array(PARTITIONS).keys()]);
    expect(ra.body.evaluated + rb.body.evaluated).toBe(FHPAS);
    expect(ra.body.evaluated).toBeGreaterThan(0);
    expect(rb.body.evaluated).toBeGreaterThan(0);

    // /metrics says the same: 8 partitions, half held here, two members seen, rounds succeeding, no takeover.
    for (const h of [a, b]) {
      const text = await until('lease metrics after the split', async () => {
        const t = await (await fetch(`${h.server.url}/metrics`)).text();
        return /^fhpa_lease_partitions_held 4$/m.test(t) ? t : undefined;
      });
      expect(text).toMatch(/^fhpa_lease_partitions 8$/m);
      expect(text).toMatch(/^fhpa_lease_members 2$/m);
      expect(text).toMatch(/^fhpa_lease_takeovers_total 0$/m);
      expect(text).toMatch(/^fhpa_lease_write_failures_total\{write="lease",reason="store_error"\} 0$/m);
      const ok = Number(/^fhpa_lease_rounds_total\{result="ok"\} (\d+)$/m.exec(text)?.[1]);
      expect(ok).toBeGreaterThan(1);
      const last = Number(/^fhpa_lease_last_success_timestamp_seconds (\S+)$/m.exec(text)?.[1]);
      expect(last).toBeCloseTo(sim.clock.now() / 1000, 0);
      expect(promtoolCheckMetrics(text)).toBe('');
    }
  }, 60_000);

  it('refuses with 409 naming FHPA_SWEEP_LEASES on a replica that leases nothing (no in-process sweep)', async () => {
    const webhook = await replica(
      { FHPA_SWEEP_LEASES: 'true', FHPA_LEASE_PARTITIONS: String(PARTITIONS) },
      false,
    );
    const r = await postSweep(webhook);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/^FHPA_SWEEP_LEASES: this replica runs no in-process sweep/);
    // Nothing was swept: no scheduled tick ran, no FederatedHPA was evaluated.
    const metrics = await webhook.metrics.render();
    expect(metrics).toMatch(/^fhpa_sweeps_total\{result="ok"\} 0$/m);
    expect(metrics).toMatch(/^fhpa_evaluations_total\{outcome="unchanged",retryable="false"\} 0$/m);
    // It takes no part in the leases, so it exports none of their series (a 0 would read as "holds nothing").
    expect(metrics).not.toMatch(/^fhpa_lease_/m);
  });

  it('sweeps one shard with FHPA_SWEEP_SHARD and says which', async () => {
    const sharded = await replica({ FHPA_SWEEP_SHARD: '1/3' }, false);
    const r = await postSweep(sharded);
    expect(r.status).toBe(200);
    expect(r.body.shard).toEqual({ index: 1, count: 3 });
    expect(r.body.leases).toBeUndefined();
    expect(r.body.listed).toBe(FHPAS);
    expect(r.body.evaluated).toBe(inPartitions([1], 3));
    expect(r.body.evaluated).toBeGreaterThan(0);
  });
});
