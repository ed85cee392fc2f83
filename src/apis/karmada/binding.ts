// work.karmada.io/v1alpha2 ResourceBinding and ClusterResourceBinding: one resource template
// bound to a placement; the scheduler fills spec.clusters and the Scheduled condition.
import type { Condition, KubeObject, ObjectMeta } from '../../apimachinery/types.js';
import type { ResourceList } from './cluster.js';
import type { Placement, Toleration } from './placement.js';

export const workGroup = 'work.karmada.io';
const bindingVersion = 'v1alpha2';
export const bindingApiVersion = `${workGroup}/${bindingVersion}`;

export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

/** corev1.NodeSelectorRequirement */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** corev1.NodeSelectorTerm */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** corev1.NodeSelector */
export interface NodeSelector {
  nodeSelectorTerms: NodeSelectorTerm[];
}

export interface NodeClaim {
  hardNodeAffinity?: NodeSelector;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
}

export interface ReplicaRequirements {
  nodeClaim?: NodeClaim;
  resourceRequest?: ResourceList;
  namespace?: string;
  priorityClassName?: string;
}

export interface ComponentRequirements {
  name: string;
  replicas: number;
  replicaRequirements?: ReplicaRequirements;
}

export interface TargetCluster {
  name: string;
  replicas?: number;
  components?: { name: string; replicas: number }[];
}

export type PurgeMode = 'Immediately' | 'Directly' | 'Graciously' | 'Gracefully' | 'Never';

export interface GracefulEvictionTask {
  fromCluster: string;
  purgeMode?: PurgeMode;
  replicas?: number;
  reason: string;
  message?: string;
  producer: string;
  gracePeriodSeconds?: number;
  suppressDeletion?: boolean;
  preservedLabelState?: Record<string, string>;
  clustersBeforeFailover?: string[];
  creationTimestamp?: string;
}

export interface BindingSnapshot {
  namespace?: string;
  name: string;
  clusters?: TargetCluster[];
}

export interface Suspension {
  dispatching?: boolean;
  dispatchingOnClusters?: { clusterNames?: string[] };
  scheduling?: boolean;
}

export interface ResourceBindingSpec {
  resource: ObjectReference;
  propagateDeps?: boolean;
  replicaRequirements?: ReplicaRequirements;
  replicas?: number;
  components?: ComponentRequirements[];
  clusters?: TargetCluster[];
  placement?: Placement;
  gracefulEvictionTasks?: GracefulEvictionTask[];
  requiredBy?: BindingSnapshot[];
  schedulerName?: string;
  failover?: Record<string, unknown>;
  conflictResolution?: 'Abort' | 'Overwrite';
  rescheduleTriggeredAt?: string;
  suspension?: Suspension;
  preserveResourcesOnDeletion?: boolean;
  schedulePriority?: { priority?: number };
  workloadAffinityGroups?: { affinityGroup?: string; antiAffinityGroup?: string };
}

export interface AggregatedStatusItem {
  clusterName: string;
  status?: Record<string, unknown>;
  applied?: boolean;
  appliedMessage?: string;
  health?: 'Healthy' | 'Unhealthy' | 'Unknown';
}

export interface ResourceBindingStatus {
  schedulerObservedGeneration?: number;
  schedulerObservingAffinityName?: string;
  lastScheduledTime?: string;
  conditions?: Condition[];
  aggregatedStatus?: AggregatedStatusItem[];
}

export interface ResourceBinding extends KubeObject {
  apiVersion?: string;
  kind?: 'ResourceBinding' | 'ClusterResourceBinding';
  metadata: ObjectMeta;
  spec: ResourceBindingSpec;
  status?: ResourceBindingStatus;
}

/** Same shape as ResourceBinding, cluster-scoped. */
export type ClusterResourceBinding = ResourceBinding & { kind?: 'ClusterResourceBinding' };

// Condition types and reasons on binding status.
export const ConditionScheduled = 'Scheduled';
export const ConditionFullyApplied = 'FullyApplied';
export const BindingReasonSuccess = 'Success';
export const BindingReasonSchedulerError = 'SchedulerError';
export const BindingReasonNoClusterFit = 'NoClusterFit';
export const BindingReasonUnschedulable = 'Unschedulable';
export const BindingReasonQuotaExceeded = 'QuotaExceeded';
/**
 * karmada-ts's own (Karmada has only events): False while an interpretation of the template (a
 * customization's script, a webhook) fails, reason the event's (GetReplicasFailed, ...); the
 * binding then keeps what the last interpretation that worked gave.
 */
export const ConditionInterpreted = 'Interpreted';
export const BindingReasonInterpretationSucceeded = 'InterpretationSucceeded';

/** Annotation holding the placement the last schedule applied. */
export const PolicyPlacementAnnotation = 'policy.karmada.io/applied-placement';
export const DefaultSchedulerName = 'default-scheduler';

