// Which scheduling taints the cluster controller keeps on a Cluster, from its Ready condition
// (Karmada's taintClusterByCondition): not-ready while Ready is False or not yet reported,
// unreachable while it is Unknown, neither once it is True. Other taints (the user's) are kept.
import type { Cluster, Taint } from '../../apis/karmada/cluster.js';
import { ClusterConditionReady, TaintClusterNotReady, TaintClusterUnreachable } from '../../apis/karmada/cluster.js';

const notReadyTaint: Taint = { key: TaintClusterNotReady, effect: 'NoSchedule' };
const unreachableTaint: Taint = { key: TaintClusterUnreachable, effect: 'NoSchedule' };

/** corev1 Taint.MatchTaint: same key and effect */
function matches(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

function controllerTaintChanges(cluster: Cluster): { add: Taint[]; remove: Taint[] } {
  const ready = cluster.status?.conditions?.find((c) => c.type === ClusterConditionReady);
  switch (ready?.status) {
    case 'True':
      return { add: [], remove: [notReadyTaint, unreachableTaint] };
    case 'Unknown':
      return { add: [unreachableTaint], remove: [notReadyTaint] };
    default:
      // False, or never reported (a cluster that just joined is not ready yet)
      return { add: [notReadyTaint], remove: [unreachableTaint] };
  }
}

/**
 * The taints the cluster should carry (UpdateClusterControllerTaint), or undefined when they are
 * already right. Added taints get timeAdded `now`; existing ones keep theirs and their order.
 */
export function desiredTaints(cluster: Cluster, now: string): Taint[] | undefined {
  const current = cluster.spec.taints ?? [];
  const { add, remove } = controllerTaintChanges(cluster);
  const toAdd = add.filter((t) => !current.some((c) => matches(c, t)));
  const toRemove = remove.filter((t) => current.some((c) => matches(c, t)));
  if (toAdd.length === 0 && toRemove.length === 0) return undefined;
  return [...current.filter((c) => !toRemove.some((t) => matches(c, t))), ...toAdd.map((t) => ({ ...t, timeAdded: now }))];
}
