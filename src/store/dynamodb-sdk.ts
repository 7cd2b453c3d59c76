import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue as SdkAttributeValue,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  ConditionalCheckFailed,
  createTableInput,
  type DynamoApi,
  DynamoApiError,
  type Item,
} from './dynamodb-api.ts';

export interface SdkTransportOptions {
  region: string;
  /** For dynalite or DynamoDB Local; AWS's regional endpoint when absent. */
  endpoint?: string;
  /** Static credentials; absent: the SDK's default chain (Lambda role, IRSA, ~/.aws). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call including the first; the SDK's standard mode retries throttling and 5xx with backoff. */
  maxAttempts: number;
}

// The Node and Lambda transport. Retries are the SDK's "standard" strategy (exponential backoff with jitter,
// a retry quota), the one AWS recommends; we only choose how many attempts.
export function sdkDynamoApi(opts: SdkTransportOptions): DynamoApi {
  const client = new DynamoDBClient({
    region: opts.region,
    maxAttempts: opts.maxAttempts,
    retryMode: 'standard',
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  });
  const send = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      throw toApiError(err);
    }
  };
  return {
    getItem: (table, key) =>
      send(async () => {
        const out = await client.send(
          new GetItemCommand({ TableName: table, Key: sdk(key), ConsistentRead: true }),
        );
        return out.Item && ours(out.Item);
      }),
    putItem: (put) =>
      send(async () => {
        await client.send(
          new PutItemCommand({
            TableName: put.table,
            Item: sdk(put.item),
            ConditionExpression: put.condition,
            ExpressionAttributeNames: put.names,
            ExpressionAttributeValues: sdk(put.values),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
      }),
    batchGetItem: (table, keys) =>
      send(async () => {
        const out = await client.send(
          new BatchGetItemCommand({
            RequestItems: { [table]: { Keys: keys.map(sdk), ConsistentRead: true } },
          }),
        );
        return {
          items: (out.Responses?.[table] ?? []).map(ours),
          unprocessed: (out.UnprocessedKeys?.[table]?.Keys ?? []).map(ours),
        };
      }),
    describeTable: async (table) => {
      try {
        const out = await client.send(new DescribeTableCommand({ TableName: table }));
        return out.Table?.TableStatus ?? 'UNKNOWN';
      } catch (err) {
        const e = toApiError(err);
        if (e instanceof DynamoApiError && e.code === 'ResourceNotFoundException') return undefined;
        throw e;
      }
    },
    createTable: (table) =>
      send(async () => {
        await client.send(new CreateTableCommand(createTableInput(table)));
      }),
    describeTimeToLive: (table) =>
      send(async () => {
        const out = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
        return out.TimeToLiveDescription?.TimeToLiveStatus ?? 'DISABLED';
      }),
    updateTimeToLive: (table, attribute) =>
      send(async () => {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: table,
            TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
          }),
        );
      }),
    close: () => client.destroy(),
  };
}

// Our Item is DynamoDB JSON, which is what the SDK's AttributeValue union describes; only the static types differ.
const sdk = (item: Item) => item as unknown as Record<string, SdkAttributeValue>;
const ours = (item: Record<string, SdkAttributeValue>) => item as unknown as Item;

function toApiError(err: unknown): Error {
  if (err instanceof ConditionalCheckFailedException)
    return new ConditionalCheckFailed(err.Item && ours(err.Item));
  if (err instanceof Error) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // SDK service errors name their DynamoDB type; client-side ones (no credentials, DNS) keep their own name.
    return new DynamoApiError(err.name, err.message, status);
  }
  return new DynamoApiError('UnknownError', String(err));
}
