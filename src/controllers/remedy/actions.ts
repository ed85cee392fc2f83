// Which remedy actions a cluster is under (Karmada pkg/controllers/remediation/util.go): the
// actions of every Remedy that covers the cluster (clusterAffinity, all when absent) and whose
// decisionMatches match one of its conditions (always, when there are none).
import type { Condition } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { Remedy } from '../../apis/karmada/networking.js';

/** isRemedyWorkOnCluster */
export function coversCluster(remedy: Remedy, cluster: string): boolean {
  const names = remedy.spec?.clusterAffinity?.clusterNames;
  return remedy.spec?.clusterAffinity === undefined || (names ?? []).includes(cluster);
}

/** remedyDecisionMatchWithCluster */
export function decisionMatches(remedy: Remedy, conditions: readonly Condition[] | undefined): boolean {
  const matches = remedy.spec?.decisionMatches;
  if (matches === undefined) return true;
  if (!conditions) return false;
  return matches.some((m) => {
    const want = m.clusterConditionMatch;
    const got = want && conditions.find((c) => c.type === want.conditionType);
    if (!want || !got) return false;
    return want.operator === 'Equal' ? got.status === want.conditionStatus : want.operator === 'NotEqual' ? got.status !== want.conditionStatus : false;
  });
}

/** calculateActions: sorted, without duplicates */
export function remedyActions(remedies: readonly Remedy[], cluster: Cluster): string[] {
  const out = new Set<string>();
  for (const r of remedies) if (coversCluster(r, cluster.metadata.name) && decisionMatches(r, cluster.status?.conditions)) for (const a of r.spec?.actions ?? []) out.add(a);
  return [...out].sort();
}
