import type { ClusterAffinity, PropagationPolicy } from '../api/propagationpolicy.ts';
import type { ReplicaScheduling } from './division.ts';

// From a PropagationPolicy to the ReplicaScheduling that divideReplicas takes. Cluster objects are not
// available here, so affinities are judged by name only; policyWarnings says what that leaves out.

/**
 * Whether `cluster` matches an affinity by name (karmada pkg/util/selector.go#ClusterMatches): excluded
 * names never match; empty clusterNames matches every name. Label and field selectors are not evaluated.
 */
export function affinityMatchesName(affinity: ClusterAffinity, cluster: string): boolean {
  if (affinity.exclude?.includes(cluster)) return false;
  const names = affinity.clusterNames ?? [];
  return names.length === 0 || names.includes(cluster);
}

/** The policy's candidate clusters by name: placement.clusterAffinity.clusterNames minus exclude. */
export function policyClusterNames(policy: PropagationPolicy): string[] {
  const affinity = policy.spec.placement?.clusterAffinity;
  const names = affinity?.clusterNames ?? [];
  return names.filter((n, i) => names.indexOf(n) === i && affinityMatchesName(affinity ?? {}, n));
}

/**
 * The replica scheduling a policy asks for, as Karmada reads it: no replicaScheduling → Duplicated
 * (propagation_helper.go#Placement.ReplicaSchedulingType); type defaults to Divided (CRD default) and
 * preference to Weighted (mutating webhook); dynamicWeight wins over staticWeightList
 * (assignment.go#newAssignState). Static weight rules are expanded to one entry per matching cluster
 * in `clusterNames`; divideReplicas then takes the largest weight per cluster.
 */
export function schedulingFromPolicy(policy: PropagationPolicy, clusterNames: string[]): ReplicaScheduling {
  const rs = policy.spec.placement?.replicaScheduling;
  if (rs === undefined || (rs.replicaSchedulingType ?? 'Divided') === 'Duplicated')
    return { type: 'Duplicated' };
  if (rs.replicaDivisionPreference === 'Aggregated') return { type: 'Divided', preference: 'Aggregated' };
  const wp = rs.weightPreference;
  if (wp?.dynamicWeight === 'AvailableReplicas') {
    return { type: 'Divided', preference: 'Weighted', dynamicWeight: 'AvailableReplicas' };
  }
  if (wp === undefined) return { type: 'Divided', preference: 'Weighted' };
  const staticWeights: { cluster: string; weight: number }[] = [];
  for (const rule of wp.staticWeightList ?? []) {
    // A rule with a label or field selector cannot be judged by name: it matches nothing here.
    if (rule.targetCluster.labelSelector !== undefined || rule.targetCluster.fieldSelector !== undefined)
      continue;
    for (const cluster of clusterNames) {
      if (affinityMatchesName(rule.targetCluster, cluster))
        staticWeights.push({ cluster, weight: rule.weight });
    }
  }
  return { type: 'Divided', preference: 'Weighted', staticWeights };
}

/** Parts of the placement fhpa does not evaluate, each named by its field path. */
export function policyWarnings(policy: PropagationPolicy): string[] {
  const placement = policy.spec.placement;
  const warnings: string[] = [];
  const affinity = placement?.clusterAffinity;
  for (const field of ['labelSelector', 'fieldSelector'] as const) {
    if (affinity?.[field] !== undefined) {
      warnings.push(`spec.placement.clusterAffinity.${field} is not evaluated: clusters are taken by name`);
    }
  }
  if (placement?.clusterAffinities !== undefined) {
    warnings.push('spec.placement.clusterAffinities is not evaluated: clusters are taken by name');
  }
  if (placement?.spreadConstraints !== undefined) {
    warnings.push('spec.placement.spreadConstraints is not evaluated: every named cluster is a candidate');
  }
  const rules = placement?.replicaScheduling?.weightPreference?.staticWeightList ?? [];
  rules.forEach((rule, i) => {
    for (const field of ['labelSelector', 'fieldSelector'] as const) {
      if (rule.targetCluster[field] !== undefined) {
        warnings.push(
          `spec.placement.replicaScheduling.weightPreference.staticWeightList[${i}].targetCluster.${field} is not evaluated: the rule matches no cluster`,
        );
      }
    }
  });
  return warnings;
}
