// The pods/binding subresource (kube-apiserver's BindingREST in pkg/registry/core/pod/storage): a
// v1 Binding sets the pod's spec.nodeName, its PodScheduled=True condition and the Binding's
// annotations in one write, and refuses a pod already bound, being deleted or scheduling-gated.
import type { ResourceDef } from '../../apis/resource.js';
import { errors, StatusError, type FieldError } from '../../apimachinery/errors.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { RequestContext } from './context.js';
import type { ObjectStore } from './object-store.js';

export interface Binding {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; annotations?: Record<string, string> };
  target?: { kind?: string; name?: string; apiVersion?: string };
}

const pods = { group: '', resource: 'pods' };
const podsBinding = { group: '', resource: 'pods/binding' };

/** what kube-apiserver checks of the Binding before touching the pod (name on the URL, ValidatePodBinding) */
export function checkBinding(urlName: string, binding: Binding): void {
  if (binding.kind !== undefined && binding.kind !== 'Binding') {
    throw errors.badRequest(`the API version in the data (${binding.apiVersion}) does not match the expected API version (v1) or the kind (${binding.kind}) does not match Binding`);
  }
  if (binding.apiVersion !== undefined && binding.apiVersion !== 'v1') {
    throw errors.badRequest(`the API version in the data (${binding.apiVersion}) does not match the expected API version (v1)`);
  }
  if ((binding.metadata?.name ?? '') !== urlName) throw errors.badRequest('name in URL does not match name in Binding object');
  const problems: FieldError[] = [];
  const target = binding.target ?? {};
  if (target.kind && target.kind !== 'Node') problems.push({ type: 'FieldValueNotSupported', field: 'target.kind', value: target.kind, supported: ['Node', '<empty>'] });
  if (!target.name) problems.push({ type: 'FieldValueRequired', field: 'target.name' });
  // kube-apiserver answers these with a bare 500 (an aggregate, not a Status); a 422 says the same, clearly
  if (problems.length) throw errors.invalid('Binding', '', urlName, problems);
}

/** Why the pod cannot be bound (kube's messages), or undefined; then `bindPodObject` may be applied. */
export function bindRefusal(pod: KubeObject): string | undefined {
  const name = pod.metadata.name;
  const spec = (pod.spec ?? {}) as { nodeName?: string; schedulingGates?: unknown[] };
  if (pod.metadata.deletionTimestamp) return `pod ${name} is being deleted, cannot be assigned to a host`;
  if (spec.nodeName) return `pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`;
  if (spec.schedulingGates?.length) return `pod ${name} has non-empty .spec.schedulingGates`;
  return undefined;
}

interface Condition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/**
 * The bound pod, changed in place: nodeName, the Binding's annotations merged in, and PodScheduled
 * set to True as podutil.UpdatePodCondition sets it (reason and message dropped; the transition
 * time kept when it was True already).
 */
export function bindPodObject(pod: KubeObject, node: string, annotations: Record<string, string> | undefined, now: string): KubeObject {
  (pod.spec as { nodeName?: string }).nodeName = node;
  if (annotations && Object.keys(annotations).length) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
  const status = ((pod.status ??= {}) as { conditions?: Condition[] });
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === 'PodScheduled');
  const old = i >= 0 ? conditions[i] : undefined;
  const next: Condition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: old?.status === 'True' && old.lastTransitionTime ? old.lastTransitionTime : now };
  if (old) conditions[i] = next;
  else conditions.push(next);
  return pod;
}

/**
 * POST pods/NAME/binding: checks the Binding, then binds the pod in one write. The Binding's uid and
 * resourceVersion are preconditions on the pod. Refusals are 409 Conflicts on pods/binding, as in
 * kube-apiserver; the write bypasses managed-fields bookkeeping, as BindingREST writes storage directly.
 */
export async function assignPod(objects: ObjectStore, def: ResourceDef, namespace: string | undefined, name: string, binding: Binding, ctx: RequestContext): Promise<KubeObject> {
  checkBinding(name, binding);
  const { uid, resourceVersion } = binding.metadata ?? {};
  const node = binding.target!.name!;
  const now = rfc3339Now();
  try {
    const { object } = await objects.guaranteedUpdate(def, namespace, name, { ...ctx, managedFieldsSet: true }, (pod) => {
      if (uid && uid !== pod.metadata.uid) throw errors.conflict(pods, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`);
      if (resourceVersion && resourceVersion !== pod.metadata.resourceVersion) {
        throw errors.conflict(pods, name, `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${pod.metadata.resourceVersion}`);
      }
      const refusal = bindRefusal(pod);
      if (refusal) throw errors.conflict(podsBinding, name, refusal);
      // no resourceVersion: a concurrent write makes the store read the pod again and retry
      delete pod.metadata.resourceVersion;
      return bindPodObject(pod, node, binding.metadata?.annotations, now);
    }, { subresource: 'binding' });
    return object;
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw errors.conflict(podsBinding, name, err instanceof Error ? err.message : String(err));
  }
}

/** the answer to a bound pod: kube-apiserver's Status Success, code 201 Created */
export const bindingSuccess = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
