// The dependencies distributor's pure part (pkg/dependenciesdistributor): "attached" bindings for
// the objects a workload depends on, carrying a requiredBy snapshot of each binding that needs them
// (its namespace, name and clusters) and a depended-by label per requiring binding.
import type { KubeObject, OwnerReference } from '../../apimachinery/types.js';
import { bindingApiVersion, type BindingSnapshot, type ResourceBinding } from '../../apis/karmada/binding.js';
import { ResourceBindingPermanentIDLabel } from '../../apis/karmada/work.js';
import type { DependentObjectReference } from '../../interpreter/types.js';
import { generateBindingName, generateBindingReferenceKey } from '../binding/names.js';
import { BindingControllerFinalizer, DependedByLabelKeyPrefix } from '../../apis/karmada/wellknown.js';

export const EventReasonSyncScheduleResultToDependenciesSucceed = 'SyncScheduleResultToDependenciesSucceed';
export const EventReasonSyncScheduleResultToDependenciesFailed = 'SyncScheduleResultToDependenciesFailed';
export const EventReasonGetDependenciesSucceed = 'GetDependenciesSucceed';
export const EventReasonGetDependenciesFailed = 'GetDependenciesFailed';
export const EventReasonDependencyPolicyConflict = 'DependencyPolicyConflict';

export function dependedByLabelKey(namespace: string | undefined, name: string): string {
  return DependedByLabelKeyPrefix + generateBindingReferenceKey(namespace, name);
}

