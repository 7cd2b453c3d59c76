// The few SVG-writing primitives every part of the chart shares: escaping, number formatting and elements.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
function isXmlChar(cp: number): boolean {
  if (cp < 0x20) return cp === 0x9 || cp === 0xa || cp === 0xd;
  return cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
}

/**
 * Escapes text for XML character data and attribute values (the five predefined entities of XML 1.0 §4.6).
 * Characters XML 1.0 forbids outright (most C0 controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD,
 * since no escape can make them legal and one would make the whole document unreadable.
 */
export function escapeXml(text: string): string {
  let out = '';
  for (const c of text) out += ESCAPES[c] ?? (isXmlChar(c.codePointAt(0)!) ? c : '\ufffd');
  return out;
}

/** Rounds to one decimal, which is 0.1 px on screen and keeps files small; never prints "-0" or "1.0". */
export function num(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

export type Attrs = Record<string, string | number | undefined>;

/** Renders attributes in the order given (so output is deterministic); undefined values are left out. */
function attrs(a: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return out;
}

/** An element; with no children it self-closes. Children are already-rendered SVG strings. */
export function el(tag: string, a: Attrs, ...children: string[]): string {
  return children.length === 0 ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children.join('')}</${tag}>`;
}

/** A text element; the content is escaped here so callers cannot forget. */
export function text(a: Attrs, content: string): string {
  return `<text${attrs(a)}>${escapeXml(content)}</text>`;
}

/**
 * A rough width of `s` in px for a sans-serif font at `fontSize`: SVG has no text measuring without a
 * renderer, so layout (legend wrapping, marker labels) uses an average advance of 0.6 em, on the wide side
 * of Helvetica/Arial/DejaVu Sans so that estimated boxes contain the real ones.
 */
export function textWidth(s: string, fontSize: number): number {
  return [...s].length * fontSize * 0.6;
}
