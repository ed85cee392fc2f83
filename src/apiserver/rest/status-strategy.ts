// What a write to a status subresource keeps of the stored object: kube-apiserver's status strategies
// (pkg/registry/**/strategy.go, each *StatusStrategy's PrepareForUpdate and GetResetFields).
import { isCustomResource, type ResourceDef } from '../../apis/resource.js';
import { deepCopyJson } from '../../apimachinery/clone.js';
import type { KubeObject } from '../../apimachinery/types.js';

/** what a built-in kind's status strategy sets back to the stored object's (spec always) */
export interface StatusResets {
  /** every metadata field (the status strategy calls metav1.ResetObjectMetaForStatus) */
  metadata?: boolean;
  labels?: boolean;
  ownerReferences?: boolean;
}

/**
 * The built-in status strategies that reset more than the spec. The rest (ReplicaSet, StatefulSet,
 * DaemonSet, Job, CronJob, HPA, Service, Node, Namespace, PVC, PV, ResourceQuota, Ingress, PDB, CSR)
 * only set `newObj.Spec = oldObj.Spec`: annotations, labels, finalizers and owner references change
 * through /status as through a normal update.
 */
const builtinResets: ReadonlyMap<string, StatusResets> = new Map([
  // apps/deployment deploymentStatusStrategy: Spec and Labels (reset fields "spec", "metadata.labels")
  ['apps/deployments', { labels: true }],
  // core/pod podStatusStrategy: Spec, OwnerReferences ("old kubelets corrupt them"); the deletion
  // timestamp is kept from the stored object by every update
  ['/pods', { ownerReferences: true }],
  // apiextensions customresourcedefinition statusStrategy: reset fields "metadata" and "spec". (Its
  // PrepareForUpdate calls ResetObjectMetaForStatus(new, new), a no-op, so a real kube-apiserver
  // lets metadata through untracked; we keep the reset its field set declares.)
  ['apiextensions.k8s.io/customresourcedefinitions', { metadata: true }],
]);

/** the resets of def's status strategy; custom resources' statusStrategy keeps everything but status */
export function statusResets(def: ResourceDef): StatusResets {
  if (isCustomResource(def)) return { metadata: true };
  return builtinResets.get(`${def.storage.group}/${def.storage.resource}`) ?? {};
}

/**
 * The object a status write stores before the common update rules (identity, generation,
 * deletion, finalizers) apply: input's status and, unless reset, its metadata; everything else is
 * current's own, shared rather than copied (so managed-fields bookkeeping and the no-op check pass
 * over the spec by identity): the caller keeps current unchanged.
 * `input` is never changed; its metadata and status are copied unless `copy` is false (the caller
 * owns input and gives it up).
 */
export function prepareStatusUpdate(def: ResourceDef, current: KubeObject, input: KubeObject, copy = true): KubeObject {
  const resets = statusResets(def);
  const next: KubeObject = { ...current };
  const own = copy ? deepCopyJson : <T>(v: T): T => v;
  if (input.status === undefined) delete next.status;
  else next.status = own(input.status);
  const cur = current.metadata;
  if (resets.metadata) {
    next.metadata = { ...cur, managedFields: input.metadata.managedFields ?? cur.managedFields };
    return next;
  }
  const meta = own({ ...input.metadata, managedFields: undefined }) as KubeObject['metadata'];
  // managedFields left out of the body mean "keep them", as kube's field manager reads it
  meta.managedFields = input.metadata.managedFields ?? cur.managedFields;
  if (meta.managedFields === undefined) delete meta.managedFields;
  if (resets.labels) setOrDelete(meta, 'labels', cur.labels);
  if (resets.ownerReferences) setOrDelete(meta, 'ownerReferences', cur.ownerReferences);
  next.metadata = meta;
  return next;
}

function setOrDelete<K extends keyof KubeObject['metadata']>(meta: KubeObject['metadata'], key: K, value: KubeObject['metadata'][K]): void {
  if (value === undefined) delete meta[key];
  else meta[key] = value;
}
