import type { LabelSelector } from '../api/autoscaling-v2.ts';

// metav1.LabelSelector → the string form of a labels.Selector, as metav1.LabelSelectorAsSelector builds it
// (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go) and labels.internalSelector.String prints it:
// requirements sorted by key, set values sorted, `key=value`, `key in (a,b)`, `key notin (a,b)`, `key`, `!key`.

export function labelSelectorToString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    reqs.push({ key, text: `${key}=${value}` });
  for (const e of selector.matchExpressions ?? []) {
    const values = [...new Set(e.values ?? [])].sort();
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, text: `${e.key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, text: `${e.key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key: e.key, text: e.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, text: `!${e.key}` });
        break;
      default:
        // helpers.go: `"%q" is not a valid label selector operator`
        throw new Error(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
    }
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}
