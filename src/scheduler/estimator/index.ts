// Available replicas per cluster: the smallest answer across the estimators that answered.
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ComponentRequirements, ReplicaRequirements, ResourceBindingSpec } from '../../apis/karmada/binding.js';
import { generalComponentSets, generalEstimate } from './general.js';
import { componentSetsFromUsage, estimateFromNodes, MaxInt32, usageByNode, type Node, type Pod } from './nodes.js';

export { generalComponentSets, generalEstimate } from './general.js';
export { componentSetsFromUsage, estimateFromNodes, estimateFromUsage, usageByNode, nodeAdmits, nodeReady, podRequests, MaxInt32, type Node, type Pod, type NodeUsage } from './nodes.js';

/** One estimator: replicas that still fit in `cluster`, or undefined when it cannot tell. */
export interface ReplicaEstimator {
  name: string;
  estimate(cluster: Cluster, requirements: ReplicaRequirements | undefined): number | undefined;
  /** MaxAvailableComponentSets: whole sets of the components that still fit; absent when it cannot tell */
  estimateComponentSets?(cluster: Cluster, components: readonly ComponentRequirements[]): number | undefined;
}

export const generalEstimator: ReplicaEstimator = { name: 'general-estimator', estimate: generalEstimate, estimateComponentSets: generalComponentSets };

/**
 * isMultiTemplateSchedulingApplicable: a workload of components placed on exactly one cluster
 * (a cluster spread constraint of min 1 and max 1) is estimated and selected as whole component sets.
 */
export function isMultiTemplateScheduling(spec: ResourceBindingSpec): boolean {
  if ((spec.components ?? []).length === 0) return false;
  return (spec.placement?.spreadConstraints ?? []).some((sc) => sc.spreadByField === 'cluster' && sc.minGroups === 1 && sc.maxGroups === 1);
}

/** The accurate estimator over member nodes and pods (snapshots per cluster name). */
export function nodeEstimator(members: Map<string, { nodes: Node[]; pods: Pod[] }>): ReplicaEstimator {
  return {
    name: 'scheduler-estimator',
    estimate(cluster, requirements) {
      const m = members.get(cluster.metadata.name);
      return m ? estimateFromNodes(m.nodes, m.pods, requirements) : undefined;
    },
    estimateComponentSets(cluster, components) {
      const m = members.get(cluster.metadata.name);
      return m ? componentSetsFromUsage(m.nodes, usageByNode(m.pods), components) : undefined;
    },
  };
}

/**
 * calAvailableReplicas: per cluster the minimum across estimators. Non-workloads (replicas 0) are not
 * estimated; a cluster no estimator bounded gets spec.replicas, as Karmada does to avoid overflow.
 */
export function availableReplicas(clusters: Cluster[], spec: ResourceBindingSpec, estimators: ReplicaEstimator[]): number[] {
  const replicas = spec.replicas ?? 0;
  const components = spec.components ?? [];
  const out = new Array<number>(clusters.length).fill(MaxInt32);
  if (replicas === 0 && components.length === 0) return out;
  const sets = isMultiTemplateScheduling(spec);
  for (let i = 0; i < clusters.length; i++) {
    for (const e of estimators) {
      const v = sets ? e.estimateComponentSets?.(clusters[i], components) : e.estimate(clusters[i], spec.replicaRequirements);
      if (v !== undefined && v >= 0 && v < out[i]) out[i] = v;
    }
    if (out[i] === MaxInt32) out[i] = replicas;
  }
  return out;
}
