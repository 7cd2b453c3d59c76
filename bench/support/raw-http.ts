import { connect } from 'node:net';

// HTTP/1.1 requests written byte by byte on a plain socket, for the fuzzer: fetch and node:http refuse to
// send what the fuzzer needs (a lying Content-Length, broken chunked framing, a body cut short, methods
// such as PROPFIND, bodies on GET). encodeRequest is pure; sendRaw only reads the status line back.

/** A body the size of which makes materialising every case up front wasteful: built when sent. */
export interface RepeatedBody {
  prefix: string;
  unit: string;
  times: number;
  suffix: string;
}

export type Framing =
  /** Content-Length equal to the body's size (omitted for an empty body). */
  | { kind: 'length' }
  /** Transfer-Encoding: chunked, the body in chunks of `size`; `badSize` writes a chunk size that is not hex. */
  | { kind: 'chunked'; size: number; badSize?: boolean }
  /** Content-Length says `declared` whatever the body is: the rest of a short body never comes. */
  | { kind: 'declared'; declared: number };

export interface RawRequest {
  method: string;
  /** The request target as written on the request line, e.g. `/alerts?x=1`. */
  target: string;
  headers: Array<[string, string]>;
  body: Uint8Array | RepeatedBody;
  framing: Framing;
  /** Send only this many bytes of the encoded request, then close our side (a client that died). */
  cutAt?: number;
}

export function bodyBytes(body: Uint8Array | RepeatedBody): Uint8Array {
  if (body instanceof Uint8Array) return body;
  return Buffer.from(body.prefix + body.unit.repeat(body.times) + body.suffix, 'utf8');
}

/** The request's bytes. Host and Connection: close are always sent, so one socket carries one exchange. */
export function encodeRequest(req: RawRequest): Buffer {
  const body = bodyBytes(req.body);
  const lines = [`${req.method} ${req.target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
  let payload: Buffer = Buffer.from(body);
  const f = req.framing;
  if (f.kind === 'length' && body.byteLength > 0) lines.push(`Content-Length: ${body.byteLength}`);
  else if (f.kind === 'declared') lines.push(`Content-Length: ${f.declared}`);
  else if (f.kind === 'chunked') {
    lines.push('Transfer-Encoding: chunked');
    const parts: Buffer[] = [];
    const size = Math.max(1, f.size);
    for (let at = 0; at < body.byteLength; at += size) {
      const chunk = body.subarray(at, at + size);
      const header = f.badSize && at === 0 ? 'zz' : chunk.byteLength.toString(16);
      parts.push(Buffer.from(`${header}\r\n`, 'latin1'), Buffer.from(chunk), Buffer.from('\r\n', 'latin1'));
    }
    parts.push(Buffer.from('0\r\n\r\n', 'latin1'));
    payload = Buffer.concat(parts);
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  const all = Buffer.concat([head, payload]);
  return req.cutAt === undefined ? all : all.subarray(0, Math.min(req.cutAt, all.byteLength));
}

export type RawOutcome =
  | { kind: 'response'; status: number; ms: number }
  /** The server closed the connection without a status line (expected only for requests cut short). */
  | { kind: 'closed'; ms: number }
  /** Neither a status line nor a close within the timeout. */
  | { kind: 'timeout'; ms: number };

/** Sends `bytes` to host:port and resolves with the response's status code, a close, or a timeout. */
export function sendRaw(
  port: number,
  bytes: Buffer,
  opts: { timeoutMs: number; halfClose: boolean; host?: string },
): Promise<RawOutcome> {
  const started = performance.now();
  const ms = () => Math.round((performance.now() - started) * 100) / 100;
  return new Promise((resolve) => {
    let received = '';
    let settled = false;
    const socket = connect({ port, host: opts.host ?? '127.0.0.1' });
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', ms: ms() }), opts.timeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      // A server that answers early (413) and closes may make this write fail: the answer still counts.
      socket.write(bytes, () => {
        if (opts.halfClose) socket.end();
      });
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (m) finish({ kind: 'response', status: Number(m[1]), ms: ms() });
      else if (received.length > 64) finish({ kind: 'response', status: 0, ms: ms() });
    });
    socket.on('error', () => finish({ kind: 'closed', ms: ms() }));
    socket.on('close', () => finish({ kind: 'closed', ms: ms() }));
  });
}
