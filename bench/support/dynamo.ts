import { createHistoryStore, parseStoreConfig } from '../../src/store/config.ts';
import { connectorFor, dynamoApi } from '../../src/store/connect.ts';
import { initTable } from '../../src/store/dynamodb-table.ts';
import type { HistoryStore } from '../../src/store/history-store.ts';
import { dynaliteEnv } from '../../test/support/dynalite.ts';

// DynamoDB history stores for the storm, faults and sweep runs: a table created on a dynalite endpoint (or a
// proxy in front of one), and as many independent store clients on it as there are "invocations", each with
// its own SDK client and sockets, as separate Lambda invocations would have.

export interface DynamoTable {
  /** A new store client of its own on the table. */
  client(clock: () => number): Promise<HistoryStore>;
}

/** Creates `table` at `endpoint` and returns a factory of store clients; `via` routes the clients elsewhere. */
export async function dynamoTable(
  endpoint: string,
  table: string,
  via: string = endpoint,
): Promise<DynamoTable> {
  const config = parseStoreConfig(dynaliteEnv(endpoint, table));
  if (config.kind !== 'dynamodb') throw new Error('expected a DynamoDB store configuration');
  const admin = await dynamoApi(config, 'sdk');
  try {
    await initTable(admin, table, { sleep: async () => {} });
  } finally {
    admin.close();
  }
  const clientConfig = parseStoreConfig(dynaliteEnv(via, table));
  return {
    client: (clock) =>
      createHistoryStore(clientConfig, { connect: connectorFor('sdk'), onWarning: () => {}, clock }),
  };
}
