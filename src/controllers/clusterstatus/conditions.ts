// The Ready condition of a Push cluster: what a probe observed, held back by the success/failure
// thresholds so one failed probe does not flip a healthy cluster (Karmada's clusterConditionStore),
// and set into the conditions list the way meta.SetStatusCondition does.
import type { Condition } from '../../apimachinery/types.js';
import { ClusterConditionReady, ClusterReasonNotReachable, ClusterReasonNotReady, ClusterReasonReady } from '../../apis/karmada/cluster.js';

const clusterHealthyMessage = 'cluster is healthy and ready to accept workloads';
const clusterUnhealthyMessage = 'cluster is reachable but health endpoint responded without ok';
const clusterNotReachableMessage = 'cluster is not reachable';
export const ReasonStatusCollectionFailed = 'StatusCollectionFailed';

export const ClusterConditionCompleteAPIEnablements = 'CompleteAPIEnablements';

export function readyCondition(online: boolean, healthy: boolean): Condition {
  if (!online) return { type: ClusterConditionReady, status: 'False', reason: ClusterReasonNotReachable, message: clusterNotReachableMessage };
  if (!healthy) return { type: ClusterConditionReady, status: 'False', reason: ClusterReasonNotReady, message: clusterUnhealthyMessage };
  return { type: ClusterConditionReady, status: 'True', reason: ClusterReasonReady, message: clusterHealthyMessage };
}

export function apiEnablementsCondition(collected: number, failed: number): Condition {
  const type = ClusterConditionCompleteAPIEnablements;
  if (collected === 0) return { type, status: 'False', reason: 'Empty', message: 'collected empty APIEnablements from the cluster' };
  if (failed > 0) return { type, status: 'False', reason: 'Partial', message: `might collect partial APIEnablements(${collected}) from the cluster` };
  return { type, status: 'True', reason: 'Complete', message: 'collected complete APIEnablements from the cluster' };
}

interface Thresholds {
  successMs: number;
  failureMs: number;
}

/** per cluster: the last observed Ready status and since when it has been observed */
export class ConditionThresholds {
  private readonly seen = new Map<string, { status: Condition['status']; since: number }>();

  constructor(private readonly thresholds: Thresholds) {}

  /** the Ready condition to write: the observed one, or the current one while a flip is within its threshold */
  adjust(cluster: string, current: Condition | undefined, observed: Condition, now: number): Condition {
    let saved = this.seen.get(cluster);
    if (!saved) {
      this.seen.set(cluster, { status: observed.status, since: now });
      return observed;
    }
    if (!current) return observed;
    if (saved.status !== observed.status) {
      saved = { status: observed.status, since: now };
      this.seen.set(cluster, saved);
    }
    const threshold = observed.status === 'True' ? this.thresholds.successMs : this.thresholds.failureMs;
    // only True against not-True counts (Unknown, as the cluster controller writes it, is not True)
    const flips = (observed.status === 'True') !== (current.status === 'True');
    if (flips && now < saved.since + threshold) return current;
    return observed;
  }

  forget(cluster: string): void {
    this.seen.delete(cluster);
  }
}

/** meta.SetStatusCondition: lastTransitionTime moves only when the status changes */
export function setCondition(conditions: Condition[] | undefined, next: Condition, now: string): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  if (i < 0) {
    list.push({ ...next, lastTransitionTime: next.lastTransitionTime ?? now });
    return list;
  }
  const prev = list[i];
  const lastTransitionTime = prev.status === next.status ? prev.lastTransitionTime ?? now : now;
  list[i] = { ...prev, status: next.status, reason: next.reason, message: next.message, lastTransitionTime, ...(next.observedGeneration !== undefined ? { observedGeneration: next.observedGeneration } : {}) };
  return list;
}
