// An FRQ's status from its Works (Karmada's federated-resource-quota-status-controller
// aggregatedStatusFormWorks): each applied Work's reflected ResourceQuota status, per cluster, sorted
// by cluster; pure.
import type { ResourceList } from '../../apis/builtin/quota.js';
import type { FederatedResourceQuota, FederatedResourceQuotaStatus } from '../../apis/karmada/policy.js';
import { overallUsedFromMembers } from '../../apis/karmada/quota.js';
import { clusterOfExecutionSpace, WorkApplied, type Work } from '../../apis/karmada/work.js';

type ClusterQuotaStatus = NonNullable<FederatedResourceQuotaStatus['aggregatedStatus']>[number];

export function aggregatedStatusFromWorks(works: readonly Work[]): ClusterQuotaStatus[] {
  const out: ClusterQuotaStatus[] = [];
  for (const w of works) {
    if (!(w.status?.conditions ?? []).some((c) => c.type === WorkApplied && c.status === 'True')) continue;
    const reflected = w.status?.manifestStatuses?.[0]?.status as { hard?: ResourceList; used?: ResourceList } | undefined;
    const clusterName = clusterOfExecutionSpace(w.metadata.namespace);
    if (!reflected || !clusterName) continue;
    out.push({ clusterName, ...(reflected.hard ? { hard: reflected.hard } : {}), ...(reflected.used ? { used: reflected.used } : {}) });
  }
  return out.sort((a, b) => (a.clusterName < b.clusterName ? -1 : a.clusterName > b.clusterName ? 1 : 0));
}

/**
 * collectQuotaStatus: aggregatedStatus always; overall and overallUsed from the members only when
 * FederatedQuotaEnforcement is off (with it on, the enforcement controller owns them, from bindings).
 */
export function quotaStatusFromWorks(frq: FederatedResourceQuota, works: readonly Work[], enforcement: boolean): FederatedResourceQuotaStatus {
  const aggregatedStatus = aggregatedStatusFromWorks(works);
  const status: FederatedResourceQuotaStatus = { ...frq.status };
  if (aggregatedStatus.length > 0) status.aggregatedStatus = aggregatedStatus;
  else delete status.aggregatedStatus;
  if (!enforcement) {
    status.overall = frq.spec.overall;
    const used = overallUsedFromMembers(aggregatedStatus);
    // an empty list is left out, as Go's omitempty does
    if (Object.keys(used).length > 0) status.overallUsed = used;
    else delete status.overallUsed;
  }
  return status;
}
