// ClusterRole aggregation (kube-controller-manager's clusterrole-aggregation controller): a
// ClusterRole with an aggregationRule holds the union of the rules of every ClusterRole its
// selectors match, in name order, each rule once.
import { isDeepStrictEqual } from 'node:util';
import { labelSelectorAsSelector } from '../../../apimachinery/labels.js';
import type { LabelSelector } from '../../../apimachinery/types.js';
import type { PolicyRule } from './rules.js';
import type { RoleObject } from './authorizer.js';

export interface AggregatedRole extends RoleObject {
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } | null;
}

/** the rules an aggregated ClusterRole should hold, or undefined when it has no aggregationRule */
function aggregatedRules(role: AggregatedRole, all: Iterable<RoleObject>): PolicyRule[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!role.aggregationRule) return undefined;
  const sorted = [...all].filter((r) => r.metadata.name !== role.metadata.name).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const rules: PolicyRule[] = [];
  for (const ls of selectors ?? []) {
    let selector;
    try {
      selector = labelSelectorAsSelector(ls);
    } catch {
      continue;
    }
    for (const r of sorted) {
      if (!selector.matches(r.metadata.labels)) continue;
      for (const rule of r.rules ?? []) if (!rules.some((x) => isDeepStrictEqual(x, rule))) rules.push(rule);
    }
  }
  return rules;
}

/** the aggregated roles whose rules differ from what they should hold, with the rules to write */
export function aggregationUpdates(all: RoleObject[]): { name: string; rules: PolicyRule[] }[] {
  const out: { name: string; rules: PolicyRule[] }[] = [];
  for (const role of all) {
    const want = aggregatedRules(role as AggregatedRole, all);
    if (want && !isDeepStrictEqual(want, role.rules ?? [])) out.push({ name: role.metadata.name!, rules: want });
  }
  return out;
}
