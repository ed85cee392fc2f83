// Namespace sync (pkg/controllers/namespace): every namespace of the control plane that is not
// reserved, not `default` and not labelled namespace.karmada.io/skip-auto-propagation=true goes to
// every member cluster as a Work owned by the Namespace, with ClusterOverridePolicies applied. New
// clusters get every namespace; a deleted namespace takes its Works with it.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ClusterOverridePolicy } from '../../apis/karmada/override.js';
import { WorkPermanentIDLabel, workApiVersion, type Manifest, type Work, executionSpaceName } from '../../apis/karmada/work.js';
import { applyOverrides, appliedOverridesAnnotations, describeFailure } from '../../overrides/index.js';
import { newControllerManagedBy, onlyDeletes } from '../../runtime/builder.js';
import { clusterMatches } from '../../apis/karmada/clusteraffinity.js';
import type { ControllerContext } from '../context.js';
import { defaultSkippedNamespaces, generateWorkName, isReservedNamespace } from '../binding/names.js';
import { cleanTemplate, stampManifest } from '../binding/render.js';
import { createOrUpdateWork } from '../binding/work.js';
import { clusterGVR, clusterOverridePolicyGVR, workGVR } from '../../apis/karmada/gvr.js';
import { namespaceGVR } from '../../apis/builtin/gvr.js';
import { ExecutionControllerFinalizer, NamespaceSkipAutoPropagationLabel } from '../../apis/karmada/wellknown.js';
import { isNotFound } from '../../apimachinery/errors.js';

export const ControllerName = 'namespace-sync-controller';

/** namespaceShouldBeSynced plus the skip-auto-propagation label */
export function namespaceShouldBeSynced(ns: KubeObject, skipped: readonly RegExp[] = defaultSkippedNamespaces): boolean {
  const name = ns.metadata.name ?? '';
  if (isReservedNamespace(name) || name === 'default') return false;
  if (skipped.some((r) => r.test(name))) return false;
  return (ns.metadata.labels?.[NamespaceSkipAutoPropagationLabel] ?? '').toLowerCase() !== 'true';
}

export interface NamespaceWorkInput {
  namespace: KubeObject;
  cluster: Cluster;
  clusterOverridePolicies: readonly ClusterOverridePolicy[];
  workPermanentId: string;
}

/** the Work carrying one namespace to one cluster; override failures are returned, not thrown */
export function renderNamespaceWork(input: NamespaceWorkInput): { work: Work; failures: string[] } {
  const ns = { apiVersion: 'v1', kind: 'Namespace', ...input.namespace };
  const clusterName = input.cluster.metadata.name!;
  const result = applyOverrides({ manifest: cleanTemplate(ns), cluster: input.cluster, clusterOverridePolicies: input.clusterOverridePolicies, overridePolicies: [], matchesCluster: clusterMatches });
  const workName = generateWorkName('Namespace', ns.metadata.name!, undefined);
  const workNamespace = executionSpaceName(clusterName);
  const manifest = result.manifest;
  stampManifest(manifest, { workName, workNamespace, templateUid: ns.metadata.uid ?? '', workPermanentId: input.workPermanentId });
  const work: Work = {
    apiVersion: workApiVersion,
    kind: 'Work',
    metadata: {
      name: workName,
      namespace: workNamespace,
      finalizers: [ExecutionControllerFinalizer],
      labels: { [WorkPermanentIDLabel]: input.workPermanentId },
      annotations: appliedOverridesAnnotations({ appliedClusterOverrides: result.appliedClusterOverrides, appliedOverrides: [] }),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Namespace', name: ns.metadata.name!, uid: ns.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { workload: { manifests: [manifest as Manifest] } },
  };
  return { work, failures: result.failures.map((f) => describeFailure(f, clusterName)) };
}

export function register(ctx: ControllerContext): void {
  const namespaces = ctx.manager.informer(ctx.client, namespaceGVR);
  const clusters = ctx.manager.informer(ctx.client, clusterGVR);
  const cops = ctx.manager.informer(ctx.client, clusterOverridePolicyGVR);
  const works = ctx.manager.informer(ctx.client, workGVR);
  const allNamespaces = () => namespaces.list().map((n) => n.metadata.name!);

  const metadataState = (ns: KubeObject) => JSON.stringify([ns.metadata.labels, ns.metadata.annotations, ns.metadata.deletionTimestamp]);
  newControllerManagedBy(ctx.manager, ControllerName, ctx.client)
    .for(namespaceGVR, { update: (obj, old) => metadataState(obj) !== metadataState(old) })
    // a new cluster gets every namespace
    .watches(clusterGVR, allNamespaces, { update: () => false, deleted: () => false })
    .watches(clusterOverridePolicyGVR, allNamespaces)
    // a namespace Work deleted by hand comes back
    .owns(workGVR, { kind: 'Namespace', group: '', namespaced: false }, onlyDeletes)
    .workers(2)
    .logger(ctx.log)
    .complete(async (name) => {
      const ns = namespaces.get(name);
      if (!ns || ns.metadata.deletionTimestamp) return removeWorks(name);
      if (!namespaceShouldBeSynced(ns)) return;
      const errors: string[] = [];
      for (const cluster of clusters.list() as Cluster[]) {
        if (cluster.metadata.deletionTimestamp) continue;
        try {
          await syncOne(ns, cluster);
        } catch (err) {
          errors.push(`sync namespace(${name}) to cluster(${cluster.metadata.name}) failed due to: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (errors.length > 0) throw new Error(errors.join('; '));
    });

  async function syncOne(ns: KubeObject, cluster: Cluster): Promise<void> {
    const key = `${executionSpaceName(cluster.metadata.name!)}/${generateWorkName('Namespace', ns.metadata.name!, undefined)}`;
    const cached = works.get(key) as Work | undefined;
    const { work, failures } = renderNamespaceWork({
      namespace: ns,
      cluster,
      clusterOverridePolicies: cops.list() as ClusterOverridePolicy[],
      workPermanentId: cached?.metadata.labels?.[WorkPermanentIDLabel] || randomUUID(),
    });
    if (failures.length > 0) throw new Error(failures.join('; '));
    await createOrUpdateWork(ctx.client, work, cached);
  }

  async function removeWorks(name: string): Promise<void> {
    const workName = generateWorkName('Namespace', name, undefined);
    for (const cluster of clusters.list()) {
      const workNamespace = executionSpaceName(cluster.metadata.name!);
      if (!works.get(`${workNamespace}/${workName}`)) continue;
      await ctx.client.delete(workGVR, workName, { namespace: workNamespace }).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    }
  }

}
