import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { createHistoryStore, parseStoreConfig } from '../../src/store/config.ts';
import { connectorFor, dynamoApi, type Transport } from '../../src/store/connect.ts';
import { initTable } from '../../src/store/dynamodb-table.ts';
import { type DynaliteServer, dynaliteEnv, startDynalite } from '../support/dynalite.ts';
import { type ContractHarness, historyStoreContract, T0 } from './contract.ts';

// The shared contract against the DynamoDB store over one transport, on its own dynalite server (one test
// file per transport, so the two run in parallel).

const TTL_SECONDS = 86_400;
const fastBackoff = { random: () => 0.5, sleep: async () => {}, baseMs: 1, capMs: 5 };

export function dynamoContract(transport: Transport): void {
  describe(`DynamoDB store over ${transport}, against dynalite`, () => {
    const table = `history-${transport}`;
    const closers: Array<() => void> = [];
    let server: DynaliteServer;
    let raw: DynamoDBClient;
    beforeAll(async () => {
      server = await startDynalite();
      raw = new DynamoDBClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'fhpatest', secretAccessKey: 'fhpatest' },
      });
      const config = parseStoreConfig(dynaliteEnv(server.endpoint, table));
      if (config.kind !== 'dynamodb') throw new Error('expected a DynamoDB configuration');
      const api = await dynamoApi(config, transport);
      await initTable(api, table, { sleep: async () => {}, pollMs: 1 });
      api.close();
    });
    afterAll(async () => {
      for (const close of closers) close();
      raw.destroy();
      await server.stop();
    });

    historyStoreContract(async (): Promise<ContractHarness> => {
      const warnings: string[] = [];
      const clock = { now: T0 };
      const config = parseStoreConfig({
        ...dynaliteEnv(server.endpoint, table),
        FHPA_HISTORY_TTL_SECONDS: String(TTL_SECONDS),
      });
      const store = await createHistoryStore(config, {
        connect: connectorFor(transport),
        clock: () => clock.now,
        onWarning: (w) => warnings.push(w),
        backoff: fastBackoff,
      });
      closers.push(() => store.close?.());
      return {
        store,
        warnings,
        clock,
        ttlSeconds: TTL_SECONDS,
        // Another program writing the table directly, with the SDK.
        plant: async (key, fields) => {
          const item = Object.fromEntries(
            Object.entries(fields).map(([name, v]) => [
              name,
              typeof v === 'string' ? { S: v } : typeof v === 'number' ? { N: String(v) } : { BOOL: v },
            ]),
          );
          await raw.send(
            new PutItemCommand({ TableName: table, Item: { ...item, pk: { S: store.keyString(key) } } }),
          );
        },
        peek: async (key) => {
          const out = await raw.send(
            new GetItemCommand({
              TableName: table,
              Key: { pk: { S: store.keyString(key) } },
              ConsistentRead: true,
            }),
          );
          if (!out.Item) return undefined;
          return Object.fromEntries(
            Object.entries(out.Item).map(([name, v]) => [name, v.S ?? (v.N === undefined ? v : Number(v.N))]),
          );
        },
      };
    });
  });
}
