// The few DynamoDB operations fhpa uses, as a port with two transports behind it: the AWS SDK
// (dynamodb-sdk.ts, Node and Lambda) and DynamoDB's JSON protocol over fetch (dynamodb-fetch.ts, Cloudflare
// Workers, where the SDK is not supported: aws/aws-sdk-js-v3#4765). Values are DynamoDB's own JSON shapes
// ({"S": "…"}, {"N": "12"}), which both transports speak unchanged. Transports retry throttling and 5xx
// themselves; what reaches the store is a result, a ConditionalCheckFailed, or a DynamoApiError.

/** One attribute in DynamoDB JSON. fhpa writes only S and N; anything may come back from a foreign item. */
export type AttributeValue = { S?: string; N?: string; [type: string]: unknown };
export type Item = Record<string, AttributeValue>;

export interface ConditionalPut {
  table: string;
  item: Item;
  condition: string;
  names: Record<string, string>;
  values: Item;
}

export interface DynamoApi {
  /** A strongly consistent read; undefined when there is no such item. */
  getItem(table: string, key: Item): Promise<Item | undefined>;
  /**
   * A conditional put with ReturnValuesOnConditionCheckFailure ALL_OLD. Throws ConditionalCheckFailed, which
   * carries the current item when the endpoint returns it (DynamoDB does; dynalite 4 does not).
   */
  putItem(put: ConditionalPut): Promise<void>;
  /** One BatchGetItem call (at most 100 keys), strongly consistent; unprocessed keys are returned, not retried. */
  batchGetItem(table: string, keys: Item[]): Promise<{ items: Item[]; unprocessed: Item[] }>;
  /** The table's status ("CREATING", "ACTIVE", …); undefined when the table does not exist. */
  describeTable(table: string): Promise<string | undefined>;
  /** Creates the table described by createTableInput. */
  createTable(table: string): Promise<void>;
  /** "ENABLED", "DISABLED", … */
  describeTimeToLive(table: string): Promise<string>;
  /** Throws DynamoApiError code UnknownOperationException on servers without TTL (dynalite, DynamoDB Local). */
  updateTimeToLive(table: string, attribute: string): Promise<void>;
  /** Releases sockets. */
  close(): void;
}

export class ConditionalCheckFailed extends Error {
  constructor(public readonly item: Item | undefined) {
    super('The conditional request failed');
    this.name = 'ConditionalCheckFailed';
  }
}

/** Any other failure, after the transport's retries: `code` is DynamoDB's error type, e.g. ResourceNotFoundException. */
export class DynamoApiError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status?: number,
  ) {
    super(`${code}: ${message}`);
    this.name = 'DynamoApiError';
  }
}

// Error types DynamoDB documents as retryable with backoff (developerguide/Programming.Errors.html); the SDK's
// standard retry strategy treats the same set as throttling.
export const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

export const KEY_ATTRIBUTE = 'pk';
export const TTL_ATTRIBUTE = 'ttl';

/**
 * The table as `fhpa store init` creates it, in CreateTable's request shape (shared by both transports):
 * one string partition key, on-demand billing. infra/aws/table.yaml is the production definition (adds TTL,
 * point-in-time recovery and KMS encryption).
 */
export function createTableInput(table: string) {
  return {
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [{ AttributeName: KEY_ATTRIBUTE, AttributeType: 'S' as const }],
    KeySchema: [{ AttributeName: KEY_ATTRIBUTE, KeyType: 'HASH' as const }],
  };
}
