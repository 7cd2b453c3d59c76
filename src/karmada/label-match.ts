// Label selectors in their string form (a Scale's status.selector, `?labelSelector=`), parsed and matched as
// k8s.io/apimachinery/pkg/labels/selector.go#Parse and Requirement.Matches do. Pure functions, shared by fhpa
// (grouping a namespace's pods by each target's selector, sweep-reads.ts) and the simulated API server.

export type Operator = 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** A selector string that selector.go#Parse refuses; the message is upstream's. */
export class LabelSelectorSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorSyntaxError';
  }
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace() {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos++;
  }
  done() {
    this.skipSpace();
    return this.pos >= this.text.length;
  }
  peek(s: string) {
    this.skipSpace();
    return this.text.startsWith(s, this.pos);
  }
  eat(s: string) {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }
  /** A run of characters that can appear in a key or value. */
  word() {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && /[A-Za-z0-9_./-]/.test(this.text.charAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }
  fail(what: string): never {
    throw new LabelSelectorSyntaxError(
      `unable to parse requirement: ${what} at position ${this.pos} in "${this.text}"`,
    );
  }
}

function checkKey(s: Scanner, key: string) {
  if (!KEY.test(key) || key.length > 316) s.fail(`invalid label key "${key}"`);
}
function checkValue(s: Scanner, value: string) {
  if (!VALUE.test(value) || value.length > 63) s.fail(`invalid label value "${value}"`);
}

/** selector.go#Parse: `a=b,c!=d,e in (x,y),f notin (z),g,!h,i>1`; an empty string selects everything. */
export function parseLabelSelector(text: string): Requirement[] {
  const s = new Scanner(text);
  const out: Requirement[] = [];
  if (s.done()) return out;
  for (;;) {
    if (s.eat('!')) {
      const key = s.word();
      checkKey(s, key);
      out.push({ key, operator: '!', values: [] });
    } else {
      const key = s.word();
      checkKey(s, key);
      out.push(parseOperation(s, key));
    }
    if (s.done()) return out;
    if (!s.eat(',')) s.fail('expected ","');
  }
}

function parseOperation(s: Scanner, key: string): Requirement {
  if (s.done() || s.peek(',')) return { key, operator: 'exists', values: [] };
  let operator: Operator | undefined;
  if (s.eat('==') || s.eat('=')) operator = 'in';
  else if (s.eat('!=')) operator = 'notin';
  else if (s.eat('>')) operator = 'gt';
  else if (s.eat('<')) operator = 'lt';
  if (operator !== undefined) {
    const value = s.word();
    if (operator === 'gt' || operator === 'lt') {
      if (!/^-?\d+$/.test(value)) s.fail(`for '${operator}' an integer value is required, got "${value}"`);
    } else checkValue(s, value);
    return { key, operator, values: [value] };
  }
  const word = s.word();
  if (word !== 'in' && word !== 'notin') s.fail(`unknown operator "${word}"`);
  if (!s.eat('(')) s.fail('expected "("');
  const values: string[] = [];
  if (!s.eat(')')) {
    for (;;) {
      const value = s.word();
      checkValue(s, value);
      values.push(value);
      if (s.eat(')')) break;
      if (!s.eat(',')) s.fail('expected "," or ")"');
    }
  }
  if (values.length === 0) s.fail(`for '${word}' a non-empty set of values is required`);
  return { key, operator: word, values };
}

/** selector.go#Requirement.Matches; `!=` and `notin` also match objects without the key. */
export function matchesLabels(reqs: readonly Requirement[], labels: Record<string, string> | undefined) {
  return reqs.every((r) => {
    const v = labels?.[r.key];
    switch (r.operator) {
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
      case 'exists':
        return v !== undefined;
      case '!':
        return v === undefined;
      default: {
        // gt / lt compare integers; a missing or non-integer label never matches.
        if (v === undefined || !/^-?\d+$/.test(v)) return false;
        const a = Number(v);
        const b = Number(r.values[0]);
        return r.operator === 'gt' ? a > b : a < b;
      }
    }
  });
}

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/** A matcher for a selector string, or undefined when the string does not parse (the API server names why). */
export function labelMatcher(selector: string): LabelMatcher | undefined {
  try {
    const reqs = parseLabelSelector(selector);
    return (labels) => matchesLabels(reqs, labels);
  } catch (err) {
    if (err instanceof LabelSelectorSyntaxError) return undefined;
    throw err;
  }
}
