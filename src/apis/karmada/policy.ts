// policy.karmada.io/v1alpha1 PropagationPolicy and ClusterPropagationPolicy, plus the other
// policy kinds (ClusterTaintPolicy, FederatedResourceQuota). Field names follow Karmada's Go JSON tags.
import type { KubeObject, ObjectMeta } from '../../apimachinery/types.js';
import type { ResourceList, TaintEffect } from './cluster.js';
import type { ResourceSelector } from './override.js';
import type { ClusterAffinity, Placement } from './placement.js';

export const policyGroup = 'policy.karmada.io';
export const policyVersion = 'v1alpha1';
export const policyApiVersion = `${policyGroup}/${policyVersion}`;

const PropagationPolicyKind = 'PropagationPolicy';
const ClusterPropagationPolicyKind = 'ClusterPropagationPolicy';

type PreemptionBehavior = 'Always' | 'Never';
export type ConflictResolution = 'Abort' | 'Overwrite';
type ActivationPreference = 'Lazy';
export type PurgeMode = 'Directly' | 'Gracefully' | 'Never';

export interface StatePreservationRule {
  aliasLabelName: string;
  jsonPath: string;
}

interface StatePreservation {
  rules: StatePreservationRule[];
}

export interface ApplicationFailoverBehavior {
  decisionConditions: { tolerationSeconds?: number };
  /** default Gracefully */
  purgeMode?: PurgeMode;
  /** only with Gracefully; defaulted to 600 */
  gracePeriodSeconds?: number;
  statePreservation?: StatePreservation;
}

interface ClusterFailoverBehavior {
  purgeMode?: Exclude<PurgeMode, 'Never'>;
  statePreservation?: StatePreservation;
}

interface FailoverBehavior {
  application?: ApplicationFailoverBehavior;
  cluster?: ClusterFailoverBehavior;
}

export interface Suspension {
  dispatching?: boolean;
  dispatchingOnClusters?: { clusterNames?: string[] };
}

type PriorityClassSource = 'KubePriorityClass' | 'FederatedPriorityClass' | 'PodPriorityClass';

interface SchedulePriority {
  priorityClassSource: PriorityClassSource;
  priorityClassName: string;
}

export interface PropagationSpec {
  resourceSelectors: ResourceSelector[];
  /** @deprecated use propagateDeps */
  association?: boolean;
  propagateDeps?: boolean;
  placement?: Placement;
  /** default 0; higher wins */
  priority?: number;
  /** default Never */
  preemption?: PreemptionBehavior;
  dependentOverrides?: string[];
  /** default default-scheduler */
  schedulerName?: string;
  failover?: FailoverBehavior;
  /** default Abort */
  conflictResolution?: ConflictResolution;
  activationPreference?: ActivationPreference;
  suspension?: Suspension;
  preserveResourcesOnDeletion?: boolean;
  schedulePriority?: SchedulePriority;
}

export interface PropagationPolicy extends KubeObject {
  apiVersion?: typeof policyApiVersion;
  kind?: typeof PropagationPolicyKind;
  metadata: ObjectMeta & { name: string; namespace?: string };
  spec: PropagationSpec;
}

export interface ClusterPropagationPolicy extends KubeObject {
  apiVersion?: typeof policyApiVersion;
  kind?: typeof ClusterPropagationPolicyKind;
  metadata: ObjectMeta & { name: string };
  spec: PropagationSpec;
}

export type AnyPropagationPolicy = PropagationPolicy | ClusterPropagationPolicy;

// Labels the admission webhook puts on policies.
export const PropagationPolicyPermanentIDLabel = 'propagationpolicy.karmada.io/permanent-id';
export const ClusterPropagationPolicyPermanentIDLabel = 'clusterpropagationpolicy.karmada.io/permanent-id';

// Labels and annotations the detector puts on claimed resource templates.
export const PropagationPolicyNamespaceAnnotation = 'propagationpolicy.karmada.io/namespace';
export const PropagationPolicyNameAnnotation = 'propagationpolicy.karmada.io/name';
export const ClusterPropagationPolicyAnnotation = 'clusterpropagationpolicy.karmada.io/name';

// ---- ClusterTaintPolicy ----

export interface MatchCondition {
  conditionType: string;
  operator: 'In' | 'NotIn';
  statusValues: string[];
}

interface ClusterTaintPolicySpec {
  targetClusters?: ClusterAffinity;
  addOnConditions?: MatchCondition[];
  removeOnConditions?: MatchCondition[];
  taints: { key: string; effect: TaintEffect; value?: string }[];
}

export interface ClusterTaintPolicy extends KubeObject {
  metadata: ObjectMeta & { name: string };
  spec: ClusterTaintPolicySpec;
}

// ---- FederatedResourceQuota ----

interface StaticClusterAssignment {
  clusterName: string;
  hard: ResourceList;
}

interface FederatedResourceQuotaSpec {
  overall: ResourceList;
  staticAssignments?: StaticClusterAssignment[];
}

export interface FederatedResourceQuotaStatus {
  overall?: ResourceList;
  overallUsed?: ResourceList;
  aggregatedStatus?: { clusterName: string; hard?: ResourceList; used?: ResourceList }[];
}

export interface FederatedResourceQuota extends KubeObject {
  metadata: ObjectMeta & { name: string; namespace?: string };
  spec: FederatedResourceQuotaSpec;
  status?: FederatedResourceQuotaStatus;
}
