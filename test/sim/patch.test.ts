import { describe, expect, it } from 'vitest';
import {
  applyJsonPatch,
  applyMergePatch,
  applyPatch,
  JsonPatchError,
  type JsonPatchOp,
  MalformedPatchError,
} from '../../src/sim/patch.ts';

// RFC 7386 Appendix A, every example (target, patch, result).
const mergeCases: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [
    ['a', 'b'],
    ['c', 'd'],
    ['c', 'd'],
  ],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('JSON merge patch (RFC 7386 Appendix A)', () => {
  it.each(mergeCases)('%j merged with %j gives %j', (target, patch, result) => {
    const before = structuredClone(target);
    expect(applyMergePatch(target, patch)).toEqual(result);
    expect(target).toEqual(before);
  });
});

type JsonPatchCase = { name: string; doc: unknown; patch: JsonPatchOp[]; result?: unknown; error?: RegExp };

// RFC 6902 Appendix A (A.1–A.16, A.13 is about duplicate JSON members and does not apply to parsed input).
const jsonPatchCases: JsonPatchCase[] = [
  {
    name: 'A.1 adding an object member',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz', value: 'qux' }],
    result: { baz: 'qux', foo: 'bar' },
  },
  {
    name: 'A.2 adding an array element',
    doc: { foo: ['bar', 'baz'] },
    patch: [{ op: 'add', path: '/foo/1', value: 'qux' }],
    result: { foo: ['bar', 'qux', 'baz'] },
  },
  {
    name: 'A.3 removing an object member',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'remove', path: '/baz' }],
    result: { foo: 'bar' },
  },
  {
    name: 'A.4 removing an array element',
    doc: { foo: ['bar', 'qux', 'baz'] },
    patch: [{ op: 'remove', path: '/foo/1' }],
    result: { foo: ['bar', 'baz'] },
  },
  {
    name: 'A.5 replacing a value',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'replace', path: '/baz', value: 'boo' }],
    result: { baz: 'boo', foo: 'bar' },
  },
  {
    name: 'A.6 moving a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    result: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    name: 'A.7 moving an array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    result: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    name: 'A.8 testing a value: success',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
    ],
    result: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  {
    name: 'A.9 testing a value: error',
    doc: { baz: 'qux' },
    patch: [{ op: 'test', path: '/baz', value: 'bar' }],
    error: /op 0 \(test\): testing value \/baz failed/,
  },
  {
    name: 'A.10 adding a nested member object',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }],
    result: { foo: 'bar', child: { grandchild: {} } },
  },
  {
    name: 'A.12 adding to a nonexistent target',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }],
    error: /op 0 \(add\): path \/baz does not exist/,
  },
  {
    name: 'A.14 ~ escape ordering',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: 10 }],
    result: { '/': 9, '~1': 10 },
  },
  {
    name: 'A.15 comparing strings and numbers',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: '10' }],
    error: /testing value \/~01 failed/,
  },
  {
    name: 'A.16 adding an array value',
    doc: { foo: ['bar'] },
    patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
    result: { foo: ['bar', ['abc', 'def']] },
  },
  {
    name: 'replace of a missing member fails (§4.3)',
    doc: { a: 1 },
    patch: [{ op: 'replace', path: '/b', value: 2 }],
    error: /path \/b does not exist/,
  },
  {
    name: 'a later failure discards earlier operations (§5)',
    doc: { a: 1 },
    patch: [
      { op: 'add', path: '/b', value: 2 },
      { op: 'remove', path: '/c' },
    ],
    error: /op 1 \(remove\)/,
  },
];

describe('JSON patch (RFC 6902 Appendix A)', () => {
  it.each(jsonPatchCases)('$name', ({ doc, patch, result, error }) => {
    const before = structuredClone(doc);
    if (error) expect(() => applyJsonPatch(doc, patch)).toThrow(error);
    else expect(applyJsonPatch(doc, patch)).toEqual(result);
    expect(doc).toEqual(before);
  });

  it('A.11 ignores unrecognised members of an operation', () => {
    expect(applyPatch('json', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }])).toEqual(
      { foo: 'bar', baz: 'qux' },
    );
  });

  it.each([
    ['not an array', { op: 'add' }, /invalid JSON patch at \(root\)/],
    ['an unknown op', [{ op: 'frob', path: '/a' }], /invalid JSON patch at 0\.op/],
    ['add without a value', [{ op: 'add', path: '/a' }], /invalid JSON patch at 0\.value/],
  ])('refuses a document that is %s as malformed', (_what, body, message) => {
    expect(() => applyPatch('json', {}, body)).toThrow(MalformedPatchError);
    expect(() => applyPatch('json', {}, body)).toThrow(message);
  });

  it('reports a failing operation as JsonPatchError, not as malformed', () => {
    expect(() => applyPatch('json', {}, [{ op: 'remove', path: '/x' }])).toThrow(JsonPatchError);
  });
});
