// What the execution controller writes to a member for one manifest of a Work, and how it decides
// whether the member's object still matches: Karmada's objectwatcher rules (who owns an existing
// object, which member-side fields survive an update) as plain functions over plain objects.
import { compareQuantities, tryParseQuantity } from '../../apimachinery/quantity.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { copyWithoutStatus } from '../../apimachinery/strip-copy.js';
import { jsonEqual } from './status.js';
import { ResourceBindingPermanentIDLabel, ClusterResourceBindingPermanentIDLabel, ResourceConflictResolutionAnnotation,
  ResourceConflictResolutionOverwrite, WorkPermanentIDLabel, type Work } from '../../apis/karmada/work.js';
import { retainClusterFields, type ResourceInterpreter } from '../../interpreter/index.js';
import {
  ClusterResourceBindingNameAnnotation,
  ManagedAnnotationsAnnotation,
  ManagedByKarmadaLabel,
  ManagedByKarmadaLabelValue,
  ManagedLabelsAnnotation,
  ResourceBindingNameAnnotation,
  ResourceBindingNamespaceAnnotation,
  ResourceTemplateGenerationAnnotation,
  ResourceTemplateUIDAnnotation,
  WorkNameAnnotation,
  WorkNamespaceAnnotation,
} from '../../apis/karmada/wellknown.js';
import { ClusterPropagationPolicyAnnotation, ClusterPropagationPolicyPermanentIDLabel, PropagationPolicyNameAnnotation, PropagationPolicyNamespaceAnnotation, PropagationPolicyPermanentIDLabel } from '../../apis/karmada/policy.js';
import { AppliedClusterOverridesAnnotation, AppliedOverridesAnnotation } from '../../apis/karmada/override.js';

/** labels Karmada puts on propagated objects; removed when a Work is deleted with preserveResourcesOnDeletion */
const managedResourceLabels = [
  ManagedByKarmadaLabel,
  WorkPermanentIDLabel,
  ResourceBindingPermanentIDLabel,
  ClusterResourceBindingPermanentIDLabel,
  PropagationPolicyPermanentIDLabel,
  ClusterPropagationPolicyPermanentIDLabel,
];

const managedResourceAnnotations = [
  WorkNamespaceAnnotation,
  WorkNameAnnotation,
  ResourceTemplateUIDAnnotation,
  ResourceConflictResolutionAnnotation,
  ResourceTemplateGenerationAnnotation,
  ManagedAnnotationsAnnotation,
  ManagedLabelsAnnotation,
  ResourceBindingNameAnnotation,
  ResourceBindingNamespaceAnnotation,
  ClusterResourceBindingNameAnnotation,
  PropagationPolicyNameAnnotation,
  PropagationPolicyNamespaceAnnotation,
  ClusterPropagationPolicyAnnotation,
  AppliedOverridesAnnotation,
  AppliedClusterOverridesAnnotation,
];

/** metadata the API server owns: never sent on create and never compared */
const serverMetadata: ReadonlySet<string> = new Set(['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']);

/** the manifest as the member should hold it: server fields and status dropped, Karmada's markers added */
export function desiredObject(manifest: KubeObject, work: Pick<Work, 'metadata'>): KubeObject {
  const out = copyWithoutStatus(manifest, serverMetadata);
  const meta = (out.metadata ??= {});
  Object.assign(meta, desiredLabelsAndAnnotations(manifest, work));
  return out;
}

/** the labels and annotations desiredObject gives the member object: the manifest's and Karmada's markers */
function desiredLabelsAndAnnotations(manifest: KubeObject, work: Pick<Work, 'metadata'>): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = { ...(manifest.metadata?.labels ?? {}), [ManagedByKarmadaLabel]: ManagedByKarmadaLabelValue };
  const workId = work.metadata.labels?.[WorkPermanentIDLabel];
  if (workId) labels[WorkPermanentIDLabel] = workId;
  const annotations: Record<string, string> = { ...(manifest.metadata?.annotations ?? {}), [WorkNamespaceAnnotation]: work.metadata.namespace ?? '', [WorkNameAnnotation]: work.metadata.name ?? '' };
  const resolution = conflictResolutionOf(manifest, work);
  if (resolution) annotations[ResourceConflictResolutionAnnotation] = resolution;
  return { labels, annotations };
}

