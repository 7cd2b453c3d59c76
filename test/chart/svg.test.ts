import { describe, expect, it } from 'vitest';
import { el, escapeXml, num, text } from '../../src/chart/svg.ts';

describe('escapeXml', () => {
  it.each([
    {
      name: 'the five predefined entities',
      input: `a<b>&"c"'d'`,
      out: 'a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;',
    },
    { name: 'an existing entity is escaped again', input: '&amp;', out: '&amp;amp;' },
    { name: 'tab, newline and CR are legal', input: 'a\tb\nc\rd', out: 'a\tb\nc\rd' },
    {
      name: 'other C0 controls become U+FFFD',
      input: 'a\u0000b\u0008c\u001fd',
      out: 'a\ufffdb\ufffdc\ufffdd',
    },
    { name: 'a lone surrogate becomes U+FFFD', input: 'x\ud800y', out: 'x\ufffdy' },
    { name: 'a surrogate pair is kept', input: 'pods 🚀', out: 'pods 🚀' },
    { name: 'U+FFFE is not an XML character', input: '\ufffe', out: '\ufffd' },
    { name: 'CJK text passes through', input: '副本数', out: '副本数' },
  ])('$name', ({ input, out }) => {
    expect(escapeXml(input)).toBe(out);
  });
});

describe('num', () => {
  it.each([
    [1.04, '1'],
    [1.05, '1.1'],
    [-0.04, '0'],
    [123.456, '123.5'],
    [2, '2'],
    [-7.25, '-7.2'],
  ])('%d → %s', (n, s) => {
    expect(num(n)).toBe(s);
  });
});

describe('el and text', () => {
  it('writes attributes in order, rounds numbers, leaves out undefined, escapes values', () => {
    expect(el('line', { x1: 1.26, y1: undefined, stroke: 'a"b' })).toBe('<line x1="1.3" stroke="a&quot;b"/>');
  });

  it('wraps children and escapes text content', () => {
    expect(el('g', { class: 'legend' }, text({ x: 0 }, '<load & metric>'))).toBe(
      '<g class="legend"><text x="0">&lt;load &amp; metric&gt;</text></g>',
    );
  });
});
