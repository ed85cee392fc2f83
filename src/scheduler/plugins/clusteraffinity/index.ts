// ClusterAffinity (Karmada's clusteraffinity plugin): the cluster must match the affinity term in
// force, or, for a workload, one of that term's overflowAffinities. Its score is constant.
import { clusterMatches } from '../../../apis/karmada/clusteraffinity.js';
import { MinClusterScore, success, unschedulable, type FilterPlugin, type ScorePlugin } from '../../framework/types.js';

export const Name = 'ClusterAffinity';

export const clusterAffinity: FilterPlugin & ScorePlugin = {
  name: Name,
  filter(state, cluster) {
    if (!state.affinity || clusterMatches(cluster, state.affinity)) return success();
    for (const a of state.overflow ?? []) if (clusterMatches(cluster, a)) return success();
    return unschedulable('cluster(s) did not match the placement cluster affinity constraint');
  },
  score() {
    return MinClusterScore;
  },
};
