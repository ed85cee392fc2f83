// One Work per target cluster, as Karmada's binding controller renders it (controllers/binding
// common.go ensureWork + ctrlutil.CreateOrUpdateWork): the template without server-owned fields,
// replicas revised to the cluster's share, override policies applied last, and Karmada's labels and
// annotations on the Work and on the manifest. Pure: the controller does the reading and writing.
import { jsonEqual } from '../execution/status.js';
import type { KubeObject, ObjectMeta } from '../../apimachinery/types.js';
import { copyWithoutStatus } from '../../apimachinery/strip-copy.js';
import type { ResourceBinding, TargetCluster } from '../../apis/karmada/binding.js';
import { preservedLabelsFor } from '../../apis/karmada/eviction.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { AppliedClusterOverridesAnnotation, AppliedOverridesAnnotation, type ClusterOverridePolicy, type OverridePolicy } from '../../apis/karmada/override.js';
import type { ClusterAffinity } from '../../apis/karmada/placement.js';
import { ClusterResourceBindingPermanentIDLabel, ResourceBindingPermanentIDLabel, ResourceConflictResolutionAbort, ResourceConflictResolutionAnnotation, ResourceConflictResolutionOverwrite, WorkPermanentIDLabel, workApiVersion, type Manifest, type Work, executionSpaceName } from '../../apis/karmada/work.js';
import { applyOverrides, appliedOverridesAnnotations, type AppliedOverrideRecord, type ApplyOverridesResult, type OverrideFailure } from '../../overrides/index.js';
import { gvkOf, type ResourceInterpreter } from '../../interpreter/types.js';
import { generateWorkName } from './names.js';
import { ClusterResourceBindingNameAnnotation, ExecutionControllerFinalizer, ManagedAnnotationsAnnotation, ManagedByKarmadaLabel, ManagedLabelsAnnotation, ResourceBindingNameAnnotation, ResourceBindingNamespaceAnnotation, ResourceTemplateGenerationAnnotation, ResourceTemplateUIDAnnotation, WorkNameAnnotation, WorkNamespaceAnnotation } from '../../apis/karmada/wellknown.js';

export const EventReasonSyncWorkSucceed = 'SyncWorkSucceed';
export const EventReasonSyncWorkFailed = 'SyncWorkFailed';

