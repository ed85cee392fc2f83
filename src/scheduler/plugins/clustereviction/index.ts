// ClusterEviction: a cluster the binding is being evicted from (gracefulEvictionTasks) is not chosen again.
import { success, unschedulable, type FilterPlugin } from '../../framework/types.js';

export const Name = 'ClusterEviction';

export const clusterEviction: FilterPlugin = {
  name: Name,
  filter(state, cluster) {
    if (state.evicting.has(cluster.metadata.name)) return unschedulable('cluster(s) is in the process of eviction');
    return success();
  },
};
