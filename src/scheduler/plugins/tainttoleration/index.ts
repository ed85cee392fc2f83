// TaintToleration: placement.clusterTolerations must tolerate the cluster's NoSchedule and NoExecute taints.
import { success, unschedulable, type FilterPlugin } from '../../framework/types.js';
import { findUntoleratedTaint, taintToString } from '../../util/taints.js';

export const Name = 'TaintToleration';

export const taintToleration: FilterPlugin = {
  name: Name,
  filter(state, cluster) {
    // A cluster already in the result passes: if the workload cannot tolerate a new taint,
    // the taint manager evicts it after a grace period instead of the scheduler dropping it at once.
    if (state.scheduled.has(cluster.metadata.name)) return success();
    const taint = findUntoleratedTaint(
      cluster.spec.taints ?? [],
      state.spec.placement?.clusterTolerations ?? [],
      (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
    );
    if (!taint) return success();
    return unschedulable(`cluster(s) had untolerated taint {${taintToString(taint)}}`);
  },
};
