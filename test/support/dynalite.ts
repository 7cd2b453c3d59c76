import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { parseStoreConfig } from '../../src/store/config.ts';
import { dynamoApi } from '../../src/store/connect.ts';
import { initTable } from '../../src/store/dynamodb-table.ts';

// A real DynamoDB-compatible server (dynalite: LevelDB in memory) on a free loopback port, for any suite that
// needs a table. dynalite ships no type declarations, hence the typed require instead of `import dynalite`.
type DynaliteFactory = (options: {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export interface DynaliteServer {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** Closes open connections and the server. */
  stop(): Promise<void>;
}

/** Credentials dynalite accepts (it checks their format, not their value); never real ones. */
export const dynaliteEnv = (endpoint: string, table: string) => ({
  FHPA_DYNAMODB_TABLE: table,
  FHPA_DYNAMODB_ENDPOINT: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'fhpatest',
  AWS_SECRET_ACCESS_KEY: 'fhpatest',
});

export async function startDynalite(): Promise<DynaliteServer> {
  // Tables become ACTIVE at once, so `store init` does not wait.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from the SDK or fetch would hold close() open.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Creates `table` on dynalite through the AWS SDK, as `fhpa store init` does, for suites that need it to exist. */
export async function initDynaliteTable(endpoint: string, table: string): Promise<void> {
  const config = parseStoreConfig(dynaliteEnv(endpoint, table));
  if (config.kind !== 'dynamodb') throw new Error('expected a DynamoDB configuration');
  await initTable(await dynamoApi(config, 'sdk'), table, { sleep: async () => {} });
}
