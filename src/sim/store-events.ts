import type { KObject } from './object-store.ts';
import type { ResourceType } from './resources.ts';

// The store's change stream, as etcd's watch serves it: every write is handed to the open watches as it
// happens, and the newest changes are kept so a watch can resume from an older resourceVersion until they
// have been compacted away (then the client must list again: 410 Gone, watch.ts).

/** One change, as a watch reports it (watch.ts): the object after the write, or as it was when deleted. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  t: ResourceType;
  object: KObject;
}

/** Changes kept for watches that resume from a resourceVersion (etcd's compaction window, in events). */
const EVENT_HISTORY = 1000;

export class StoreEvents {
  /** The newest changes, oldest first, for watches that start at an older resourceVersion. */
  private readonly history: StoreEvent[] = [];
  private readonly watchers = new Set<(e: StoreEvent) => void>();

  /** Calls `listener` with every change from now on; returns the function that stops it. */
  watch(listener: (e: StoreEvent) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /**
   * Kept events after resourceVersion `rv` (`newest` the last one handed out), or undefined if events after it
   * were already dropped.
   */
  since(rv: number, newest: number): StoreEvent[] | undefined {
    const oldest = this.history[0];
    if (rv >= newest) return [];
    if (!oldest || Number(oldest.object.metadata.resourceVersion) > rv + 1) return undefined;
    return this.history.filter((e) => Number(e.object.metadata.resourceVersion) > rv);
  }

  watcherCount(): number {
    return this.watchers.size;
  }

  emit(type: StoreEvent['type'], t: ResourceType, obj: KObject) {
    // Stored objects are replaced on every write, never changed in place, so the event can share this one.
    const event: StoreEvent = { type, t, object: obj };
    this.history.push(event);
    if (this.history.length > EVENT_HISTORY) this.history.shift();
    for (const w of this.watchers) w(event);
  }
}
