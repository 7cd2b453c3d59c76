import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue, paginate, parseListQuery } from '../../src/sim/list.ts';
import {
  formatRequirements,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  requirementsOf,
} from '../../src/sim/selectors.ts';

// kubernetes/apimachinery pkg/labels/selector_test.go#TestSelectorMatches (expectMatch / expectNoMatch).
const matches: [string, Record<string, string>, boolean][] = [
  ['', { x: 'y' }, true],
  ['x=y', { x: 'y' }, true],
  ['x=y,z=w', { x: 'y', z: 'w' }, true],
  ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
  ['notin=in', { notin: 'in' }, true],
  ['x', { x: 'z' }, true],
  ['!x', { y: 'z' }, true],
  ['x>1', { x: '2' }, true],
  ['x<1', { x: '0' }, true],
  ['x=z', {}, false],
  ['x=y', { x: 'z' }, false],
  ['x=y,z=w', { x: 'w', z: 'w' }, false],
  ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
  ['x', { y: 'z' }, false],
  ['!x', { x: 'z' }, false],
  ['x>1', { x: '0' }, false],
  ['x<1', { x: '2' }, false],
  // Set-based forms (TestSetSelectorParser / TestRequirementSelectorMatching).
  ['x in (y,z)', { x: 'z' }, true],
  ['x in (y,z)', { x: 'w' }, false],
  ['x notin (y,z)', { x: 'w' }, true],
  ['x notin (y,z)', {}, true],
  ['x notin (y,z)', { x: 'y' }, false],
  ['a=b,c!=d,e in (x,y),!f', { a: 'b', c: 'x', e: 'y' }, true],
  ['a=b,c!=d,e in (x,y),!f', { a: 'b', c: 'x', e: 'y', f: '' }, false],
  ['app.kubernetes.io/name == sample-app', { 'app.kubernetes.io/name': 'sample-app' }, true],
];

describe('label selectors (apimachinery labels/selector_test.go)', () => {
  it.each(matches)('%j against %j matches: %s', (selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  // TestSelectorParse / TestLexerSequence error cases.
  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a', 'x in ()', 'x in (a', 'x=a,', '-x=a', 'x=a b'])(
    'refuses %j with a BadRequest Status',
    (selector) => {
      let caught: unknown;
      try {
        parseLabelSelector(selector);
      } catch (e) {
        caught = e;
      }
      expect(caught).toMatchObject({ code: 400, reason: 'BadRequest' });
      expect((caught as Error).message).toMatch(/^unable to parse requirement: /);
    },
  );

  it('formats a LabelSelector as Scale.status.selector does (keys sorted, sets sorted)', () => {
    const reqs = requirementsOf({
      matchLabels: { tier: 'web', app: 'sample-app' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(formatRequirements(reqs)).toBe('app=sample-app,env in (dev,prod),!legacy,tier=web');
  });

  it('field selectors compare dotted paths, = and != (fields/selector_test.go)', () => {
    const event = {
      involvedObject: { kind: 'FederatedHPA', name: 'sample-app' },
      reason: 'SuccessfulRescale',
    };
    expect(
      matchesFields(parseFieldSelector('involvedObject.name=sample-app,reason!=FailedRescale'), event),
    ).toBe(true);
    expect(matchesFields(parseFieldSelector('involvedObject.kind==Deployment'), event)).toBe(false);
    expect(() => parseFieldSelector('a~b')).toThrow(/invalid selector/);
  });
});

describe('list pagination', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map((name) => ({
    name,
    labels: { keep: name === 'c' ? 'no' : 'yes' },
  }));
  const query = (q: Record<string, string>) => parseListQuery((k) => q[k]);

  it('walks every item once in pages of `limit`, the token carrying the last key', () => {
    const seen: string[] = [];
    let token: string | undefined;
    const pages: number[] = [];
    do {
      const page = paginate(
        items,
        (i) => i.name,
        (i) => i.labels,
        query({ limit: '2', ...(token ? { continue: token } : {}) }),
        '42',
      );
      seen.push(...page.items.map((i) => i.name));
      pages.push(page.items.length);
      token = page.continue;
    } while (token);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toEqual([2, 2, 1]);
  });

  it('applies the label selector before cutting pages and then omits remainingItemCount', () => {
    const page = paginate(
      items,
      (i) => i.name,
      (i) => i.labels,
      query({ limit: '3', labelSelector: 'keep=yes' }),
      '42',
    );
    expect(page.items.map((i) => i.name)).toEqual(['a', 'b', 'd']);
    expect(page.remainingItemCount).toBeUndefined();
    expect(decodeContinue(page.continue ?? '')).toBe('d');
  });

  it('reports remainingItemCount for an unfiltered page', () => {
    expect(
      paginate(
        items,
        (i) => i.name,
        (i) => i.labels,
        query({ limit: '2' }),
        '42',
      ).remainingItemCount,
    ).toBe(3);
  });

  it('round-trips a continue token and refuses a forged one', () => {
    expect(decodeContinue(encodeContinue('7', 'default/sample-app'))).toBe('default/sample-app');
    expect(() => decodeContinue('not-a-token')).toThrow(/continue key is not valid/);
    expect(() => query({ limit: '-1' })).toThrow(/limit: invalid value "-1"/);
  });
});
