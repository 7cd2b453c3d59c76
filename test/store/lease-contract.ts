import { describe, expect, it } from 'vitest';
import { LeaseConflictError, type LeaseStore } from '../../src/store/lease-store.ts';

// The one specification both lease stores meet (embedded, DynamoDB on dynalite): the keeper relies on exactly
// these semantics, whichever store runs, as the history stores share test/store/contract.ts.

export interface LeaseHarness {
  store: LeaseStore;
  /** A fresh scope per test, so tests share one table without seeing each other's records. */
  scope: string;
  /** Writes a record as another writer left it (strings and numbers: DynamoDB S and N), by its full key. */
  plant(key: string, fields: Record<string, string | number>): Promise<void>;
}

async function conflictOf(p: Promise<unknown>): Promise<LeaseConflictError<never>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LeaseConflictError);
  return err as LeaseConflictError<never>;
}

export function leaseStoreContract(make: () => Promise<LeaseHarness>): void {
  describe('lease store contract', () => {
    it('reads an untouched scope as an empty membership and every partition free at version 0', async () => {
      const { store, scope } = await make();
      const table = await store.read(scope, 4);
      expect(table.members).toEqual({ version: 0, beats: {} });
      expect(table.leases).toEqual([0, 1, 2, 3].map((partition) => ({ partition, holder: '', version: 0 })));
    });

    it('lets exactly one of two writers that read the same version take a lease, and names the winner', async () => {
      const { store, scope } = await make();
      const won = await store.writeLease(scope, 4, { partition: 2, holder: 'a', acquiredAt: 1 }, 0);
      expect(won).toEqual({ partition: 2, holder: 'a', version: 1 });
      const lost = await conflictOf(
        store.writeLease(scope, 4, { partition: 2, holder: 'b', acquiredAt: 1 }, 0),
      );
      expect(lost.current).toEqual({ partition: 2, holder: 'a', version: 1 });
      // A release is a write like any other: version 2, no holder; it frees the lease for the next taker.
      await store.writeLease(scope, 4, { partition: 2, holder: '', acquiredAt: 2 }, 1);
      expect((await store.read(scope, 4)).leases[2]).toEqual({ partition: 2, holder: '', version: 2 });
      await store.writeLease(scope, 4, { partition: 2, holder: 'b', acquiredAt: 3 }, 2);
      expect((await store.read(scope, 4)).leases[2]).toEqual({ partition: 2, holder: 'b', version: 3 });
    });

    it('guards the membership record the same way and carries the winning heartbeats', async () => {
      const { store, scope } = await make();
      expect(await store.writeMembers(scope, 4, { a: 1 }, 0)).toEqual({ version: 1, beats: { a: 1 } });
      const lost = await conflictOf(store.writeMembers(scope, 4, { b: 1 }, 0));
      expect(lost.current).toEqual({ version: 1, beats: { a: 1 } });
      await store.writeMembers(scope, 4, { a: 1, b: 1 }, 1);
      expect((await store.read(scope, 4)).members).toEqual({ version: 2, beats: { a: 1, b: 1 } });
    });

    it('keeps scopes and partition counts apart', async () => {
      const { store, scope } = await make();
      await store.writeLease(scope, 4, { partition: 0, holder: 'a', acquiredAt: 1 }, 0);
      await store.writeMembers(scope, 4, { a: 1 }, 0);
      expect((await store.read(scope, 8)).leases[0]).toEqual({ partition: 0, holder: '', version: 0 });
      expect((await store.read(scope, 8)).members.version).toBe(0);
      expect((await store.read(`${scope}-other`, 4)).leases[0]?.version).toBe(0);
    });

    it('reads a foreign or corrupt record as empty at its version, so the next write replaces it', async () => {
      const { store, scope, plant } = await make();
      await plant(`${scope}/#members-4`, { version: 7, beats: '{"a": "not a number"}' });
      await plant(`${scope}/#lease-4/1`, { version: 3, holder: 'has spaces in it' });
      await plant(`${scope}/#lease-4/2`, { version: 'x', holder: 'a' });
      const table = await store.read(scope, 4);
      expect(table.members).toEqual({ version: 7, beats: {} });
      expect(table.leases[1]).toEqual({ partition: 1, holder: '', version: 3 });
      expect(table.leases[2]).toEqual({ partition: 2, holder: '', version: 0 });
      await store.writeMembers(scope, 4, { a: 1 }, 7);
      await store.writeLease(scope, 4, { partition: 1, holder: 'a', acquiredAt: 1 }, 3);
      await store.writeLease(scope, 4, { partition: 2, holder: 'a', acquiredAt: 1 }, 0);
      const after = await store.read(scope, 4);
      expect(after.members).toEqual({ version: 8, beats: { a: 1 } });
      expect(after.leases.slice(1, 3).map((l) => [l.holder, l.version])).toEqual([
        ['a', 4],
        ['a', 1],
      ]);
    });

    it('refuses a partition count outside 1-99, where one read would no longer cover every lease', async () => {
      const { store, scope } = await make();
      await expect(store.read(scope, 100)).rejects.toThrow(
        'lease partitions must be a whole number from 1 to 99',
      );
    });
  });
}
