import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { History } from '../../src/engine/history-types.ts';
import { parseStoreConfig } from '../../src/store/config.ts';
import { dynamoApi, type Transport } from '../../src/store/connect.ts';
import { type DynamoApi, DynamoApiError } from '../../src/store/dynamodb-api.ts';
import { fetchDynamoApi } from '../../src/store/dynamodb-fetch.ts';
import { DynamoHistoryStore } from '../../src/store/dynamodb-store.ts';
import { initTable } from '../../src/store/dynamodb-table.ts';
import { HistoryConflictError, HistoryStoreError } from '../../src/store/history-store.ts';
import { type DynaliteServer, dynaliteEnv, startDynalite } from '../support/dynalite.ts';
import { sample, T0 } from './contract.ts';
import { type DynamoProxy, startDynamoProxy } from './dynamo-proxy.ts';

// What only the DynamoDB store has: transport retries, the conflict's item (or the re-read without it),
// BatchGetItem's unprocessed keys, table creation, and the exact item layout. Real dynalite behind a
// fault-injecting loopback proxy (dynamo-proxy.ts), through both transports.

const fastBackoff = { random: () => 0.5, sleep: async () => {}, baseMs: 1, capMs: 5 };
const empty: History = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
const noSleep = { sleep: async () => {}, pollMs: 1 };

let server: DynaliteServer;
let proxy: DynamoProxy;
let raw: DynamoDBClient;
beforeAll(async () => {
  server = await startDynalite();
  proxy = await startDynamoProxy(server.endpoint);
  raw = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'fhpatest', secretAccessKey: 'fhpatest' },
  });
});
afterAll(async () => {
  raw.destroy();
  await proxy.stop();
  await server.stop();
});

async function apiFor(transport: Transport, table: string, endpoint = proxy.endpoint): Promise<DynamoApi> {
  const config = parseStoreConfig({ ...dynaliteEnv(endpoint, table), FHPA_DYNAMODB_MAX_ATTEMPTS: '3' });
  if (config.kind !== 'dynamodb') throw new Error('expected a DynamoDB configuration');
  return dynamoApi(config, transport, fastBackoff);
}

