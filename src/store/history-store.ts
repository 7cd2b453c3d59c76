import type { History } from '../engine/history-types.ts';
import type { LeaseStore } from './lease-store.ts';

// The port between the pipeline and wherever stabilization histories live. Kubernetes' HPA controller keeps
// them in memory (horizontal.go: `recommendations`, `scaleUpEvents`, `scaleDownEvents`); fhpa's functions are
// stateless, so they live in a store, and the store is where concurrent invocations are made safe: every save
// names the version it read, and a save against a version that moved fails with HistoryConflictError carrying
// the winner's history, so the loser recomputes without a second read (Powertools idempotency's
// IdempotencyItemAlreadyExistsError carries the existing record the same way).

/** Which FederatedHPA a history belongs to. Several Karmada control planes may share one table: `scope`. */
export interface HistoryKey {
  /** The Karmada control plane (FHPA_SCOPE), e.g. "karmada" or a cluster id. */
  scope: string;
  namespace: string;
  name: string;
}

export interface StoredHistory {
  history: History;
  /** Incremented by every save; 0 means no item exists yet (or none fhpa can read: see HistoryStore.load). */
  version: number;
}

export interface HistoryStore {
  /** The string form that keys loadMany's map: `${scope}/${namespace}/${name}`. */
  keyString(key: HistoryKey): string;
  /**
   * The history of one FederatedHPA. A missing, expired, corrupt, foreign or older-schema item gives an empty
   * history with the item's real version (so the next save replaces it); bad data is reported through the
   * store's onWarning, never thrown. Throws HistoryStoreError only when the store cannot be reached.
   */
  load(key: HistoryKey): Promise<StoredHistory>;
  /**
   * Histories of many FederatedHPAs (the sweep), keyed by keyString. A key the store could not read after
   * bounded retries (DynamoDB's UnprocessedKeys) is absent from the map: the caller falls back to load().
   */
  loadMany(keys: readonly HistoryKey[]): Promise<Map<string, StoredHistory>>;
  /**
   * Replaces the history if the stored version still equals expectedVersion (0: no item yet). Returns what
   * was stored (after the entry cap) and its new version; throws HistoryConflictError when the version moved.
   */
  save(key: HistoryKey, history: History, expectedVersion: number): Promise<StoredHistory>;
  /** The partition leases kept in the same table, for Node replicas sharing a sweep (lease-store.ts). */
  leases?(): LeaseStore;
  /** Releases connections (the AWS SDK's sockets); the store is unusable afterwards. */
  close?(): void;
}

export class HistoryStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HistoryStoreError';
  }
}

/** A save lost the race: `current` is the history another invocation wrote, with its version. */
export class HistoryConflictError extends HistoryStoreError {
  constructor(
    public readonly key: string,
    public readonly expectedVersion: number,
    public readonly current: StoredHistory,
  ) {
    super(`history of ${key} changed: expected version ${expectedVersion}, found ${current.version}`);
    this.name = 'HistoryConflictError';
  }
}

// Kubernetes namespaces and names never contain "/", and FHPA_SCOPE is restricted to [A-Za-z0-9._-], so the
// joined form is unambiguous; a part that breaks this is a bug upstream, refused before it reaches a table.
const part = /^[^/\s]{1,253}$/;

export function historyKeyString(key: HistoryKey): string {
  for (const field of ['scope', 'namespace', 'name'] as const) {
    if (!part.test(key[field])) {
      throw new HistoryStoreError(
        `history key ${field} ${JSON.stringify(key[field])} must be 1-253 characters without "/" or spaces`,
      );
    }
  }
  return `${key.scope}/${key.namespace}/${key.name}`;
}

/** The inverse of historyKeyString, for `fhpa store get SCOPE/NAMESPACE/NAME`. */
export function parseHistoryKey(text: string): HistoryKey {
  const parts = text.split('/');
  if (parts.length !== 3) throw new HistoryStoreError(`history key "${text}" must be SCOPE/NAMESPACE/NAME`);
  const [scope, namespace, name] = parts as [string, string, string];
  const key = { scope, namespace, name };
  historyKeyString(key);
  return key;
}
