// Which taints the ClusterTaintPolicies put on one cluster (Karmada's pkg/controllers/taint):
// policies in creation order; a policy targeting the cluster adds its taints when every
// addOnCondition matches and removes them when every removeOnCondition matches.
import type { Condition } from '../../apimachinery/types.js';
import { clusterMatches } from '../../apis/karmada/clusteraffinity.js';
import type { Cluster, Taint } from '../../apis/karmada/cluster.js';
import type { ClusterTaintPolicy, MatchCondition } from '../../apis/karmada/policy.js';

/** every match condition holds (ANDed); an empty list never matches; a missing condition type does not match */
export function conditionsMatch(conditions: readonly Condition[], match: readonly MatchCondition[] | undefined): boolean {
  if (!match?.length) return false;
  return match.every((m) => {
    const found = conditions.filter((c) => c.type === m.conditionType);
    if (m.operator === 'In') return found.some((c) => m.statusValues.includes(c.status));
    if (m.operator === 'NotIn') return found.length > 0 && found.every((c) => !m.statusValues.includes(c.status));
    return false;
  });
}

const same = (a: { key: string; effect: string }, b: { key: string; effect: string }) => a.key === b.key && a.effect === b.effect;

/** the cluster's taints after every policy is applied, or undefined when they do not change */
export function taintsFromPolicies(cluster: Cluster, policies: readonly ClusterTaintPolicy[], now: string): Taint[] | undefined {
  const ordered = [...policies].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  const conditions = (cluster.status?.conditions ?? []) as Condition[];
  let taints = [...(cluster.spec.taints ?? [])];
  for (const p of ordered) {
    if (p.spec.targetClusters && !clusterMatches(cluster, p.spec.targetClusters)) continue;
    if (conditionsMatch(conditions, p.spec.addOnConditions)) {
      for (const t of p.spec.taints ?? []) if (!taints.some((c) => same(c, t))) taints.push({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect, timeAdded: now });
    }
    if (conditionsMatch(conditions, p.spec.removeOnConditions)) taints = taints.filter((c) => !(p.spec.taints ?? []).some((t) => same(c, t)));
  }
  const before = cluster.spec.taints ?? [];
  const changed = taints.length !== before.length || taints.some((t, i) => !same(t, before[i]!) || (t.value ?? '') !== (before[i]!.value ?? ''));
  return changed ? taints : undefined;
}

/** helper.GenerateTaintsMessage: `key=value:Effect` joined by commas, in brackets */
export function taintsMessage(taints: readonly Taint[]): string {
  return `[${taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(',')}]`;
}
