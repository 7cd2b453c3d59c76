import type { LabelSelector } from '../api/autoscaling-v2.ts';
import {
  LabelSelectorSyntaxError,
  matchesLabels,
  type Operator,
  parseLabelSelector as parseShared,
  type Requirement,
} from '../karmada/label-match.ts';
import { badRequest } from './k8s-status.ts';

// Label and field selectors as the API server reads them from `?labelSelector=` / `?fieldSelector=`
// (k8s.io/apimachinery/pkg/labels/selector.go#Parse, pkg/fields/selector.go#ParseSelector) and as
// metav1.LabelSelectorAsSelector builds them from an object's `spec.selector`. Pure functions; label
// selector parsing and matching are fhpa's own (karmada/label-match.ts), shared so both agree.

export type { Operator, Requirement } from '../karmada/label-match.ts';
export { matchesLabels };

/** selector.go#Parse, refusing what it refuses with the API server's 400. */
export function parseLabelSelector(text: string): Requirement[] {
  try {
    return parseShared(text);
  } catch (err) {
    if (err instanceof LabelSelectorSyntaxError) throw badRequest(err.message);
    throw err;
  }
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