const serverOwnedMetadata: ReadonlySet<string> = new Set(['uid', 'resourceVersion', 'generation', 'managedFields', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences', 'finalizers', 'selfLink']);

/**
 * The template as a member should receive it: no server-owned metadata, no status, and (prune's
 * removeServiceIrrelevantField) no ClusterIP of the control plane's unless headless; NodePorts stay.
 */
export function cleanTemplate(template: KubeObject): KubeObject {
  const copy = copyWithoutStatus(template, serverOwnedMetadata);
  if (copy.kind === 'Service' && (copy.apiVersion ?? 'v1') === 'v1') {
    const spec = copy.spec as Record<string, unknown> | undefined;
    if (spec && 'clusterIP' in spec && spec.clusterIP !== 'None') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
  }
  return copy;
}

/** binding.spec.clusters plus the clusters of the bindings that require this one (mergeTargetClusters) */
export function targetClusters(binding: ResourceBinding): TargetCluster[] {
  const out = [...(binding.spec.clusters ?? [])];
  const seen = new Set(out.map((c) => c.name));
  for (const snapshot of binding.spec.requiredBy ?? []) {
    for (const c of snapshot.clusters ?? []) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      out.push(c);
    }
  }
  return out;
}

function isClusterScoped(binding: ResourceBinding): boolean {
  return binding.kind === 'ClusterResourceBinding' || !binding.metadata.namespace;
}

function bindingPermanentIdLabel(binding: ResourceBinding): string {
  return isClusterScoped(binding) ? ClusterResourceBindingPermanentIDLabel : ResourceBindingPermanentIDLabel;
}

/** the label and value that select the binding's Works (its permanent id); none before the binding has one */
export function bindingPermanentId(binding: ResourceBinding): { label: string; id: string } | undefined {
  const label = bindingPermanentIdLabel(binding);
  const id = binding.metadata.labels?.[label];
  return id ? { label, id } : undefined;
}

/** mergeConflictResolution: a valid annotation on the template wins, then the binding's policy; abort by default */
export function conflictResolutionOf(template: KubeObject, binding: ResourceBinding): typeof ResourceConflictResolutionOverwrite | typeof ResourceConflictResolutionAbort {
  const onTemplate = template.metadata.annotations?.[ResourceConflictResolutionAnnotation];
  if (onTemplate === ResourceConflictResolutionOverwrite || onTemplate === ResourceConflictResolutionAbort) return onTemplate;
  return binding.spec.conflictResolution === 'Overwrite' ? ResourceConflictResolutionOverwrite : ResourceConflictResolutionAbort;
}

/** shouldSuspendDispatching */
export function suspendDispatching(binding: ResourceBinding, cluster: string): boolean {
  const s = binding.spec.suspension;
  if (!s) return false;
  return s.dispatching === true || (s.dispatchingOnClusters?.clusterNames ?? []).includes(cluster);
}

export interface RenderInput {
  binding: ResourceBinding;
  template: KubeObject;
  target: TargetCluster;
  /** the Cluster object (for override targetCluster matching); a bare {metadata.name} when unknown */
  cluster: Cluster;
  interpreter: ResourceInterpreter;
  clusterOverridePolicies: readonly ClusterOverridePolicy[];
  overridePolicies: readonly OverridePolicy[];
  matchesCluster: (cluster: Cluster, affinity: ClusterAffinity) => boolean;
  /** the Work's permanent id: the existing Work's, or a new one */
  workPermanentId: string;
}

export interface RenderResult {
  work: Work;
  failures: OverrideFailure[];
  /** the policy rules applied, in the order they ran (for ApplyOverridePolicySucceed events) */
  applied: Pick<ApplyOverridesResult, 'appliedClusterOverrides' | 'appliedOverrides'>;
}

/**
 * The messages of Karmada's Normal ApplyOverridePolicySucceed events on the template, one per
 * applied policy: cluster policies first, then the namespace's policies, as they were applied.
 */
export function overrideSucceededMessages(applied: RenderResult['applied'], namespace: string | undefined, cluster: string): string[] {
  const unique = (items: AppliedOverrideRecord) => [...new Set(items.map((i) => i.policyName))];
  return [
    ...unique(applied.appliedClusterOverrides).map((name) => `Apply cluster override policy(${name}) for cluster(${cluster}) succeed.`),
    ...unique(applied.appliedOverrides).map((name) => `Apply override policy(${namespace ?? ''}/${name}) for cluster(${cluster}) succeed.`),
  ];
}

function sortedKeys(map: Record<string, string> | undefined): string[] {
  return Object.keys(map ?? {}).sort();
}

export function renderWork(input: RenderInput): RenderResult {
  const { binding, template, target } = input;
  let manifest = cleanTemplate(template);
  // Replicas always follow the scheduling result, Divided or Duplicated (needReviseReplicas).
  if ((binding.spec.replicas ?? 0) > 0 && input.interpreter.hookEnabled(gvkOf(manifest), 'ReviseReplica')) {
    manifest = input.interpreter.reviseReplica(manifest, target.replicas ?? 0);
  }
  // Override rules have the highest priority: they run last. No policy at all: nothing to apply, and
  // no copy of the manifest (already this render's own) to apply it to.
  const overridden: ApplyOverridesResult =
    input.clusterOverridePolicies.length === 0 && input.overridePolicies.length === 0
      ? { manifest, appliedOverrides: [], appliedClusterOverrides: [], failures: [] }
      : applyOverrides({
          manifest,
          cluster: input.cluster,
          clusterOverridePolicies: input.clusterOverridePolicies,
          overridePolicies: input.overridePolicies,
          matchesCluster: input.matchesCluster,
        });
  manifest = overridden.manifest;

  const idLabel = bindingPermanentIdLabel(binding);
  const bindingId = binding.metadata.labels?.[idLabel] ?? '';
  const workLabels: Record<string, string> = { [idLabel]: bindingId };
  const meta: ObjectMeta = manifest.metadata;
  meta.labels = { ...meta.labels, ...preservedLabelsFor(binding.spec, target.name), [idLabel]: bindingId };

  const annotations: Record<string, string> = {};
  const manifestAnnotations: Record<string, string> = { ...meta.annotations };
  if ((template.metadata.generation ?? 0) > 0) manifestAnnotations[ResourceTemplateGenerationAnnotation] = String(template.metadata.generation);
  if (isClusterScoped(binding)) {
    annotations[ClusterResourceBindingNameAnnotation] = binding.metadata.name!;
  } else {
    annotations[ResourceBindingNamespaceAnnotation] = binding.metadata.namespace!;
    annotations[ResourceBindingNameAnnotation] = binding.metadata.name!;
  }
  Object.assign(manifestAnnotations, annotations);
  annotations[ResourceConflictResolutionAnnotation] = conflictResolutionOf(template, binding);
  Object.assign(annotations, appliedOverridesAnnotations(overridden));

  const workName = generateWorkName(template.kind ?? '', template.metadata.name ?? '', template.metadata.namespace);
  const workNamespace = executionSpaceName(target.name);
  meta.annotations = manifestAnnotations;
  stampManifest(manifest, { workName, workNamespace, templateUid: template.metadata.uid ?? '', conflictResolution: annotations[ResourceConflictResolutionAnnotation], workPermanentId: input.workPermanentId });

  const work = newWork({
    name: workName,
    namespace: workNamespace,
    permanentId: input.workPermanentId,
    labels: workLabels,
    annotations,
    manifest,
    spec: { suspendDispatching: suspendDispatching(binding, target.name), preserveResourcesOnDeletion: binding.spec.preserveResourcesOnDeletion ?? false },
  });
  return { work, failures: overridden.failures, applied: { appliedClusterOverrides: overridden.appliedClusterOverrides, appliedOverrides: overridden.appliedOverrides } };
}

/** a Work in its execution space carrying one manifest, with the execution controller's finalizer */
export function newWork(o: {
  name: string;
  namespace: string;
  permanentId: string;
  manifest: KubeObject;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: ObjectMeta['ownerReferences'];
  spec?: Omit<Work['spec'], 'workload'>;
}): Work {
  return {
    apiVersion: workApiVersion,
    kind: 'Work',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      finalizers: [ExecutionControllerFinalizer],
      labels: { ...o.labels, [WorkPermanentIDLabel]: o.permanentId },
      annotations: o.annotations,
      ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}),
    },
    spec: { workload: { manifests: [o.manifest as Manifest] }, ...o.spec },
  };
}

