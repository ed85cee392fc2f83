// The graceful eviction controllers (Karmada's pkg/controllers/gracefuleviction, gate
// GracefulEviction), one per binding scope: a binding's gracefulEvictionTasks are removed once the
// new copies are healthy, the grace period ends or suppressDeletion is cleared; the binding
// controller then deletes the evicted cluster's Work.
import { jsonEqual } from '../execution/status.js';
import { isConflict } from '../../apimachinery/errors.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { clusterResourceBindingGVR, resourceBindingGVR } from '../../apis/karmada/gvr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { assessEvictionTasks } from './assess.js';

export const RBControllerName = 'resource-binding-graceful-eviction-controller';
export const CRBControllerName = 'cluster-resource-binding-graceful-eviction-controller';

export function registerGracefulEvictionController(ctx: ControllerContext): void {
  if (ctx.features && !ctx.features.GracefulEviction) return;
  const { client, manager } = ctx;
  const timeoutMs = ctx.failover?.gracefulEvictionTimeoutMs ?? 600_000;
  const hasTasks = (b: ResourceBinding) => (b.spec?.gracefulEvictionTasks ?? []).length > 0;
  for (const [gvr, name, kind] of [
    [resourceBindingGVR, RBControllerName, 'ResourceBinding'],
    [clusterResourceBindingGVR, CRBControllerName, 'ClusterResourceBinding'],
  ] as const) {
    const bindings = manager.informer(client, gvr);
    newControllerManagedBy(manager, name, client)
      .for(gvr, {
        filter: (b) => hasTasks(b as ResourceBinding),
        update: (b, old) => !jsonEqual(b.spec, old.spec) || !jsonEqual((b as ResourceBinding).status?.aggregatedStatus, (old as ResourceBinding).status?.aggregatedStatus) || (b as ResourceBinding).status?.schedulerObservedGeneration !== (old as ResourceBinding).status?.schedulerObservedGeneration,
        deleted: () => false,
      })
      .workers(2)
      .logger(ctx.log)
      .complete(async (key) => {
        const binding = bindings.get(key) as ResourceBinding | undefined;
        if (!binding || binding.metadata.deletionTimestamp || !hasTasks(binding)) return;
        const a = assessEvictionTasks(binding, Date.now(), timeoutMs);
        if (a.removed.length > 0) {
          const { gracefulEvictionTasks: _old, ...rest } = binding.spec;
          const spec = a.kept.length ? { ...rest, gracefulEvictionTasks: a.kept } : rest;
          try {
            await client.replace({ apiVersion: 'work.karmada.io/v1alpha2', kind, ...binding, spec });
          } catch (err) {
            // the scheduler or the binding status controller wrote first: look again at the fresh copy
            if (isConflict(err)) return { requeueAfter: 50 };
            throw err;
          }
        }
        return a.nextCheckMs !== undefined ? { requeueAfter: a.nextCheckMs } : undefined;
      });
  }
}
