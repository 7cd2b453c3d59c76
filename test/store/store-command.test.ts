import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommend } from '../../src/cli/recommend.ts';
import { store } from '../../src/cli/store.ts';
import { createHistoryStore, parseStoreConfig } from '../../src/store/config.ts';
import { connectorFor } from '../../src/store/connect.ts';
import { type DynaliteServer, dynaliteEnv, startDynalite } from '../support/dynalite.ts';
import { memoryIO } from '../support/memory-io.ts';

// `fhpa store init` and `fhpa store get`, run in-process against dynalite.

let server: DynaliteServer;
beforeAll(async () => {
  server = await startDynalite();
});
afterAll(async () => {
  await server.stop();
});

async function run(args: string[], env: Record<string, string | undefined>) {
  const { io, out, err } = memoryIO();
  io.env = env;
  const code = await store(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('fhpa store', () => {
  it.each([
    { args: ['--help'], code: 0 },
    { args: ['init', '--help'], code: 0 },
  ])('prints usage for $args (exit $code)', async ({ args, code }) => {
    const r = await run(args, {});
    expect(r.code).toBe(code);
    expect(r.out).toContain('Usage: fhpa store <subcommand>');
    expect(r.out).toContain('FHPA_DYNAMODB_ENDPOINT');
  });

  it('rejects an unknown subcommand with exit 2', async () => {
    const r = await run(['drop'], {});
    expect(r.code).toBe(2);
    expect(r.err).toContain('fhpa store: unknown subcommand or arguments: drop');
  });

  it('init creates the table, then says it exists (exit 0 both times)', async () => {
    const env = dynaliteEnv(server.endpoint, 'cli-history');
    const first = await run(['init'], env);
    expect(first).toEqual({
      code: 0,
      out: [
        `created DynamoDB table "cli-history" in us-east-1 at ${server.endpoint} (ACTIVE)`,
        'TTL not enabled: this endpoint has no UpdateTimeToLive (dynalite, DynamoDB Local); expired histories are ignored but not deleted',
      ].join('\n'),
      err: '',
    });
    const second = await run(['init'], env);
    expect(second.code).toBe(0);
    expect(second.out.split('\n')[0]).toBe(
      `already exists: DynamoDB table "cli-history" in us-east-1 at ${server.endpoint} (ACTIVE)`,
    );
  });

  it.each([
    {
      what: 'no table (the embedded store)',
      env: {},
      err: 'fhpa store init: FHPA_DYNAMODB_TABLE is not set; the embedded store (the default) keeps histories in memory and has no table to create',
    },
    {
      what: 'no region',
      env: { FHPA_DYNAMODB_TABLE: 'cli-history', AWS_SECRET_ACCESS_KEY: 'do-not-print-me' },
      err: 'fhpa store init: invalid configuration:\n  - AWS_REGION: required for the DynamoDB history store\n  - AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither',
    },
  ])('init exits 2 naming the variable: $what', async ({ env, err }) => {
    const r = await run(['init'], env);
    expect(r).toEqual({ code: 2, out: '', err });
  });

  // Issue 19.7: what `store get` prints is a snapshot's `history`, times in RFC 3339 (the store keeps epoch
  // milliseconds, which a snapshot refuses), so it goes straight into `fhpa recommend`.
  it('get prints the stored history as a snapshot takes it, and recommend replays it', async () => {
    const env = dynaliteEnv(server.endpoint, 'cli-history');
    await run(['init'], env);
    const s = await createHistoryStore(parseStoreConfig(env), {
      connect: connectorFor('sdk'),
      onWarning: () => {},
    });
    const now = Date.parse('2026-01-01T00:05:00Z');
    const stored = {
      recommendations: [
        { timestamp: now - 15_000, replicas: 9 },
        { timestamp: now - 5_000, replicas: 3 },
      ],
      scaleUpEvents: [{ timestamp: now - 20_000, replicaChange: 4 }],
      scaleDownEvents: [],
      lastScale: {
        timestamp: now - 20_000,
        replicas: 6,
        writtenAgainst: { resourceVersion: '77', replicas: 2, savedAt: now - 19_000 },
      },
    };
    await s.save({ scope: 'karmada', namespace: 'default', name: 'sample-app' }, stored, 0);
    s.close?.();

    const r = await run(['get', 'karmada/default/sample-app'], env);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out);
    expect(got).toEqual({
      key: 'karmada/default/sample-app',
      version: 1,
      history: {
        recommendations: [
          { timestamp: '2026-01-01T00:04:45.000Z', replicas: 9 },
          { timestamp: '2026-01-01T00:04:55.000Z', replicas: 3 },
        ],
        scaleUpEvents: [{ timestamp: '2026-01-01T00:04:40.000Z', replicaChange: 4 }],
        scaleDownEvents: [],
      },
      bookkeeping: {
        lastScale: {
          timestamp: '2026-01-01T00:04:40.000Z',
          replicas: 6,
          writtenAgainst: { resourceVersion: '77', replicas: 2, savedAt: '2026-01-01T00:04:41.000Z' },
        },
      },
    });

    // Into the seed scale-up snapshot (now 00:05:00, 2 replicas, wants 13; 6 with no history): its 10 s
    // scale-up window now holds the stored 3 of 00:04:55, so the decision is 3, the history's doing.
    const snapshot = JSON.parse(
      await readFile(new URL('../../examples/snapshot-seed-scale-up.json', import.meta.url), 'utf8'),
    );
    snapshot.history = got.history;
    const { io, out, err } = memoryIO('', { 'snap.json': JSON.stringify(snapshot) });
    expect(await recommend(['snap.json'], io)).toBe(0);
    expect(err).toEqual([]);
    const decision = JSON.parse(out.join(''));
    expect(decision.desiredReplicas).toBe(3);
    expect(decision.history.recommendations).toHaveLength(2);
  });

  it('get refuses a malformed key with exit 2, naming the expected form', async () => {
    const r = await run(['get', 'shop/web'], dynaliteEnv(server.endpoint, 'cli-history'));
    expect(r).toEqual({
      code: 2,
      out: '',
      err: 'fhpa store get: history key "shop/web" must be SCOPE/NAMESPACE/NAME',
    });
  });
});
