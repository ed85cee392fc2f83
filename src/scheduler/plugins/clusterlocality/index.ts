// ClusterLocality: prefer clusters already in the result, so rescheduling moves as little as possible.
import { MaxClusterScore, MinClusterScore, type ScorePlugin } from '../../framework/types.js';

export const Name = 'ClusterLocality';

export const clusterLocality: ScorePlugin = {
  name: Name,
  score(state, cluster) {
    return state.scheduled.has(cluster.metadata.name) ? MaxClusterScore : MinClusterScore;
  },
};
