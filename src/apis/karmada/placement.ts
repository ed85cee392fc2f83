// policy.karmada.io/v1alpha1 Placement: where a resource may go and how replicas are divided.
// Shared by PropagationPolicy, ClusterPropagationPolicy and (Cluster)ResourceBinding.spec.placement.
import type { LabelSelector } from '../../apimachinery/types.js';
import type { TaintEffect } from './cluster.js';

type FieldSelectorKey = 'provider' | 'region' | 'zone';
type FieldSelectorOperator = 'In' | 'NotIn';

export interface FieldSelectorRequirement {
  key: FieldSelectorKey | (string & {});
  operator: FieldSelectorOperator | (string & {});
  values?: string[];
}

export interface FieldSelector {
  matchExpressions?: FieldSelectorRequirement[];
}

export interface ClusterAffinity {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  clusterNames?: string[];
  exclude?: string[];
}

interface OverflowAffinityTerm extends ClusterAffinity {
  affinityName: string;
}

export interface ClusterAffinityTerm extends ClusterAffinity {
  affinityName: string;
  overflowAffinities?: OverflowAffinityTerm[];
}

/** corev1.Toleration */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
}

export type SpreadFieldValue = 'cluster' | 'region' | 'zone' | 'provider';

export interface SpreadConstraint {
  spreadByField?: SpreadFieldValue;
  spreadByLabel?: string;
  maxGroups?: number;
  minGroups?: number;
}

type ReplicaSchedulingType = 'Duplicated' | 'Divided';
type ReplicaDivisionPreference = 'Aggregated' | 'Weighted';
type DynamicWeightFactor = 'AvailableReplicas';

export interface StaticClusterWeight {
  targetCluster: ClusterAffinity;
  weight: number;
}

interface ClusterPreferences {
  staticWeightList?: StaticClusterWeight[];
  dynamicWeight?: DynamicWeightFactor;
}

interface ReplicaSchedulingStrategy {
  replicaSchedulingType?: ReplicaSchedulingType;
  replicaDivisionPreference?: ReplicaDivisionPreference;
  weightPreference?: ClusterPreferences;
}

interface WorkloadAffinityTerm {
  groupByLabelKey: string;
}

export interface WorkloadAffinity {
  affinity?: WorkloadAffinityTerm;
  antiAffinity?: WorkloadAffinityTerm;
}

export interface Placement {
  clusterAffinity?: ClusterAffinity;
  clusterAffinities?: ClusterAffinityTerm[];
  clusterTolerations?: Toleration[];
  spreadConstraints?: SpreadConstraint[];
  replicaScheduling?: ReplicaSchedulingStrategy;
  workloadAffinity?: WorkloadAffinity;
}

/** Placement.ReplicaSchedulingType(): the type set, Divided by default, Duplicated without replicaScheduling. */
export function replicaSchedulingTypeOf(placement: Placement | undefined): ReplicaSchedulingType {
  // A placement without replicaScheduling duplicates, as Karmada's Placement.ReplicaSchedulingType() does.
  const rs = placement?.replicaScheduling;
  if (!rs) return 'Duplicated';
  return rs.replicaSchedulingType ?? 'Divided';
}

/**
 * shouldIgnoreSpreadConstraint: static weighted division (Weighted without weightPreference, the
 * webhook's default for Divided, or with only a staticWeightList) divides over every feasible
 * cluster whatever the spreadConstraints say.
 */
export function spreadConstraintsIgnored(placement: Placement | undefined): boolean {
  const s = placement?.replicaScheduling;
  if (!s) return false;
  return (
    (s.replicaSchedulingType ?? 'Divided') === 'Divided' &&
    s.replicaDivisionPreference === 'Weighted' &&
    (!s.weightPreference || ((s.weightPreference.staticWeightList ?? []).length !== 0 && !s.weightPreference.dynamicWeight))
  );
}
