// APIEnablement: the cluster must serve the resource's kind (status.apiEnablements).
import { ClusterConditionCompleteAPIEnablements, type APIEnablement } from '../../../apis/karmada/cluster.js';
import { success, unschedulable, type FilterPlugin } from '../../framework/types.js';

export const Name = 'APIEnablement';

/** helper.IsAPIEnabled: the groupVersion is listed with a resource of this kind. */
function isAPIEnabled(enablements: APIEnablement[] | undefined, apiVersion: string, kind: string): boolean {
  for (const e of enablements ?? []) {
    if (e.groupVersion !== apiVersion) continue;
    if ((e.resources ?? []).some((r) => r.kind === kind)) return true;
  }
  return false;
}

export const apiEnablement: FilterPlugin = {
  name: Name,
  filter(state, cluster) {
    const { apiVersion, kind } = state.spec.resource;
    if (isAPIEnabled(cluster.status?.apiEnablements, apiVersion, kind)) return success();
    // A cluster already chosen keeps its place while its API list is incomplete: an untrusted,
    // partial list must not remove the workload from it.
    const complete = (cluster.status?.conditions ?? []).some((c) => c.type === ClusterConditionCompleteAPIEnablements && c.status === 'True');
    if (state.scheduled.has(cluster.metadata.name) && !complete) return success();
    return unschedulable('cluster(s) did not have the API resource');
  },
};
