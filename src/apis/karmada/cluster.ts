// cluster.karmada.io/v1alpha1 Cluster: a member cluster as the control plane sees it.
// Field names follow Karmada's Go JSON tags exactly.
import type { Condition, KubeObject, ObjectMeta } from '../../apimachinery/types.js';

export const clusterGroup = 'cluster.karmada.io';
const clusterVersion = 'v1alpha1';
const clusterApiVersion = `${clusterGroup}/${clusterVersion}`;

export type ClusterSyncMode = 'Push' | 'Pull';
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
/** every TaintEffect, for validation */
export const taintEffects: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] satisfies TaintEffect[];

export function isTaintEffect(v: unknown): v is TaintEffect {
  return typeof v === 'string' && taintEffects.includes(v);
}

/** corev1.Taint */
export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}

interface LocalSecretReference {
  namespace: string;
  name: string;
}

type ResourceModelName = 'cpu' | 'memory' | 'storage' | 'ephemeral-storage' | (string & {});

interface ResourceModelRange {
  name: ResourceModelName;
  /** Quantity, inclusive lower bound */
  min: string;
  /** Quantity, exclusive upper bound */
  max: string;
}

export interface ResourceModel {
  grade: number;
  ranges: ResourceModelRange[];
}

export interface ClusterSpec {
  id?: string;
  syncMode: ClusterSyncMode;
  apiEndpoint?: string;
  secretRef?: LocalSecretReference;
  impersonatorSecretRef?: LocalSecretReference;
  insecureSkipTLSVerification?: boolean;
  proxyURL?: string;
  proxyHeader?: Record<string, string>;
  provider?: string;
  region?: string;
  /** deprecated in favour of zones */
  zone?: string;
  zones?: string[];
  taints?: Taint[];
  resourceModels?: ResourceModel[];
}

/** A name → Quantity map (corev1.ResourceList). */
export type ResourceList = Record<string, string | number>;

export interface APIResource {
  name: string;
  kind: string;
}

export interface APIEnablement {
  groupVersion: string;
  resources?: APIResource[];
}

export interface NodeSummary {
  totalNum?: number;
  readyNum?: number;
}

export interface AllocatableModeling {
  grade: number;
  count: number;
}

export interface ResourceSummary {
  allocatable?: ResourceList;
  allocating?: ResourceList;
  allocated?: ResourceList;
  allocatableModelings?: AllocatableModeling[];
}

export interface ClusterStatus {
  kubernetesVersion?: string;
  apiEnablements?: APIEnablement[];
  conditions?: Condition[];
  nodeSummary?: NodeSummary;
  resourceSummary?: ResourceSummary;
  remedyActions?: string[];
}

export interface Cluster extends KubeObject {
  apiVersion?: typeof clusterApiVersion;
  kind?: 'Cluster';
  metadata: ObjectMeta & { name: string };
  spec: ClusterSpec;
  status?: ClusterStatus;
}

// Condition types and reasons on Cluster.status.conditions.
export const ClusterConditionReady = 'Ready';
export const ClusterConditionCompleteAPIEnablements = 'CompleteAPIEnablements';
export const ClusterReasonReady = 'ClusterReady';
export const ClusterReasonNotReady = 'ClusterNotReady';
export const ClusterReasonNotReachable = 'ClusterNotReachable';

// Taint keys the cluster controller manages.
export const TaintClusterNotReady = 'cluster.karmada.io/not-ready';
export const TaintClusterUnreachable = 'cluster.karmada.io/unreachable';
export const TaintClusterUnschedulable = 'cluster.karmada.io/unschedulable';
/** on a Cluster being deleted: its workloads leave it */
export const TaintClusterTerminating = 'cluster.karmada.io/terminating';

/** Zones of a cluster: spec.zones, or the deprecated single spec.zone. */
export function clusterZones(cluster: Cluster): string[] {
  if (cluster.spec.zones && cluster.spec.zones.length > 0) return cluster.spec.zones;
  return cluster.spec.zone ? [cluster.spec.zone] : [];
}
