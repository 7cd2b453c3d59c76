/**
 * Runs `task` over `items` with at most `limit` in flight, keeping results in input order. A task that
 * throws does not stop the others; its slot holds the error (callers of the pipeline never throw, but
 * this stays safe if one does).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<Array<R | { error: unknown }>> {
  const results: Array<R | { error: unknown }> = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i] as T, i);
      } catch (error) {
        results[i] = { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** FNV-1a over the key: a stable shard assignment that every invocation computes the same way. */
export function shardOf(key: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}
