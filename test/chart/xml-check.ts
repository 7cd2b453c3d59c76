// A strict little XML reader for the chart tests: enough of XML 1.0 to prove the renderer's output is
// well-formed (one root, balanced tags, quoted unique attributes, only the five predefined entities and
// numeric references) and to query the tree. No package: the project avoids a DOM dependency for tests.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  return raw.replace(/&([^;&\s]*);?/g, (match, name: string) => {
    if (!match.endsWith(';')) throw new Error(`bare & at ${where}`);
    if (name in ENTITIES) return ENTITIES[name]!;
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
    if (num) return String.fromCodePoint(Number(num[1]!.startsWith('x') ? `0${num[1]}` : num[1]));
    throw new Error(`unknown entity &${name}; at ${where}`);
  });
}

const NAME = '[A-Za-z_][\\w:.-]*';
const TOKEN = new RegExp(
  `<\\?xml[^>]*\\?>|<!--[\\s\\S]*?-->|</(${NAME})\\s*>|<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>|([^<]+)`,
  'y',
);
const ATTR = new RegExp(`(${NAME})\\s*=\\s*"([^"<]*)"`, 'g');

/** Parses a document; throws an Error naming the offset of the first fault. */
export function parseXml(doc: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < doc.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(doc);
    if (!m) throw new Error(`not well-formed at ${at}: ${JSON.stringify(doc.slice(at, at + 30))}`);
    const [, close, open, rawAttrs, selfClose, chars] = m;
    const top = stack[stack.length - 1]!;
    if (close) {
      if (top.name !== close) throw new Error(`</${close}> closes <${top.name}> at ${at}`);
      stack.pop();
    } else if (open) {
      const attrs: Record<string, string> = {};
      for (const [, k, v] of (rawAttrs ?? '').matchAll(ATTR)) {
        if (k! in attrs) throw new Error(`duplicate attribute ${k} at ${at}`);
        attrs[k!] = decode(v!, at);
      }
      const el: XmlElement = { name: open, attrs, children: [] };
      if (top === root && root.children.some((c) => typeof c !== 'string'))
        throw new Error(`second root at ${at}`);
      top.children.push(el);
      if (!selfClose) stack.push(el);
    } else if (chars !== undefined) {
      if (top === root && chars.trim() !== '') throw new Error(`text outside the root at ${at}`);
      if (top !== root) top.children.push(decode(chars, at));
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  const el = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!el) throw new Error('no root element');
  return el;
}

/** Every element named `name` below `node`, in document order. */
export function findAll(node: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of node.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) out.push(c);
    out.push(...findAll(c, name));
  }
  return out;
}

/** The concatenated text content of an element. */
export function textOf(node: XmlElement): string {
  return node.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
