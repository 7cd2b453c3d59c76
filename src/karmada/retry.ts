// When and how long to wait before sending a failed request again. Pure: the clock and the dice are
// parameters. Full jitter as in AWS's "Exponential Backoff and Jitter" (delay = random * min(cap,
// base * 2^attempt)); a server's Retry-After wins over the computed delay, as client-go's
// rest.Request#checkWait honours it for 429 and 5xx.

export interface BackoffPolicy {
  /** Requests sent at most (the first one included). */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  /** No retry starts after this many ms since the first request; a Retry-After beyond it ends the call. */
  deadlineMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  maxAttempts: 5,
  baseMs: 200,
  maxMs: 5_000,
  deadlineMs: 30_000,
};

/** 429 Too Many Requests and server errors; 501 Not Implemented will not change on a retry. */
export const isRetryableStatus = (status: number): boolean =>
  status === 429 || (status >= 500 && status !== 501);

/** Full-jitter exponential delay before retry number `retry` (0 = the first retry). */
export function backoffDelay(
  retry: number,
  policy: Pick<BackoffPolicy, 'baseMs' | 'maxMs'>,
  random: number,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(retry, 30));
  return Math.floor(random * ceiling);
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns ms from `now`, never negative;
 * undefined when absent or unreadable. Kubernetes also sends Status.details.retryAfterSeconds, used as fallback.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, date - now);
}

export type RetryVerdict =
  | { retry: true; delayMs: number }
  | { retry: false; why: 'attempts' | 'deadline' | 'final' };

/**
 * Decides what follows attempt number `attempt` (1-based) that failed with `status` (0 = no response).
 * `elapsedMs` is the time since the first request; `retryAfterMs` the server's wish, if any.
 */
export function nextRetry(input: {
  attempt: number;
  status: number;
  retryable: boolean;
  elapsedMs: number;
  retryAfterMs?: number;
  random: number;
  policy: BackoffPolicy;
}): RetryVerdict {
  const { attempt, policy } = input;
  if (!input.retryable) return { retry: false, why: 'final' };
  if (attempt >= policy.maxAttempts) return { retry: false, why: 'attempts' };
  const delayMs = input.retryAfterMs ?? backoffDelay(attempt - 1, policy, input.random);
  if (input.elapsedMs + delayMs >= policy.deadlineMs) return { retry: false, why: 'deadline' };
  return { retry: true, delayMs };
}
