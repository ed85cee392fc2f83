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

/** the existing attached (or ordinary) binding with the independent binding's requirement merged in */
export function mergeAttachedBinding(existing: ResourceBinding, attached: ResourceBinding): ResourceBinding {
  return {
    ...existing,
    metadata: { ...existing.metadata, labels: { ...existing.metadata.labels, ...attached.metadata.labels } },
    spec: {
      ...existing.spec,
      resource: attached.spec.resource,
      requiredBy: mergeSnapshots(existing.spec.requiredBy ?? [], attached.spec.requiredBy ?? []),
      ...(attached.spec.preserveResourcesOnDeletion !== undefined && existing.spec.preserveResourcesOnDeletion === undefined ? { preserveResourcesOnDeletion: attached.spec.preserveResourcesOnDeletion } : {}),
      ...(attached.spec.conflictResolution !== undefined && existing.spec.conflictResolution === undefined ? { conflictResolution: attached.spec.conflictResolution } : {}),
    },
  };
}

/** whether a dependency reference names this object (by name, or by label selector) */
export function dependencyMatches(dep: DependentObjectReference, obj: { apiVersion: string; kind: string; namespace?: string; name: string; labels?: Record<string, string> }, selectorMatches: (labels: Record<string, string>) => boolean): boolean {
  if (dep.apiVersion !== obj.apiVersion || dep.kind !== obj.kind || (dep.namespace ?? '') !== (obj.namespace ?? '')) return false;
  if (dep.name) return dep.name === obj.name;
  return selectorMatches(obj.labels ?? {});
}
