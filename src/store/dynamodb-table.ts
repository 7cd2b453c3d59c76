import { type DynamoApi, DynamoApiError, TTL_ATTRIBUTE } from './dynamodb-api.ts';
import { HistoryStoreError } from './history-store.ts';

// `fhpa store init`: create the history table on whatever endpoint is configured (AWS, dynalite, DynamoDB
// Local) and switch on TTL, idempotently, so it is safe in a setup script run again and again.

export interface TableInit {
  created: boolean;
  /** The table's status when init finished: "ACTIVE" unless the wait ran out. */
  status: string;
  /**
   * enabled: switched on now; already: it was on; unsupported: the endpoint has no UpdateTimeToLive
   * (dynalite, DynamoDB Local), so expired histories are ignored on read but never deleted.
   */
  ttl: 'enabled' | 'already' | 'unsupported';
}

export interface TableInitOptions {
  sleep: (ms: number) => Promise<void>;
  /** How long to wait for a new table to become ACTIVE (AWS takes a few seconds). */
  waitMs?: number;
  pollMs?: number;
}

export async function initTable(api: DynamoApi, table: string, opts: TableInitOptions): Promise<TableInit> {
  let created = false;
  let status = await api.describeTable(table);
  if (status === undefined) {
    try {
      await api.createTable(table);
      created = true;
    } catch (err) {
      // Another `store init` (or CloudFormation) created it between our describe and create: that is success.
      if (!(err instanceof DynamoApiError && err.code === 'ResourceInUseException')) throw err;
    }
    status = await api.describeTable(table);
  }
  const pollMs = opts.pollMs ?? 1_000;
  for (let waited = 0; status !== 'ACTIVE' && waited < (opts.waitMs ?? 60_000); waited += pollMs) {
    await opts.sleep(pollMs);
    status = await api.describeTable(table);
  }
  if (status !== 'ACTIVE') {
    throw new HistoryStoreError(
      `table "${table}" is ${status ?? 'missing'}, not ACTIVE; run \`fhpa store init\` again later`,
    );
  }
  return { created, status, ttl: await enableTtl(api, table) };
}

async function enableTtl(api: DynamoApi, table: string): Promise<TableInit['ttl']> {
  try {
    const ttl = await api.describeTimeToLive(table);
    // UpdateTimeToLive fails with ValidationException when TTL is already on, so ask first.
    if (ttl === 'ENABLED' || ttl === 'ENABLING') return 'already';
    await api.updateTimeToLive(table, TTL_ATTRIBUTE);
    return 'enabled';
  } catch (err) {
    if (err instanceof DynamoApiError && err.code === 'UnknownOperationException') return 'unsupported';
    throw err;
  }
}
