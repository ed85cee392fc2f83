// The plugin contract: a filter answers one question about one cluster, a score plugin gives one
// number in [MinClusterScore, MaxClusterScore]. The framework runs them; plugins never call each other.
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ResourceBinding, ResourceBindingSpec, ResourceBindingStatus } from '../../apis/karmada/binding.js';
import type { ClusterAffinity } from '../../apis/karmada/placement.js';

export const MinClusterScore = 0;
export const MaxClusterScore = 100;

type Code = 'Success' | 'Unschedulable' | 'Error';

export interface FilterResult {
  code: Code;
  /** human reasons, e.g. `cluster(s) had untolerated taint {key=value:NoSchedule}` */
  reasons: string[];
}

/** What every plugin may read during one scheduling attempt. */
export interface CycleState {
  spec: ResourceBindingSpec;
  status: ResourceBindingStatus;
  /** the affinity term in force: placement.clusterAffinity, or the clusterAffinities term being tried */
  affinity?: ClusterAffinity;
  /** for a workload, the term's overflowAffinities: clusters matching one of them pass too */
  overflow?: ClusterAffinity[];
  /** names in spec.clusters (the previous result) */
  scheduled: ReadonlySet<string>;
  /** names in spec.gracefulEvictionTasks[].fromCluster */
  evicting: ReadonlySet<string>;
  /** the other bindings of a workload (anti-)affinity group, for the WorkloadAffinity plugins */
  peers?: WorkloadPeers;
}

/** The ResourceBindings of one group, each as fresh as the scheduler knows it (its own recent writes included). */
export interface WorkloadPeers {
  byAffinityGroup(group: string): ResourceBinding[];
  byAntiAffinityGroup(group: string): ResourceBinding[];
}

export interface Plugin {
  readonly name: string;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, cluster: Cluster): FilterResult;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, cluster: Cluster): number;
}

const successResult: FilterResult = Object.freeze({ code: 'Success', reasons: [] }) as FilterResult;

export function success(): FilterResult {
  return successResult;
}

export function unschedulable(...reasons: string[]): FilterResult {
  return { code: 'Unschedulable', reasons };
}

export function isFilterPlugin(p: Plugin): p is FilterPlugin {
  return typeof (p as FilterPlugin).filter === 'function';
}

export function isScorePlugin(p: Plugin): p is ScorePlugin {
  return typeof (p as ScorePlugin).score === 'function';
}
