// `karmadactl promote TYPE NAME -n NS -C CLUSTER` (pkg/karmadactl/promote): adopt a resource that already
// runs in a member. Its copy, pruned of server-set fields and marked conflict-resolution Overwrite,
// becomes the resource template, and a (Cluster)PropagationPolicy places it on that cluster only with
// conflictResolution Overwrite and preserveResourcesOnDeletion, so Karmada takes the member object
// over in place (same uid, no restart) and leaves it there if the template is ever deleted.
import { isNotFound } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/types.js';
import { policyApiVersion } from '../apis/karmada/policy.js';
import { ResourceConflictResolutionAnnotation } from '../apis/karmada/work.js';
import { cleanTemplate } from '../controllers/binding/render.js';
import type { ResourceInfo } from '../runtime/client.js';
import { generatePolicyName, gvkString } from './apply.js';

/** prune.RemoveIrrelevantFields: what the member's API server set, which the template must not carry */
export function templateFromMember(obj: KubeObject): KubeObject {
  const t = cleanTemplate(obj) as KubeObject & { spec?: Record<string, unknown> };
  const meta = t.metadata as Record<string, unknown>;
  const annotations = { ...((meta.annotations as Record<string, string> | undefined) ?? {}) };
  if (!(ResourceConflictResolutionAnnotation in annotations)) annotations[ResourceConflictResolutionAnnotation] = 'overwrite';
  meta.annotations = annotations;
  const group = (obj.apiVersion ?? '').includes('/') ? obj.apiVersion!.split('/')[0] : '';
  if (group === '' && obj.kind === 'Service' && t.spec) {
    // the member allocated these; another cluster may not have them free
    if (t.spec.clusterIP !== 'None') delete t.spec.clusterIP;
    delete t.spec.clusterIPs;
  }
  if (group === '' && obj.kind === 'ServiceAccount') delete (t as Record<string, unknown>).secrets;
  if (group === 'batch' && obj.kind === 'Job' && t.spec) {
    const template = t.spec.template as { metadata?: { labels?: Record<string, string> } } | undefined;
    const selectorLabels = (t.spec.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
    if (selectorLabels?.['controller-uid'] || selectorLabels?.['batch.kubernetes.io/controller-uid']) delete t.spec.selector;
    for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name']) delete template?.metadata?.labels?.[k];
  }
  return t;
}

/** buildPropagationPolicy / buildClusterPropagationPolicy */
export function promotionPolicy(r: Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'namespaced'>, name: string, namespace: string, cluster: string, opts: { policyName?: string; deps?: boolean } = {}): KubeObject {
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  const ns = r.namespaced ? namespace : '';
  const policyName = opts.policyName || generatePolicyName(ns, name, gvkString(apiVersion, r.kind));
  return {
    apiVersion: policyApiVersion,
    kind: r.namespaced ? 'PropagationPolicy' : 'ClusterPropagationPolicy',
    metadata: r.namespaced ? { name: policyName, namespace } : { name: policyName },
    spec: {
      ...(opts.deps ? { propagateDeps: true } : {}),
      resourceSelectors: [{ apiVersion, kind: r.kind, name }],
      placement: { clusterAffinity: { clusterNames: [cluster] } },
      conflictResolution: 'Overwrite',
      preserveResourcesOnDeletion: true,
    },
  };
}

export const notFoundToUndefined = (err: unknown) => {
  if (isNotFound(err)) return undefined;
  throw err;
};
