// Karmada's remedy controller (pkg/controllers/remediation): keeps cluster.status.remedyActions to
// the actions of the Remedies that match the cluster's conditions; the endpointslice-dispatch
// controller reads TrafficControl from there.
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { Remedy } from '../../apis/karmada/networking.js';
import { clusterGVR, remedyGVR } from '../../apis/karmada/gvr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { jsonEqual, updateStatus } from '../execution/status.js';
import { remedyActions } from './actions.js';

export const RemedyControllerName = 'remedy-controller';

export function registerRemedyController(ctx: ControllerContext): void {
  const clusters = ctx.manager.informer(ctx.client, clusterGVR);
  const remedies = ctx.manager.informer(ctx.client, remedyGVR);
  const names = (r: KubeObject) => (r as Remedy).spec?.clusterAffinity ? ((r as Remedy).spec!.clusterAffinity!.clusterNames ?? []) : clusters.list().map((c) => c.metadata.name!);
  newControllerManagedBy(ctx.manager, RemedyControllerName, ctx.client)
    .for(clusters, {
      update: (c, old) => !jsonEqual((c as Cluster).status?.conditions, (old as Cluster).status?.conditions) || !jsonEqual([...((c as Cluster).status?.remedyActions ?? [])].sort(), [...((old as Cluster).status?.remedyActions ?? [])].sort()),
    })
    // a Remedy changing (or going) looks again at the clusters it names, or all of them
    .watches(remedies, names)
    .workers(1)
    .logger(ctx.log)
    .complete(async (key, signal) => {
      const cluster = clusters.get(key) as (Cluster & KubeObject) | undefined;
      if (!cluster || cluster.metadata.deletionTimestamp) return;
      const actions = remedyActions(remedies.list() as Remedy[], cluster);
      await updateStatus<Cluster & KubeObject>(
        ctx.client,
        clusterGVR,
        cluster.metadata.name,
        undefined,
        (c) => {
          if (jsonEqual(c.status?.remedyActions ?? [], actions)) return false;
          c.status = { ...c.status, remedyActions: actions.length ? actions : undefined };
          return true;
        },
        signal,
        cluster,
      );
    });
}
