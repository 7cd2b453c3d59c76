import { z } from 'zod';
import { BodyError, readBounded } from '../karmada/body.ts';
import { redact } from '../karmada/errors.ts';
import type { Transport } from '../karmada/transport.ts';
import type { PrometheusEndpoint } from './endpoints.ts';

// One PromQL instant query against a Prometheus HTTP API (`POST /api/v1/query`, form-encoded, so a long query
// never meets a URL length limit; Thanos, Mimir and VictoriaMetrics serve the same API), at the evaluation's
// time, reduced to the one number a metric needs. Everything that is not exactly one finite sample is an
// error with a message a reader can act on, and so a failed metric: Kubernetes' rule is that a metric that
// cannot be computed never scales down (computeReplicasForMetrics).

/** The most of a response body read: a well-formed one-sample answer is a few hundred bytes. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export class PromQLError extends Error {
  constructor(
    message: string,
    /** Asking again later may succeed: timeout, network error, 429, 5xx. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'PromQLError';
  }
}

const sampleValue = z.tuple([z.number(), z.string()]);
// https://prometheus.io/docs/prometheus/latest/querying/api/#expression-query-result-formats
const responseSchema = z.object({
  status: z.enum(['success', 'error']),
  data: z
    .object({
      resultType: z.enum(['vector', 'scalar', 'matrix', 'string']),
      result: z.unknown(),
    })
    .optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
});
const vectorSchema = z.array(z.object({ metric: z.record(z.string(), z.string()), value: sampleValue }));

export interface QueryAnswer {
  /** The sample's time, epoch ms (the evaluation's time for an instant query). */
  timestamp: number;
  value: number;
}

/** Runs `query` at `timeMs`; throws PromQLError naming the endpoint (never its URL or credentials). */
export async function instantQuery(
  transport: Transport,
  endpoint: PrometheusEndpoint,
  query: string,
  timeMs: number,
): Promise<QueryAnswer> {
  const where = `Prometheus "${endpoint.name}"`;
  const body = new URLSearchParams({ query, time: (timeMs / 1000).toFixed(3) });
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (endpoint.bearerToken) headers.Authorization = `Bearer ${endpoint.bearerToken}`;
  else if (endpoint.basicUser !== undefined)
    headers.Authorization = `Basic ${btoa(`${endpoint.basicUser}:${endpoint.basicPassword ?? ''}`)}`;
  const url = `${endpoint.url.replace(/\/+$/, '')}/api/v1/query`;
  const signal = AbortSignal.timeout(endpoint.timeoutMs);
  let text: string;
  let status: number;
  try {
    const res = await transport(new Request(url, { method: 'POST', headers, body, signal }));
    status = res.status;
    text = await readBounded(res, MAX_RESPONSE_BYTES);
  } catch (err) {
    if (signal.aborted)
      throw new PromQLError(`${where} did not answer within ${endpoint.timeoutMs} ms`, true);
    if (err instanceof BodyError) throw new PromQLError(`${where}: ${err.message}`, false);
    const why = err instanceof Error ? err.message : String(err);
    const secrets = [endpoint.bearerToken, endpoint.basicPassword];
    throw new PromQLError(`${where} could not be reached: ${redact(why, secrets)}`, true);
  }
  let parsed: z.infer<typeof responseSchema> | undefined;
  try {
    const r = responseSchema.safeParse(JSON.parse(text));
    if (r.success) parsed = r.data;
  } catch {
    parsed = undefined;
  }
  const transient = status === 429 || status >= 500;
  if (status < 200 || status >= 300 || parsed?.status !== 'success') {
    const detail = parsed?.error
      ? `${parsed.errorType ?? 'error'}: ${parsed.error.slice(0, 500)}`
      : 'no error text';
    throw new PromQLError(`${where} answered ${status} to the query (${detail})`, transient);
  }
  if (!parsed.data) throw new PromQLError(`${where} answered success without data`, false);
  return reduce(parsed.data.resultType, parsed.data.result, where);
}

function reduce(resultType: string, result: unknown, where: string): QueryAnswer {
  let sample: [number, string];
  if (resultType === 'scalar') {
    const s = sampleValue.safeParse(result);
    if (!s.success) throw new PromQLError(`${where} answered a malformed scalar`, false);
    sample = s.data;
  } else if (resultType === 'vector') {
    const v = vectorSchema.safeParse(result);
    if (!v.success) throw new PromQLError(`${where} answered a malformed vector`, false);
    if (v.data.length === 0) {
      throw new PromQLError(
        'the query returned no series (is the series missing? append `or vector(0)` if absent means zero)',
        false,
      );
    }
    if (v.data.length > 1) {
      throw new PromQLError(
        `the query returned ${v.data.length} series; aggregate them to one, e.g. sum(...) or max(...)`,
        false,
      );
    }
    sample = v.data[0]!.value;
  } else {
    throw new PromQLError(
      `the query returned a ${resultType}, not an instant vector or scalar (drop the range selector, or wrap it in a function such as rate())`,
      false,
    );
  }
  const value = Number(sample[1]);
  if (!Number.isFinite(value)) {
    throw new PromQLError(`the query returned ${sample[1]}, not a finite number`, false);
  }
  return { timestamp: Math.round(sample[0] * 1000), value };
}
