import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback HTTP proxy in front of dynalite that adds what a real DynamoDB does and dynalite does not:
// throttling and 5xx answers (to exercise the transports' retries), the current item in a failed conditional
// put (ReturnValuesOnConditionCheckFailure: ALL_OLD), and the TTL calls. Everything else reaches dynalite
// unchanged, so both transports are tested over real HTTP end to end.

export interface DynamoProxy {
  endpoint: string;
  /** Requests seen per operation ("GetItem", "PutItem", …), including answered and failed ones. */
  counts: Map<string, number>;
  /** The next `times` requests for `operation` get this error instead of reaching dynalite. */
  fail(operation: string, times: number, status: number, type: string): void;
  /** Answer `operation` here (dynalite has no UpdateTimeToLive, and its DescribeTimeToLive is always DISABLED). */
  answer(operation: string, body: unknown): void;
  /** Sees every request before it is answered (what is read and written, for counting by key). */
  onRequest?: (operation: string, body: string) => void;
  /** Emulate DynamoDB returning the current item with a ConditionalCheckFailedException. */
  returnItemOnConditionFailure: boolean;
  reset(): void;
  stop(): Promise<void>;
}

const json = 'application/x-amz-json-1.0';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startDynamoProxy(upstream: string): Promise<DynamoProxy> {
  const faults = new Map<string, { times: number; status: number; type: string }>();
  const answers = new Map<string, unknown>();
  const counts = new Map<string, number>();
  const forward = (target: string, body: string, headers: IncomingMessage['headers']) =>
    fetch(upstream, {
      method: 'POST',
      body,
      headers: {
        'content-type': json,
        'x-amz-target': target,
        authorization: String(headers.authorization ?? ''),
        'x-amz-date': String(headers['x-amz-date'] ?? ''),
      },
    });

  const proxy: DynamoProxy = {
    endpoint: '',
    counts,
    returnItemOnConditionFailure: false,
    fail: (operation, times, status, type) => void faults.set(operation, { times, status, type }),
    answer: (operation, body) => void answers.set(operation, body),
    reset: () => {
      faults.clear();
      answers.clear();
      counts.clear();
      proxy.returnItemOnConditionFailure = false;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.split('.')[1] ?? '';
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    proxy.onRequest?.(operation, body);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': json });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    const fault = faults.get(operation);
    if (fault && fault.times > 0) {
      fault.times--;
      return send(fault.status, {
        __type: `com.amazonaws.dynamodb.v20120810#${fault.type}`,
        message: 'injected',
      });
    }
    if (answers.has(operation)) return send(200, answers.get(operation));

    // A keep-alive socket to dynalite can be reset under load (undici reusing a socket the server just closed):
    // answered as DynamoDB's 500, which both transports retry, rather than left as an unhandled rejection.
    try {
      const upstreamResponse = await forward(target, body, req.headers);
      const text = await upstreamResponse.text();
      if (
        proxy.returnItemOnConditionFailure &&
        operation === 'PutItem' &&
        text.includes('ConditionalCheckFailedException')
      ) {
        const request = JSON.parse(body) as { TableName: string; Item: { pk: unknown } };
        const current = await forward(
          'DynamoDB_20120810.GetItem',
          JSON.stringify({
            TableName: request.TableName,
            Key: { pk: request.Item.pk },
            ConsistentRead: true,
          }),
          req.headers,
        );
        const { Item } = (await current.json()) as { Item?: unknown };
        // The SDK checks x-amz-crc32 when present; the rewritten body goes out without it.
        return send(upstreamResponse.status, { ...JSON.parse(text), ...(Item ? { Item } : {}) });
      }
      return send(upstreamResponse.status, text);
    } catch (err) {
      return send(500, {
        __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
        message: String(err),
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
