import { AwsClient } from 'aws4fetch';
import { z } from 'zod';
import { fieldPath } from '../api/field-path.ts';
import { type Backoff, backoffDelay, defaultBackoff } from './backoff.ts';
import {
  ConditionalCheckFailed,
  createTableInput,
  type DynamoApi,
  DynamoApiError,
  type Item,
  THROTTLING_ERRORS,
} from './dynamodb-api.ts';

export interface FetchTransportOptions {
  region: string;
  /** For dynalite or DynamoDB Local; https://dynamodb.REGION.amazonaws.com when absent. */
  endpoint?: string;
  /** Workers have no credential chain: static keys (and a session token for temporary ones) are required. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call including the first. */
  maxAttempts: number;
  fetch?: (request: Request) => Promise<Response>;
  backoff?: Backoff;
  /** Largest response body read; BatchGetItem returns at most 16 MB (API_BatchGetItem.html). */
  maxResponseBytes?: number;
}

// The Cloudflare Workers transport: DynamoDB's JSON protocol (x-amz-json-1.0, X-Amz-Target
// DynamoDB_20120810.<Operation>) over fetch, SigV4-signed by aws4fetch. aws4fetch's own retries only cover
// 5xx and 429, but DynamoDB throttles with 400 + ProvisionedThroughputExceededException/ThrottlingException,
// so we retry here instead (its retries off): throttling, 5xx and network errors, with jittered exponential
// backoff, at most maxAttempts times. Every response body is size-bounded and parsed with zod.
export function fetchDynamoApi(opts: FetchTransportOptions): DynamoApi {
  const signer = new AwsClient({ ...opts.credentials, region: opts.region, service: 'dynamodb', retries: 0 });
  const url = opts.endpoint ?? `https://dynamodb.${opts.region}.amazonaws.com/`;
  const send = opts.fetch ?? ((request: Request) => fetch(request));
  const backoff = opts.backoff ?? defaultBackoff();
  const maxBytes = opts.maxResponseBytes ?? 17 * 1024 * 1024;

  async function call<S extends z.ZodType>(operation: string, body: unknown, schema: S): Promise<z.infer<S>> {
    for (let attempt = 1; ; attempt++) {
      const retry = async () => backoff.sleep(backoffDelay(attempt - 1, backoff));
      let response: Response;
      try {
        const request = await signer.sign(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `DynamoDB_20120810.${operation}`,
          },
          body: JSON.stringify(body),
        });
        response = await send(request);
      } catch (err) {
        if (attempt < opts.maxAttempts) {
          await retry();
          continue;
        }
        throw new DynamoApiError(
          'NetworkError',
          `${operation}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const text = await readBounded(response, maxBytes, operation);
      if (response.ok) return parseBody(schema, text, operation);
      const failure = parseFailure(text);
      if (failure.code === 'ConditionalCheckFailedException') throw new ConditionalCheckFailed(failure.item);
      if ((response.status >= 500 || THROTTLING_ERRORS.has(failure.code)) && attempt < opts.maxAttempts) {
        await retry();
        continue;
      }
      throw new DynamoApiError(failure.code, failure.message, response.status);
    }
  }

  return {
    getItem: async (table, key) =>
      (await call('GetItem', { TableName: table, Key: key, ConsistentRead: true }, getItemOutput)).Item,
    putItem: async (put) => {
      await call(
        'PutItem',
        {
          TableName: put.table,
          Item: put.item,
          ConditionExpression: put.condition,
          ExpressionAttributeNames: put.names,
          ExpressionAttributeValues: put.values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
        z.object({}),
      );
    },
    batchGetItem: async (table, keys) => {
      const out = await call(
        'BatchGetItem',
        { RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } },
        batchGetItemOutput,
      );
      return { items: out.Responses?.[table] ?? [], unprocessed: out.UnprocessedKeys?.[table]?.Keys ?? [] };
    },
    describeTable: async (table) => {
      try {
        return (await call('DescribeTable', { TableName: table }, describeTableOutput)).Table.TableStatus;
      } catch (err) {
        if (err instanceof DynamoApiError && err.code === 'ResourceNotFoundException') return undefined;
        throw err;
      }
    },
    createTable: async (table) => {
      await call('CreateTable', createTableInput(table), z.object({}));
    },
    describeTimeToLive: async (table) =>
      (await call('DescribeTimeToLive', { TableName: table }, describeTtlOutput)).TimeToLiveDescription
        .TimeToLiveStatus ?? 'DISABLED',
    updateTimeToLive: async (table, attribute) => {
      await call(
        'UpdateTimeToLive',
        { TableName: table, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } },
        z.object({}),
      );
    },
    close: () => {},
  };
}

// Response shapes (API reference: API_GetItem.html, API_BatchGetItem.html, API_DescribeTable.html,
// API_DescribeTimeToLive.html), only the fields we use; zod strips the rest.
const item = z.record(z.string(), z.record(z.string(), z.unknown())) as z.ZodType<Item>;
const getItemOutput = z.object({ Item: item.optional() });
const batchGetItemOutput = z.object({
  Responses: z.record(z.string(), z.array(item)).optional(),
  UnprocessedKeys: z.record(z.string(), z.object({ Keys: z.array(item) })).optional(),
});
const describeTableOutput = z.object({ Table: z.object({ TableStatus: z.string() }) });
const describeTtlOutput = z.object({
  TimeToLiveDescription: z.object({ TimeToLiveStatus: z.string().optional() }),
});
// Errors: {"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "message": "…",
// "Item": {…}} — the item only with ReturnValuesOnConditionCheckFailure, and only from DynamoDB itself.
const errorOutput = z.object({
  __type: z.string().optional(),
  message: z.string().optional(),
  Message: z.string().optional(),
  Item: item.optional(),
});

function parseBody<S extends z.ZodType>(schema: S, text: string, operation: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DynamoApiError('InvalidResponse', `${operation} response is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DynamoApiError(
      'InvalidResponse',
      `${operation} response: ${fieldPath(issue.path)}: ${issue.message}`,
    );
  }
  return parsed.data;
}

function parseFailure(text: string): { code: string; message: string; item?: Item } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = errorOutput.safeParse(json);
  if (!parsed.success) return { code: 'UnknownError', message: 'unreadable error response' };
  const e = parsed.data;
  return {
    code: e.__type?.split('#').pop() || 'UnknownError',
    message: e.message ?? e.Message ?? 'no message',
    ...(e.Item ? { item: e.Item } : {}),
  };
}

async function readBounded(response: Response, max: number, operation: string): Promise<string> {
  const tooLarge = () => new DynamoApiError('InvalidResponse', `${operation} response exceeds ${max} bytes`);
  if (Number(response.headers.get('content-length') ?? 0) > max) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
