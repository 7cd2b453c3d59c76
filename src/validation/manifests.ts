import { parseAllDocuments } from 'yaml';

// Objects out of manifest text, the way `kubectl apply -f` reads a file: YAML or JSON, several documents
// separated by `---`, and `kind: List` (or any *List with items) unwrapped into its items.

export type ManifestResult = { ok: true; objects: unknown[] } | { ok: false; message: string };

function unwrap(doc: unknown, out: unknown[]): void {
  if (doc === null || doc === undefined) return; // an empty document, e.g. a trailing `---`
  if (typeof doc === 'object' && !Array.isArray(doc)) {
    const { kind, items } = doc as { kind?: unknown; items?: unknown };
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
      for (const item of items) unwrap(item, out);
      return;
    }
  }
  out.push(doc);
}

/** Parses every document; the first syntax error (with its line and column) fails the whole text. */
export function readManifests(text: string): ManifestResult {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  // parseAllDocuments returns an EmptyStream (not an array) for text with no documents.
  if (!Array.isArray(docs)) return { ok: true, objects: [] };
  const objects: unknown[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined)
      return { ok: false, message: (error.message.split('\n')[0] ?? error.message).replace(/:\s*$/, '') };
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // An alias bomb ("billion laughs") is refused by maxAliasCount: unreadable input, not a crash.
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    unwrap(value, objects);
  }
  return { ok: true, objects };
}