/** the binding's conflictResolution, carried on the manifest (or the Work) as an annotation */
export function conflictResolutionOf(manifest: KubeObject, work: Pick<Work, 'metadata'>): string | undefined {
  return manifest.metadata?.annotations?.[ResourceConflictResolutionAnnotation] ?? work.metadata.annotations?.[ResourceConflictResolutionAnnotation];
}

/** an object Karmada propagated (objectwatcher.isManagedResource, or one carrying a Work's permanent id) */
export function isManagedByKarmada(obj: KubeObject): boolean {
  const labels = obj.metadata?.labels ?? {};
  return labels[ManagedByKarmadaLabel] === ManagedByKarmadaLabelValue || !!labels[WorkPermanentIDLabel];
}

/**
 * objectwatcher.allowUpdate: an existing object may be updated when Karmada manages it, or when
 * the conflict resolution says Overwrite; otherwise Karmada's error message says why not.
 */
export function updateRefusal(desired: KubeObject, observed: KubeObject, cluster: string): string | undefined {
  if (isManagedByKarmada(observed)) return undefined;
  if (desired.metadata?.annotations?.[ResourceConflictResolutionAnnotation] === ResourceConflictResolutionOverwrite) return undefined;
  const { kind, metadata } = desired;
  return `resource(kind=${kind}, ${metadata?.namespace ?? ''}/${metadata?.name ?? ''}) already exists in the cluster ${cluster} and the ${ResourceConflictResolutionAnnotation} strategy value is empty, Karmada will not manage this resource`;
}

/** desired with the member-owned fields of observed kept (metadata, then the interpreter's Retain) */
export function retainMemberFields(desired: KubeObject, observed: KubeObject, interpreter: ResourceInterpreter): KubeObject {
  return retainClusterFields(interpreter, desired, observed);
}

/**
 * Whether observed still holds everything desired says: every field desired sets has the same
 * value in observed. Fields only observed has (server defaults, what member controllers add) and
 * status do not count, so a no-op never looks like drift.
 */
export function holdsDesired(desired: KubeObject, observed: KubeObject): boolean {
  const o = observed as unknown as Record<string, unknown>;
  for (const k in desired) {
    if (k === 'status') continue;
    const v = (desired as unknown as Record<string, unknown>)[k];
    if (k === 'metadata' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (!coversMetadata(v as Record<string, unknown>, o.metadata)) return false;
    } else if (!covers(v, o[k])) {
      return false;
    }
  }
  return true;
}

/** covers() for desired metadata with the server's fields left out of desired */
function coversMetadata(desired: Record<string, unknown>, observed: unknown): boolean {
  if (observed === undefined || observed === null || typeof observed !== 'object' || Array.isArray(observed)) {
    for (const k in desired) if (!serverMetadata.has(k)) return false;
    return observed === undefined || observed === null;
  }
  const o = observed as Record<string, unknown>;
  for (const k in desired) if (!serverMetadata.has(k) && !covers(desired[k], o[k])) return false;
  return true;
}

/**
 * desired ⊆ observed, recursively; arrays match element by element and must have the same length.
 * An unset, null, empty list or empty object in desired asks for nothing the server would keep.
 */
export function covers(desired: unknown, observed: unknown): boolean {
  if (desired === null || desired === undefined) return true;
  if (Array.isArray(desired)) {
    if (desired.length === 0) return observed === undefined || observed === null || (Array.isArray(observed) && observed.length === 0);
    if (!Array.isArray(observed) || observed.length !== desired.length) return false;
    for (let i = 0; i < desired.length; i++) if (!covers(desired[i], observed[i])) return false;
    return true;
  }
  if (typeof desired === 'object') {
    if (observed === undefined || observed === null) {
      for (const _ in desired) return false;
      return true;
    }
    if (typeof observed !== 'object' || Array.isArray(observed)) return false;
    const d = desired as Record<string, unknown>;
    const o = observed as Record<string, unknown>;
    for (const k in d) if (!covers(d[k], o[k])) return false;
    return true;
  }
  return desired === observed || sameQuantity(desired, observed);
}

/** "1000m" and "1" (or 0.5 and "500m") are one quantity; API servers store quantities in canonical form */
function sameQuantity(a: unknown, b: unknown): boolean {
  if ((typeof a !== 'string' && typeof a !== 'number') || (typeof b !== 'string' && typeof b !== 'number')) return false;
  const qa = tryParseQuantity(String(a));
  const qb = qa && tryParseQuantity(String(b));
  return !!qa && !!qb && compareQuantities(qa, qb) === 0;
}

