import type { Discovery } from './discovery.ts';
import type { RestClient } from './rest-client.ts';

/** What every adapter module shares: the HTTP core, the discovery cache, and where warnings go. */
export interface AdapterContext {
  client: RestClient;
  discovery: Discovery;
  /** Non-fatal problems (a skipped cluster, an invalid list item, a failed event). */
  warn: (message: string) => void;
  now: () => number;
  /** Parallel requests across member clusters. */
  concurrency: number;
}

/** Runs `fn` over `items`, at most `limit` at a time, results in input order. Rejects with the first error. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
