import { historyJson } from '../api/snapshot-of.ts';
import { ConfigError } from '../config.ts';
import { createHistoryStore, describeStore, parseStoreConfig } from '../store/config.ts';
import { connectorFor, dynamoApi } from '../store/connect.ts';
import { DynamoApiError } from '../store/dynamodb-api.ts';
import { initTable } from '../store/dynamodb-table.ts';
import { type HistoryKey, HistoryStoreError, parseHistoryKey } from '../store/history-store.ts';
import { argumentError, type CliIO, type Command } from './io.ts';

const help = `Usage: fhpa store <subcommand>

Manage the stabilization history store.

Subcommands:
  init                          Create the DynamoDB table and enable TTL on it, on the configured
                                endpoint. Safe to run again: an existing table is left as it is.
  get SCOPE/NAMESPACE/NAME      Print one FederatedHPA's stored history as JSON.

Environment:
  FHPA_DYNAMODB_TABLE           table name (without it, the embedded in-process store is used)
  FHPA_DYNAMODB_ENDPOINT        endpoint URL for dynalite or DynamoDB Local (default: AWS)
  AWS_REGION                    region, e.g. eu-west-1 (required for DynamoDB)
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
                                credentials (default: the AWS SDK's credential chain)
  FHPA_DYNAMODB_MAX_ATTEMPTS    attempts per DynamoDB call, with backoff on throttling (default 3)
  FHPA_HISTORY_TTL_SECONDS      seconds a history outlives its last save (default 604800, 7 days)

Production tables are better made with infra/aws/table.yaml (adds point-in-time recovery and KMS).`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `fhpa store`: exit 0 on success, 1 when the store fails, 2 for usage and configuration errors. */
export const store: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === undefined)
    return argumentError(io, 'store', 'expected a subcommand: init, or get SCOPE/NAMESPACE/NAME');
  if (sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    io.out(help);
    return 0;
  }
  try {
    if (sub === 'init' && rest.length === 0) return await init(io);
    if (sub === 'get' && rest.length === 1) return await get(io, rest[0]!);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`fhpa store ${sub}: ${err.message}`);
      return 2;
    }
    if (err instanceof HistoryStoreError || err instanceof DynamoApiError) {
      io.err(`fhpa store ${sub}: ${err.message}`);
      return 1;
    }
    throw err;
  }
  return argumentError(io, 'store', `unknown subcommand or arguments: ${args.join(' ')}`.slice(0, 200));
};

async function init(io: CliIO): Promise<number> {
  const config = parseStoreConfig(io.env);
  if (config.kind === 'embedded') {
    io.err(
      'fhpa store init: FHPA_DYNAMODB_TABLE is not set; the embedded store (the default) keeps histories in memory and has no table to create',
    );
    return 2;
  }
  const api = await dynamoApi(config, 'sdk');
  try {
    const result = await initTable(api, config.table, { sleep, pollMs: 250 });
    io.out(`${result.created ? 'created' : 'already exists:'} ${describeStore(config)} (${result.status})`);
    io.out(
      {
        enabled: `TTL enabled on attribute "ttl"`,
        already: `TTL already enabled`,
        unsupported:
          'TTL not enabled: this endpoint has no UpdateTimeToLive (dynalite, DynamoDB Local); expired histories are ignored but not deleted',
      }[result.ttl],
    );
    return 0;
  } finally {
    api.close();
  }
}

async function get(io: CliIO, keyText: string): Promise<number> {
  let key: HistoryKey;
  try {
    key = parseHistoryKey(keyText);
  } catch (err) {
    io.err(`fhpa store get: ${(err as Error).message}`);
    return 2;
  }
  const config = parseStoreConfig(io.env);
  if (config.kind === 'embedded') {
    io.err(
      'fhpa store get: FHPA_DYNAMODB_TABLE is not set; the embedded store lives inside a running fhpa process',
    );
    return 2;
  }
  const historyStore = await createHistoryStore(config, {
    connect: connectorFor('sdk'),
    onWarning: (m) => io.err(`warning: ${m}`),
  });
  try {
    const stored = await historyStore.load(key);
    // `history` as a snapshot takes it (RFC 3339 times), so it can be pasted into one for `fhpa recommend`;
    // the pipeline's own bookkeeping, which no decision reads, apart.
    const { lastScale, shadowEvent } = stored.history;
    const iso = (ms: number) => new Date(ms).toISOString();
    const bookkeeping = {
      ...(lastScale
        ? {
            lastScale: {
              ...lastScale,
              timestamp: iso(lastScale.timestamp),
              ...(lastScale.writtenAgainst
                ? {
                    writtenAgainst: {
                      ...lastScale.writtenAgainst,
                      savedAt: iso(lastScale.writtenAgainst.savedAt),
                    },
                  }
                : {}),
            },
          }
        : {}),
      ...(shadowEvent ? { shadowEvent: { ...shadowEvent, timestamp: iso(shadowEvent.timestamp) } } : {}),
    };
    io.out(
      JSON.stringify(
        {
          key: historyStore.keyString(key),
          version: stored.version,
          history: historyJson(stored.history),
          ...(Object.keys(bookkeeping).length > 0 ? { bookkeeping } : {}),
        },
        null,
        2,
      ),
    );
    return 0;
  } finally {
    historyStore.close?.();
  }
}
