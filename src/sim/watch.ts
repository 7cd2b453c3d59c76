import type { Context } from 'hono';
import { badRequest, StatusError } from './k8s-status.ts';
import type { ListQuery } from './list.ts';
import type { KObject } from './object-store.ts';
import type { ResourceType } from './resources.ts';
import { matchesFields, matchesLabels } from './selectors.ts';
import type { SimState } from './state.ts';
import type { StoreEvent } from './store-events.ts';
import { table } from './table.ts';

// `?watch=true` on a collection (apiserver handlers/watch.go over the watch cache): a chunked stream of JSON
// events, one per line, {"type": "ADDED"|"MODIFIED"|"DELETED"|"ERROR", "object": ...}. Without a
// resourceVersion (or "0") it opens with a synthetic ADDED per existing object, as "get state and start at most
// recent"; with one it replays the kept changes after it, or sends one ERROR event with a 410 Expired Status when
// they are no longer kept (the watch cache's "too old resource version"), which makes clients list again. The
// stream ends after timeoutSeconds (default 30 minutes, the API server's min-request-timeout) and when the client
// goes away; either way the store forgets the watcher. Simplifications: no bookmarks (allowWatchBookmarks is
// ignored, which clients must tolerate), and a workload's status in an event is rendered when the event is sent,
// from the members as they are then (the simulator derives it on read).

const DEFAULT_TIMEOUT_SECONDS = 1800;

export interface WatchRequest {
  t: ResourceType;
  namespace: string | undefined;
  query: ListQuery;
  /** Server-side printing: each event's object is a one-row Table (column definitions on the first only). */
  asTable: boolean;
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_TIMEOUT_SECONDS;
  if (!/^\d+$/.test(text))
    throw badRequest(`timeoutSeconds: invalid value "${text}": must be a non-negative integer`);
  return Math.min(Number(text), DEFAULT_TIMEOUT_SECONDS) || DEFAULT_TIMEOUT_SECONDS;
}

function parseResourceVersion(text: string | undefined): number | undefined {
  if (text === undefined || text === '' || text === '0') return undefined;
  if (!/^\d+$/.test(text)) throw badRequest(`resourceVersion: invalid value "${text}": must be an integer`);
  return Number(text);
}

export function watchResponse(c: Context, state: SimState, w: WatchRequest): Response {
  const timeoutSeconds = parseTimeout(c.req.query('timeoutSeconds'));
  const since = parseResourceVersion(c.req.query('resourceVersion'));
  const store = state.store;
  const selected = (o: KObject) =>
    (w.namespace === undefined || !w.t.namespaced || o.metadata.namespace === w.namespace) &&
    matchesLabels(w.query.labels, o.metadata.labels) &&
    matchesFields(w.query.fields, o);

  const encoder = new TextEncoder();
  let first = true;
  const line = (type: string, object: unknown) => encoder.encode(`${JSON.stringify({ type, object })}\n`);
  const eventLine = (type: StoreEvent['type'], obj: KObject) => {
    const rendered = type === 'DELETED' ? obj : state.render(w.t, obj);
    if (!w.asTable) return line(type, rendered);
    const rows = table(w.t.kind, [rendered], state.now(), {
      resourceVersion: rendered.metadata.resourceVersion ?? '',
    });
    const object = first ? rows : { ...rows, columnDefinitions: [] };
    first = false;
    return line(type, object);
  };

  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const timer = setTimeout(() => close(), timeoutSeconds * 1000);
      const unsubscribe = store.watch((e) => {
        if (open && e.t === w.t && selected(e.object)) controller.enqueue(eventLine(e.type, e.object));
      });
      const close = () => {
        if (!open) return;
        open = false;
        clearTimeout(timer);
        unsubscribe();
        controller.close();
      };
      stop = () => {
        open = false;
        clearTimeout(timer);
        unsubscribe();
      };
      if (since === undefined) {
        for (const o of store.list(w.t, w.namespace))
          if (selected(o)) controller.enqueue(eventLine('ADDED', o));
        return;
      }
      const replay = store.eventsSince(since);
      if (replay === undefined) {
        const gone = new StatusError(
          410,
          'Expired',
          `too old resource version: ${since} (${store.resourceVersion()})`,
        );
        controller.enqueue(line('ERROR', gone.body()));
        close();
        return;
      }
      for (const e of replay)
        if (e.t === w.t && selected(e.object)) controller.enqueue(eventLine(e.type, e.object));
    },
    // The client went away (node-server cancels the body when the socket closes).
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache, private' },
  });
}
