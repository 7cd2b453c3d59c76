import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { parseStoreConfig } from '../../src/store/config.ts';
import { dynamoApi, type Transport } from '../../src/store/connect.ts';
import type { DynamoApi } from '../../src/store/dynamodb-api.ts';
import { DynamoLeaseStore } from '../../src/store/dynamodb-leases.ts';
import { initTable } from '../../src/store/dynamodb-table.ts';
import { type DynaliteServer, dynaliteEnv, startDynalite } from '../support/dynalite.ts';
import { leaseStoreContract } from './lease-contract.ts';

// The lease contract on real dynalite, through both transports (the SDK on Node and Lambda, signed fetch on
// Workers): conditional PutItem, the re-read after a lost race (dynalite returns no item with the failure),
// and BatchGetItem over the membership record and every lease.

const table = 'leases';
let server: DynaliteServer;
let raw: DynamoDBClient;
const apis: DynamoApi[] = [];
beforeAll(async () => {
  server = await startDynalite();
  raw = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'fhpatest', secretAccessKey: 'fhpatest' },
  });
  const api = await apiFor('sdk');
  await initTable(api, table, { sleep: async () => {}, pollMs: 1 });
});
afterAll(async () => {
  for (const api of apis) api.close();
  raw.destroy();
  await server.stop();
});

async function apiFor(transport: Transport): Promise<DynamoApi> {
  const config = parseStoreConfig(dynaliteEnv(server.endpoint, table));
  if (config.kind !== 'dynamodb') throw new Error('expected a DynamoDB configuration');
  const api = await dynamoApi(config, transport);
  apis.push(api);
  return api;
}

let n = 0;
describe.each<Transport>(['sdk', 'fetch'])('DynamoDB leases over %s', (transport) => {
  leaseStoreContract(async () => {
    const store = new DynamoLeaseStore({ api: await apiFor(transport), table });
    return {
      store,
      scope: `${transport}-${++n}`,
      plant: async (key, fields) => {
        const item = Object.fromEntries(
          Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? { S: v } : { N: String(v) }]),
        );
        await raw.send(new PutItemCommand({ TableName: table, Item: { ...item, pk: { S: key } } }));
      },
    };
  });
});
