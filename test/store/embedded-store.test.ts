import { describe } from 'vitest';
import { EmbeddedHistoryStore } from '../../src/store/embedded-store.ts';
import { historyStoreContract, T0 } from './contract.ts';

// The shared contract against the embedded store (the default without a table, and the demo's store).

const TTL_SECONDS = 86_400;

describe('embedded store', () => {
  historyStoreContract(async () => {
    const warnings: string[] = [];
    const clock = { now: T0 };
    const store = new EmbeddedHistoryStore({
      clock: () => clock.now,
      ttlSeconds: TTL_SECONDS,
      onWarning: (w) => warnings.push(w),
    });
    return {
      store,
      warnings,
      clock,
      ttlSeconds: TTL_SECONDS,
      plant: async (key, fields) => void store.records.set(store.keyString(key), { ...fields }),
      peek: async (key) => store.records.get(store.keyString(key)) as Record<string, unknown> | undefined,
    };
  });
});
