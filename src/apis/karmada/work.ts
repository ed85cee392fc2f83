// work.karmada.io/v1alpha1 Work: the objects one member cluster should run, and what happened to them.
// Field names follow Karmada's Go JSON tags.
import type { Condition, KubeObject, ObjectMeta } from '../../apimachinery/types.js';

export const workGroup = 'work.karmada.io';
const workVersion = 'v1alpha1';
export const workApiVersion = `${workGroup}/${workVersion}`;

/** Works for cluster X live in namespace karmada-es-X. */
export const ExecutionSpacePrefix = 'karmada-es-';

/** names.GenerateExecutionSpaceName */
export function executionSpaceName(cluster: string): string {
  if (!cluster) throw new Error('the member cluster name is empty');
  return `${ExecutionSpacePrefix}${cluster}`;
}

/** names.GetClusterName: the cluster a Work namespace belongs to, or undefined for any other namespace. */
export function clusterOfExecutionSpace(namespace: string | undefined): string | undefined {
  return namespace?.startsWith(ExecutionSpacePrefix) ? namespace.slice(ExecutionSpacePrefix.length) : undefined;
}

/** A complete Kubernetes object to apply in the member. */
export type Manifest = KubeObject & Record<string, unknown>;

interface WorkloadTemplate {
  manifests?: Manifest[];
}

interface WorkSpec {
  workload?: WorkloadTemplate;
  suspendDispatching?: boolean;
  preserveResourcesOnDeletion?: boolean;
}

export interface ResourceIdentifier {
  /** index of the manifest in spec.workload.manifests */
  ordinal: number;
  group?: string;
  version: string;
  kind: string;
  resource: string;
  namespace?: string;
  name: string;
}

export type ResourceHealth = 'Healthy' | 'Unhealthy' | 'Unknown';

export interface ManifestStatus {
  identifier: ResourceIdentifier;
  status?: Record<string, unknown>;
  health?: ResourceHealth;
}

interface WorkStatus {
  conditions?: Condition[];
  manifestStatuses?: ManifestStatus[];
}

export interface Work extends KubeObject {
  apiVersion?: typeof workApiVersion;
  kind?: 'Work';
  metadata: ObjectMeta & { name: string; namespace?: string };
  spec: WorkSpec;
  status?: WorkStatus;
}

// Condition types on Work.status.conditions.
export const WorkApplied = 'Applied';
export const WorkDispatching = 'Dispatching';

// Labels and annotations.
export const WorkPermanentIDLabel = 'work.karmada.io/permanent-id';
export const ResourceBindingPermanentIDLabel = 'resourcebinding.karmada.io/permanent-id';
export const ClusterResourceBindingPermanentIDLabel = 'clusterresourcebinding.karmada.io/permanent-id';
export const ResourceConflictResolutionAnnotation = 'work.karmada.io/conflict-resolution';
/** the annotation's values, lower-case as Karmada writes them */
export const ResourceConflictResolutionOverwrite = 'overwrite';
export const ResourceConflictResolutionAbort = 'abort';
export const DeletionProtectionLabel = 'resourcetemplate.karmada.io/deletion-protected';
export const DeletionProtectionAlways = 'Always';
