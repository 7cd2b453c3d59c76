import { describe, expect, it } from 'vitest';
import { parseXml, textOf } from './xml-check.ts';

// The well-formedness checks in timeline.test.ts are only as good as this reader: it must refuse what
// XML 1.0 refuses.
describe('parseXml', () => {
  it.each([
    { name: 'unclosed element', doc: '<svg><g></svg>', error: '</svg> closes <g> at 8' },
    { name: 'never closed', doc: '<svg><g>', error: 'unclosed <g>' },
    { name: 'bare ampersand', doc: '<svg>a & b</svg>', error: 'bare & at 5' },
    { name: 'unknown entity', doc: '<svg>&nbsp;</svg>', error: 'unknown entity &nbsp; at 5' },
    { name: 'unquoted attribute', doc: '<svg width=10/>', error: 'not well-formed at 0' },
    { name: 'duplicate attribute', doc: '<svg a="1" a="2"/>', error: 'duplicate attribute a at 0' },
    { name: 'two roots', doc: '<svg/><svg/>', error: 'second root at 6' },
    { name: 'text outside the root', doc: 'hi<svg/>', error: 'text outside the root at 0' },
    { name: 'stray <', doc: '<svg>a < b</svg>', error: 'not well-formed at 7' },
  ])('refuses $name', ({ doc, error }) => {
    expect(() => parseXml(doc)).toThrow(error);
  });

  it('decodes entities and numeric references in text and attributes', () => {
    const el = parseXml('<svg a="&quot;&#x41;&#66;">&lt;&amp;&gt;</svg>\n');
    expect([el.attrs.a, textOf(el)]).toEqual(['"AB', '<&>']);
  });
});