/** buildAttachedBinding */
export function buildAttachedBinding(independent: ResourceBinding, dependent: KubeObject): ResourceBinding {
  const owner: OwnerReference = { apiVersion: dependent.apiVersion ?? 'v1', kind: dependent.kind ?? '', name: dependent.metadata.name!, uid: dependent.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
  return {
    apiVersion: bindingApiVersion,
    kind: 'ResourceBinding',
    metadata: {
      name: generateBindingName(dependent.kind ?? '', dependent.metadata.name!),
      namespace: independent.metadata.namespace,
      ownerReferences: [owner],
      labels: { [dependedByLabelKey(independent.metadata.namespace, independent.metadata.name!)]: independent.metadata.labels?.[ResourceBindingPermanentIDLabel] ?? '' },
      finalizers: [BindingControllerFinalizer],
    },
    spec: {
      resource: { apiVersion: dependent.apiVersion ?? 'v1', kind: dependent.kind ?? '', namespace: dependent.metadata.namespace, name: dependent.metadata.name!, resourceVersion: dependent.metadata.resourceVersion },
      requiredBy: [{ namespace: independent.metadata.namespace, name: independent.metadata.name!, clusters: independent.spec.clusters ?? [] }],
      ...(independent.spec.preserveResourcesOnDeletion !== undefined ? { preserveResourcesOnDeletion: independent.spec.preserveResourcesOnDeletion } : {}),
      ...(independent.spec.conflictResolution !== undefined ? { conflictResolution: independent.spec.conflictResolution } : {}),
    },
  };
}

/** mergeBindingSnapshot: the new snapshots replace those of the same binding, others are kept */
export function mergeSnapshots(existing: readonly BindingSnapshot[], incoming: readonly BindingSnapshot[]): BindingSnapshot[] {
  const out = existing.map((s) => ({ ...s }));
  for (const s of incoming) {
    const i = out.findIndex((e) => e.namespace === s.namespace && e.name === s.name);
    if (i >= 0) out[i] = { ...out[i]!, clusters: s.clusters };
    else out.push({ ...s });
  }
  return out;
}

/** deleteBindingFromSnapshot */
export function withoutSnapshot(existing: readonly BindingSnapshot[], namespace: string | undefined, name: string): BindingSnapshot[] {
  return existing.filter((s) => !(s.namespace === namespace && s.name === name));
}

/** What the bindings requiring a dependency ask for, and whether they disagree. */
export interface DependencyPolicies {
  conflictResolution: 'Overwrite' | 'Abort';
  preserveResourcesOnDeletion: boolean;
  /** Karmada's conflict reasons, empty when the requiring bindings agree */
  conflicts: string[];
}

/**
 * detectAndResolveConflictResolution / detectAndResolvePreserveOnDeletion: Overwrite if any asks for
 * it (unset counts as Abort), preserve if any asks for it (unset counts as false).
 */
export function resolveDependencyPolicies(requiring: readonly Pick<ResourceBinding['spec'], 'conflictResolution' | 'preserveResourcesOnDeletion'>[]): DependencyPolicies {
  const overwrite = requiring.some((s) => s.conflictResolution === 'Overwrite');
  const abort = requiring.some((s) => s.conflictResolution !== 'Overwrite');
  const preserve = requiring.some((s) => s.preserveResourcesOnDeletion === true);
  const keep = requiring.some((s) => s.preserveResourcesOnDeletion !== true);
  const conflicts: string[] = [];
  if (overwrite && abort) conflicts.push('ConflictResolution conflicted (Overwrite vs Abort)');
  if (preserve && keep) conflicts.push('PreserveResourcesOnDeletion conflicted (true vs false)');
  return { conflictResolution: overwrite ? 'Overwrite' : 'Abort', preserveResourcesOnDeletion: preserve, conflicts };
}

/** The Warning DependencyPolicyConflict message, or undefined without a conflict. */
export function dependencyConflictMessage(p: DependencyPolicies): string | undefined {
  return p.conflicts.length > 0 ? `Dependency policy conflict detected: ${p.conflicts.join('; ')}.` : undefined;
}

/**
 * The existing attached (or ordinary) binding with the independent binding's requirement merged
 * in. A binding made by the dependency mechanism (no placement) takes the policies resolved over
 * every binding that requires it; one made by a policy keeps its own.
 */
export function mergeAttachedBinding(existing: ResourceBinding, attached: ResourceBinding, policies?: DependencyPolicies): ResourceBinding {
  const spec = { ...existing.spec, resource: attached.spec.resource, requiredBy: mergeSnapshots(existing.spec.requiredBy ?? [], attached.spec.requiredBy ?? []) };
  if (!existing.spec.placement && policies) {
    spec.conflictResolution = policies.conflictResolution;
    spec.preserveResourcesOnDeletion = policies.preserveResourcesOnDeletion;
  }
  return { ...existing, metadata: { ...existing.metadata, labels: { ...existing.metadata.labels, ...attached.metadata.labels } }, spec };
}

/** removeScheduleResultFromAttachedBindings: what a dependency-made binding keeps once `requiredBy` is what is left */
export function policiesAfterDetach(binding: ResourceBinding, remaining: DependencyPolicies | undefined): Pick<ResourceBinding['spec'], 'conflictResolution' | 'preserveResourcesOnDeletion'> {
  if (binding.spec.placement) return { conflictResolution: binding.spec.conflictResolution, preserveResourcesOnDeletion: binding.spec.preserveResourcesOnDeletion };
  if (!remaining) return { conflictResolution: undefined, preserveResourcesOnDeletion: undefined };
  return { conflictResolution: remaining.conflictResolution, preserveResourcesOnDeletion: remaining.preserveResourcesOnDeletion };
}

/** whether a dependency reference names this object (by name, or by label selector) */
export function dependencyMatches(dep: DependentObjectReference, obj: { apiVersion: string; kind: string; namespace?: string; name: string; labels?: Record<string, string> }, selectorMatches: (labels: Record<string, string>) => boolean): boolean {
  if (dep.apiVersion !== obj.apiVersion || dep.kind !== obj.kind || (dep.namespace ?? '') !== (obj.namespace ?? '')) return false;
  if (dep.name) return dep.name === obj.name;
  return selectorMatches(obj.labels ?? {});
}