/**
 * True when a member object's update changed nothing drift is judged on: only its status (and the
 * server's bookkeeping: resourceVersion, managedFields, generation without a spec change). Whether
 * the new version holds what the Work wants is then what it was for the old one, which was judged
 * (or was our own write): a member's status updates, most of what its watch carries, need no desired
 * object built and compared. Labels, annotations and every other top-level field count.
 */
export function onlyStatusChanged(obj: KubeObject, old: KubeObject): boolean {
  if (!sameBesideStatusAndMetadata(obj, old)) return false;
  const m = obj.metadata ?? {};
  const o = old.metadata ?? {};
  return jsonEqual(m.labels, o.labels) && jsonEqual(m.annotations, o.annotations);
}

/**
 * onlyStatusChanged, with labels and annotations the desired object does not set (a member
 * controller's own, as deployment.kubernetes.io/revision) also left out: drift is judged on what
 * desired sets, and these it takes from the member as they are. The old version's verdict stands.
 */
export function onlyMemberOwnedChanged(obj: KubeObject, old: KubeObject, manifest: KubeObject, work: Pick<Work, 'metadata'>): boolean {
  if (!sameBesideStatusAndMetadata(obj, old)) return false;
  const desired = desiredLabelsAndAnnotations(manifest, work);
  return changesOutside(obj.metadata?.labels, old.metadata?.labels, desired.labels) && changesOutside(obj.metadata?.annotations, old.metadata?.annotations, desired.annotations);
}

/** every top-level field but status and metadata equal (an undefined one counts as absent) */
function sameBesideStatusAndMetadata(obj: KubeObject, old: KubeObject): boolean {
  const a = obj as unknown as Record<string, unknown>;
  const b = old as unknown as Record<string, unknown>;
  for (const k in a) if (k !== 'status' && k !== 'metadata' && !jsonEqual(a[k], b[k])) return false;
  for (const k in b) if (k !== 'status' && k !== 'metadata' && !(k in a) && b[k] !== undefined) return false;
  return true;
}

/** whether every key whose value differs between a and b is absent from desired */
function changesOutside(a: Record<string, string> | undefined, b: Record<string, string> | undefined, desired: Record<string, string>): boolean {
  for (const k in a) if (a[k] !== b?.[k] && k in desired) return false;
  for (const k in b) if (!(a && k in a) && k in desired) return false;
  return true;
}

/** a merge patch removing Karmada's labels and annotations from a member object; undefined when there are none */
export function releasePatch(observed: KubeObject): Record<string, unknown> | undefined {
  const labels = Object.keys(observed.metadata?.labels ?? {}).filter((k) => managedResourceLabels.includes(k));
  const annotations = Object.keys(observed.metadata?.annotations ?? {}).filter((k) => managedResourceAnnotations.includes(k));
  if (labels.length === 0 && annotations.length === 0) return undefined;
  const metadata: Record<string, unknown> = { resourceVersion: observed.metadata.resourceVersion };
  if (labels.length) metadata.labels = Object.fromEntries(labels.map((k) => [k, null]));
  if (annotations.length) metadata.annotations = Object.fromEntries(annotations.map((k) => [k, null]));
  return { metadata };
}

/** where a member object came from: the Work named by its annotations */
export function workKeyOf(obj: KubeObject): string | undefined {
  const a = obj.metadata?.annotations ?? {};
  const l = obj.metadata?.labels ?? {};
  const ns = a[WorkNamespaceAnnotation] ?? l[WorkNamespaceAnnotation];
  const name = a[WorkNameAnnotation] ?? l[WorkNameAnnotation];
  return ns && name ? `${ns}/${name}` : undefined;
}

/** the manifest of a Work that describes obj (same apiVersion, kind, namespace and name) */
export function manifestIndex(manifests: readonly KubeObject[], ref: { apiVersion?: string; kind?: string; namespace?: string; name?: string }): number {
  return manifests.findIndex(
    (m) => m.apiVersion === ref.apiVersion && m.kind === ref.kind && (m.metadata?.namespace ?? '') === (ref.namespace ?? '') && m.metadata?.name === ref.name,
  );
}