export interface StampOptions {
  workName: string;
  workNamespace: string;
  templateUid: string;
  conflictResolution?: string;
  workPermanentId: string;
}

/**
 * What CreateOrUpdateWork and the Work webhook stamp on a manifest: the managed-by label, the
 * template uid and Work name/namespace annotations, the Work's permanent id, and the lists of
 * managed annotation and label keys (used later to tell Karmada's keys from the member's).
 */
export function stampManifest(manifest: KubeObject, o: StampOptions): void {
  const meta = manifest.metadata;
  const labels: Record<string, string> = { ...meta.labels, [ManagedByKarmadaLabel]: 'true' };
  const annotations: Record<string, string> = {
    ...meta.annotations,
    [ResourceTemplateUIDAnnotation]: o.templateUid,
    [WorkNameAnnotation]: o.workName,
    [WorkNamespaceAnnotation]: o.workNamespace,
  };
  if (o.conflictResolution !== undefined) annotations[ResourceConflictResolutionAnnotation] = o.conflictResolution;
  annotations[ManagedAnnotationsAnnotation] = [...new Set([ManagedAnnotationsAnnotation, ManagedLabelsAnnotation, ...Object.keys(annotations)])].sort().join(',');
  if (o.workPermanentId) labels[WorkPermanentIDLabel] = o.workPermanentId;
  annotations[ManagedLabelsAnnotation] = sortedKeys(labels).join(',');
  meta.labels = labels;
  meta.annotations = annotations;
}

const renderOwnedAnnotations: readonly string[] = [AppliedOverridesAnnotation, AppliedClusterOverridesAnnotation];

/**
 * The existing Work with the rendered one's labels, annotations and finalizers merged in and its
 * spec replaced (CreateOrUpdateWork's update path); undefined when nothing would change. The
 * applied-overrides annotations are taken from the rendered Work alone.
 */
export function mergeWork(existing: Work, rendered: Work): Work | undefined {
  const labels = { ...existing.metadata.labels, ...rendered.metadata.labels };
  // The applied-overrides records belong to the render: a kind of policy no longer applied leaves none.
  const kept = Object.entries(existing.metadata.annotations ?? {}).filter(([k]) => !renderOwnedAnnotations.includes(k));
  const annotations = { ...Object.fromEntries(kept), ...rendered.metadata.annotations };
  const finalizers = [...new Set([...(existing.metadata.finalizers ?? []), ...(rendered.metadata.finalizers ?? [])])];
  const merged: Work = { ...existing, metadata: { ...existing.metadata, labels, annotations, finalizers }, spec: rendered.spec };
  const same = jsonEqual(
    [merged.metadata.labels, merged.metadata.annotations, merged.metadata.finalizers, merged.spec],
    [existing.metadata.labels ?? {}, existing.metadata.annotations ?? {}, existing.metadata.finalizers ?? [], existing.spec],
  );
  return same ? undefined : merged;
}
