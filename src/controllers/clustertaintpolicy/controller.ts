// The cluster-taint-policy-controller (Karmada's pkg/controllers/taint, gate Failover): keeps each
// Cluster's spec.taints in line with the ClusterTaintPolicies and the cluster's conditions. Deleting
// a policy leaves its taints, as in Karmada.
import { isDeepStrictEqual } from 'node:util';
import { isConflict } from '../../apimachinery/errors.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import { clusterMatches } from '../../apis/karmada/clusteraffinity.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { clusterGVR, clusterTaintPolicyGVR } from '../../apis/karmada/gvr.js';
import type { ClusterTaintPolicy } from '../../apis/karmada/policy.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { taintsFromPolicies, taintsMessage } from './evaluate.js';

export const ControllerName = 'cluster-taint-policy-controller';

export function registerClusterTaintPolicyController(ctx: ControllerContext): void {
  if (ctx.features && !ctx.features.Failover) return;
  const { client, manager, events } = ctx;
  const clusters = manager.informer(client, clusterGVR);
  const policies = manager.informer(client, clusterTaintPolicyGVR);
  newControllerManagedBy(manager, ControllerName, client)
    .for(clusterGVR, { update: (c, old) => !isDeepStrictEqual((c as Cluster).status?.conditions, (old as Cluster).status?.conditions), deleted: () => false })
    .watches(
      clusterTaintPolicyGVR,
      (p) => {
        const target = (p as ClusterTaintPolicy).spec?.targetClusters;
        return clusters.list((c) => !target || clusterMatches(c as Cluster, target)).map((c) => c.metadata.name!);
      },
      { update: (p, old) => !isDeepStrictEqual(p.spec, old.spec), deleted: () => false },
    )
    .logger(ctx.log)
    .complete(async (name) => {
      const cluster = clusters.get(name) as Cluster | undefined;
      if (!cluster) return;
      const taints = taintsFromPolicies(cluster, policies.list() as ClusterTaintPolicy[], rfc3339Now());
      if (!taints) return;
      try {
        await client.replace({ ...cluster, spec: { ...cluster.spec, taints } });
      } catch (err) {
        if (isConflict(err)) return { requeueAfter: 100 };
        events.record(cluster, 'Warning', 'TaintClusterFailed', (err as Error).message);
        throw err;
      }
      events.record(cluster, 'Normal', 'TaintClusterSucceed', `Update Cluster(${name}) with taints(${taintsMessage(taints)}) succeed`);
    });
}
