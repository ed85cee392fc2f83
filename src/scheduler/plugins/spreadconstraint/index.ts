// SpreadConstraint: when spreading by provider, region or zone, a cluster lacking that property cannot take part.
import { clusterZones } from '../../../apis/karmada/cluster.js';
import { success, unschedulable, type FilterPlugin } from '../../framework/types.js';

export const Name = 'SpreadConstraint';

export const spreadConstraint: FilterPlugin = {
  name: Name,
  filter(state, cluster) {
    for (const sc of state.spec.placement?.spreadConstraints ?? []) {
      if (sc.spreadByField === 'provider' && !cluster.spec.provider) return unschedulable("cluster(s) didn't have provider property");
      if (sc.spreadByField === 'region' && !cluster.spec.region) return unschedulable("cluster(s) didn't have region property");
      if (sc.spreadByField === 'zone' && clusterZones(cluster).length === 0) return unschedulable("cluster(s) didn't have zone property");
    }
    return success();
  },
};