describe.each<Transport>(['sdk', 'fetch'])('DynamoDB store over %s', (transport) => {
  const table = `ops-${transport}`;
  let api: DynamoApi;
  let warnings: string[];
  let store: DynamoHistoryStore;
  const key = { scope: 'ops', namespace: 'shop', name: 'web' };
  let n = 0;
  const make = (options: { maxBatchRounds?: number } = {}) =>
    new DynamoHistoryStore({
      api,
      table,
      clock: () => T0,
      ttlSeconds: 3600,
      onWarning: (w) => warnings.push(w),
      backoff: fastBackoff,
      ...options,
    });

  beforeAll(async () => {
    api = await apiFor(transport, table);
    await initTable(api, table, noSleep);
  });
  afterAll(() => api.close());
  beforeEach(() => {
    proxy.reset();
    warnings = [];
    store = make();
    key.name = `web-${++n}`;
  });

  it('writes one item per FederatedHPA with exactly the documented attributes', async () => {
    await store.save(key, sample, 0);
    const out = await raw.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: `ops/shop/${key.name}` } } }),
    );
    expect(out.Item).toEqual({
      pk: { S: `ops/shop/${key.name}` },
      version: { N: '1' },
      schemaVersion: { N: '1' },
      history: { S: '{"t":1731999970000,"r":[0,4,15000,6,15000,5],"u":[15000,2],"d":[30000,1]}' },
      updatedAt: { N: String(T0) },
      ttl: { N: String(T0 / 1000 + 3600) },
    });
  });

  it.each([
    // Once each: the SDK's standard strategy waits up to 500 ms·2ⁿ after throttling, and tests should be quick.
    { type: 'ProvisionedThroughputExceededException', status: 400, times: 1, requests: 2 },
    { type: 'ThrottlingException', status: 400, times: 1, requests: 2 },
    { type: 'InternalServerError', status: 500, times: 2, requests: 3 },
    { type: 'ServiceUnavailable', status: 503, times: 1, requests: 2 },
  ])('retries $type ($status) with backoff and then succeeds', async ({ type, status, times, requests }) => {
    await store.save(key, sample, 0);
    proxy.fail('GetItem', times, status, type);
    expect(await store.load(key)).toEqual({ history: sample, version: 1 });
    expect(proxy.counts.get('GetItem')).toBe(requests);
  });

  it.each([
    {
      what: 'throttling that outlasts FHPA_DYNAMODB_MAX_ATTEMPTS',
      type: 'ThrottlingException',
      times: 5,
      requests: 3,
    },
    { what: 'a validation error, at once', type: 'ValidationException', times: 1, requests: 1 },
  ])(
    'gives up on $what with an error naming the operation and DynamoDB’s error type',
    async ({ type, times, requests }) => {
      proxy.fail('GetItem', times, 400, type);
      const err = await store.load(key).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HistoryStoreError);
      expect((err as Error).message).toBe(`load history of ops/shop/${key.name}: ${type}: injected`);
      expect(proxy.counts.get('GetItem')).toBe(requests);
    },
  );

  it('names the missing table and how to create it', async () => {
    const lost = new DynamoHistoryStore({
      api,
      table: 'no-such-table',
      clock: () => T0,
      ttlSeconds: 3600,
      onWarning: () => {},
    });
    await expect(lost.load(key)).rejects.toThrowError(
      new HistoryStoreError(
        `load history of ops/shop/${key.name}: ResourceNotFoundException: Requested resource not found (is table "no-such-table" created? \`fhpa store init\` creates it)`,
      ),
    );
  });

  // Powertools: DynamoDbPersistenceLayer.test.ts "throws when called with a record that fails any condition":
  // the failed put's item becomes the error's record, with no further read.
  it.each([
    { endpoint: 'DynamoDB: the item comes with the failure, no read', returnsItem: true, reads: 0 },
    { endpoint: 'dynalite: no item with the failure, one read', returnsItem: false, reads: 1 },
  ])('hands the loser the winner’s history ($endpoint)', async ({ returnsItem, reads }) => {
    await store.save(key, sample, 0);
    proxy.reset();
    proxy.returnItemOnConditionFailure = returnsItem;
    const err = await store.save(key, empty, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryConflictError);
    expect((err as HistoryConflictError).current).toEqual({ history: sample, version: 1 });
    expect(proxy.counts.get('PutItem')).toBe(1);
    expect(proxy.counts.get('GetItem') ?? 0).toBe(reads);
  });

  describe('BatchGetItem unprocessed keys', () => {
    // Items near the cap (3 × 1024 entries of 10-digit numbers, ~68 KB each). dynalite, like DynamoDB,
    // answers at most ~1.4 MB per BatchGetItem and returns the rest as UnprocessedKeys: 21 of these per call.
    const big: History = {
      recommendations: Array.from({ length: 1024 }, (_, i) => ({
        timestamp: T0 + i * 1_234_567_891,
        replicas: 2_147_483_647,
      })),
      scaleUpEvents: Array.from({ length: 1024 }, (_, i) => ({
        timestamp: T0 + i * 1_234_567_891,
        replicaChange: 2_147_483_647,
      })),
      scaleDownEvents: Array.from({ length: 1024 }, (_, i) => ({
        timestamp: T0 + i * 1_234_567_891,
        replicaChange: 2_147_483_647,
      })),
    };
    const keys = Array.from({ length: 30 }, (_, i) => ({
      scope: 'ops',
      namespace: 'shop',
      name: `big-${String(i).padStart(2, '0')}`,
    }));
    beforeAll(async () => {
      for (const k of keys) {
        await make()
          .save(k, big, 0)
          .catch((e: unknown) => {
            if (!(e instanceof HistoryConflictError)) throw e;
          });
      }
    });

    it('retries unprocessed keys until every history is read', async () => {
      const got = await store.loadMany(keys);
      expect([...got.keys()].sort()).toEqual(keys.map((k) => `ops/shop/${k.name}`));
      expect(got.get('ops/shop/big-07')).toEqual({ history: big, version: 1 });
      expect(proxy.counts.get('BatchGetItem')).toBe(2);
      expect(warnings).toEqual([]);
    });

    it('leaves keys still unprocessed after the last round out of the map, for load() to read', async () => {
      const got = await make({ maxBatchRounds: 1 }).loadMany(keys);
      expect(got.size).toBe(21);
      expect(warnings).toEqual([
        '9 histories were still unprocessed after 1 BatchGetItem round; they are left to single reads',
      ]);
    });
  });

  describe('store init', () => {
    it('creates the table once and then reports it exists (TTL unsupported on dynalite)', async () => {
      const direct = await apiFor(transport, `init-${transport}`, server.endpoint);
      expect(await initTable(direct, `init-${transport}`, noSleep)).toEqual({
        created: true,
        status: 'ACTIVE',
        ttl: 'unsupported',
      });
      expect(await initTable(direct, `init-${transport}`, noSleep)).toEqual({
        created: false,
        status: 'ACTIVE',
        ttl: 'unsupported',
      });
      direct.close();
    });

    it.each([
      { status: 'DISABLED', ttl: 'enabled', updates: 1 },
      { status: 'ENABLED', ttl: 'already', updates: 0 },
    ])('enables TTL on "ttl" when DescribeTimeToLive says $status', async ({ status, ttl, updates }) => {
      proxy.answer('DescribeTimeToLive', { TimeToLiveDescription: { TimeToLiveStatus: status } });
      proxy.answer('UpdateTimeToLive', { TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } });
      expect(await initTable(api, table, noSleep)).toEqual({ created: false, status: 'ACTIVE', ttl });
      expect(proxy.counts.get('UpdateTimeToLive') ?? 0).toBe(updates);
    });
  });
});

describe('fetch transport', () => {
  it('refuses a response larger than its bound, naming the operation', async () => {
    const api = fetchDynamoApi({
      region: 'us-east-1',
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'fhpatest', secretAccessKey: 'fhpatest' },
      maxAttempts: 1,
      maxResponseBytes: 40,
    });
    await expect(api.describeTable('ops-fetch')).rejects.toThrowError(
      new DynamoApiError('InvalidResponse', 'DescribeTable response exceeds 40 bytes'),
    );
  });
});
