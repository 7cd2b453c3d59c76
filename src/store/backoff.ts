// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"; the same
// shape as the AWS SDK's standard retry strategy): attempt n waits a random time in [0, min(cap, base·2ⁿ)).
// Randomness and sleeping are injected so tests run without waiting.

export interface Backoff {
  /** A number in [0, 1): Math.random in production. */
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  baseMs: number;
  capMs: number;
}

export const defaultBackoff = (): Backoff => ({
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  baseMs: 50,
  capMs: 2_000,
});

/** The wait before retry number `attempt` (0 = the first retry). */
export function backoffDelay(attempt: number, b: Pick<Backoff, 'random' | 'baseMs' | 'capMs'>): number {
  return Math.floor(b.random() * Math.min(b.capMs, b.baseMs * 2 ** attempt));
}
