import type { CrossVersionObjectReference } from '../api/autoscaling-v2.ts';
import type { PropagationPolicy, ResourceSelector } from '../api/propagationpolicy.ts';

// Which of several policies propagates a resource (karmada pkg/detector/detector.go#LookForMatchedPolicy,
// compare.go#getHighestPriorityPropagationPolicy, pkg/util/selector.go#ResourceSelectorPriority):
// a PropagationPolicy in the resource's namespace before any ClusterPropagationPolicy; among those,
// the highest spec.priority, then the most precise selector (by name > by labelSelector > by
// apiVersion and kind), then the alphabetically first policy name.

const MATCH_NAME = 3;
const MATCH_LABEL_SELECTOR = 2;
const MATCH_ALL = 1;
const MISMATCH = 0;

/**
 * How precisely `selector` takes the resource. Labels are not known here, so a labelSelector is taken
 * to match; the caller is warned.
 */
function selectorPriority(
  s: ResourceSelector,
  ref: CrossVersionObjectReference,
  namespace: string | undefined,
): number {
  if (s.apiVersion !== ref.apiVersion || s.kind !== ref.kind) return MISMATCH;
  if (s.namespace !== undefined && s.namespace !== namespace) return MISMATCH;
  if (s.name !== undefined && s.name !== '') return s.name === ref.name ? MATCH_NAME : MISMATCH;
  return s.labelSelector !== undefined ? MATCH_LABEL_SELECTOR : MATCH_ALL;
}

export interface PolicyChoice {
  policy?: PropagationPolicy;
  warnings: string[];
}

const label = (p: PropagationPolicy) =>
  `${p.kind} ${p.metadata.namespace ? `${p.metadata.namespace}/` : ''}${p.metadata.name ?? ''}`;

/** The policy Karmada would apply to the resource `ref` in `namespace`, if any. */
export function choosePolicy(
  policies: PropagationPolicy[],
  ref: CrossVersionObjectReference,
  namespace: string | undefined,
): PolicyChoice {
  const ranked = policies
    .filter((p) => p.kind === 'ClusterPropagationPolicy' || (p.metadata.namespace ?? namespace) === namespace)
    .map((p) => ({
      p,
      implicit: Math.max(
        MISMATCH,
        ...p.spec.resourceSelectors.map((s) => selectorPriority(s, ref, namespace)),
      ),
    }))
    .filter((x) => x.implicit > MISMATCH)
    .sort(
      (a, b) =>
        Number(a.p.kind === 'ClusterPropagationPolicy') - Number(b.p.kind === 'ClusterPropagationPolicy') ||
        (b.p.spec.priority ?? 0) - (a.p.spec.priority ?? 0) ||
        b.implicit - a.implicit ||
        ((a.p.metadata.name ?? '') < (b.p.metadata.name ?? '') ? -1 : 1),
    );
  const first = ranked[0];
  if (first === undefined) return { warnings: [] };
  const warnings: string[] = [];
  if (ranked.some((x) => x.implicit === MATCH_LABEL_SELECTOR)) {
    warnings.push('resource selectors with a labelSelector are taken to match: labels are not evaluated');
  }
  if (ranked.length > 1)
    warnings.push(`${ranked.length} policies select the target; using ${label(first.p)}`);
  return { policy: first.p, warnings };
}
