// Namespace sync (pkg/controllers/namespace): every namespace of the control plane that is not
// reserved, not `default` and not labelled namespace.karmada.io/skip-auto-propagation=true goes to
// every member cluster as a Work owned by the Namespace, with ClusterOverridePolicies applied. New
// clusters get every namespace; a deleted namespace takes its Works with it.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ClusterOverridePolicy } from '../../apis/karmada/override.js';
import { WorkPermanentIDLabel, type Work, executionSpaceName } from '../../apis/karmada/work.js';
import { newControllerManagedBy, onlyDeletes } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { generateWorkName } from '../binding/names.js';
import { createOrUpdateWork } from '../binding/work.js';
import { namespaceShouldBeSynced, renderNamespaceWork } from './work.js';
import { clusterGVR, clusterOverridePolicyGVR, workGVR } from '../../apis/karmada/gvr.js';
import { namespaceGVR } from '../../apis/builtin/gvr.js';
import { isNotFound } from '../../apimachinery/errors.js';

export const ControllerName = 'namespace-sync-controller';

/** the namespace sync controller: each namespace's Works follow it, the clusters and the ClusterOverridePolicies */
export function registerNamespaceSyncController(ctx: ControllerContext): void {
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
