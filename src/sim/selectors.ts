import type { LabelSelector } from '../api/autoscaling-v2.ts';
import { badRequest } from './k8s-status.ts';

// Label and field selectors as the API server reads them from `?labelSelector=` / `?fieldSelector=`
// (k8s.io/apimachinery/pkg/labels/selector.go#Parse, pkg/fields/selector.go#ParseSelector) and as
// metav1.LabelSelectorAsSelector builds them from an object's `spec.selector`. Pure functions.

export type Operator = 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
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
    throw badRequest(`unable to parse requirement: ${what} at position ${this.pos} in "${this.text}"`);
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

/** metav1.LabelSelectorAsSelector: matchLabels are equality requirements, expressions map one to one. */
export function requirementsOf(selector: LabelSelector | undefined): Requirement[] {
  const reqs: Requirement[] = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => ({
    key,
    operator: 'in' as const,
    values: [value],
  }));
  for (const e of selector?.matchExpressions ?? []) {
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }[e.operator];
    if (op === undefined) throw badRequest(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, operator: op as Operator, values: [...(e.values ?? [])].sort() });
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Requirement.String, joined with "," as internalSelector.String (the form of a Scale's status.selector). */
export function formatRequirements(reqs: readonly Requirement[]): string {
  return reqs
    .map((r) => {
      switch (r.operator) {
        case 'in':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'notin':
          return r.values.length === 1
            ? `${r.key}!=${r.values[0]}`
            : `${r.key} notin (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        default:
          return `${r.key}<${r.values[0]}`;
      }
    })
    .join(',');
}

export interface FieldRequirement {
  path: string;
  equal: boolean;
  value: string;
}

/** fields/selector.go#ParseSelector: `a.b=c`, `a.b==c`, `a.b!=c`, comma-separated. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  if (text.trim() === '') return [];
  return text.split(',').map((term) => {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    return { path: m[1] ?? '', equal: m[2] !== '!=', value: m[3] ?? '' };
  });
}

/** Field selectors are resolved by their dotted path on the object's JSON (a superset of upstream's fixed fields). */
export function matchesFields(reqs: readonly FieldRequirement[], obj: unknown): boolean {
  return reqs.every((r) => {
    let node: unknown = obj;
    for (const part of r.path.split('.')) {
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    }
    const text = node === undefined || node === null ? '' : String(node);
    return r.equal ? text === r.value : text !== r.value;
  });
}
