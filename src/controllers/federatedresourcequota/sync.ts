// federated-resource-quota-sync-controller (Karmada's pkg/controllers/federatedresourcequota): each
// FederatedResourceQuota's static assignments go to the named members as ResourceQuotas (one Work per
// cluster in karmada-es-<cluster>, labelled with the FRQ); Works of dropped assignments and of deleted
// FRQs are removed. A cluster that joins later gets its share.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { isNotFound } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { clusterGVR, federatedResourceQuotaGVR, workGVR } from '../../apis/karmada/gvr.js';
import type { FederatedResourceQuota } from '../../apis/karmada/policy.js';
import { FederatedResourceQuotaNameLabel, FederatedResourceQuotaNamespaceLabel } from '../../apis/karmada/quota.js';
import { WorkPermanentIDLabel, type Work } from '../../apis/karmada/work.js';
import { newControllerManagedBy, onlyDeletes } from '../../runtime/builder.js';
import { splitKey } from '../../runtime/controller.js';
import { createOrUpdateWork } from '../binding/work.js';
import type { ControllerContext } from '../context.js';
import { isOrphanQuotaWork, quotaWorkName, renderQuotaWorks } from './work.js';

export const SyncControllerName = 'federated-resource-quota-sync-controller';
const EventReasonSyncWorkFailed = 'SyncWorkFailed';
const EventReasonSyncWorkSucceed = 'SyncWorkSucceed';

/** the FRQ key a quota Work belongs to, from its labels */
export function frqKeyOfWork(w: KubeObject): string | undefined {
  const ns = w.metadata.labels?.[FederatedResourceQuotaNamespaceLabel];
  const name = w.metadata.labels?.[FederatedResourceQuotaNameLabel];
  return ns !== undefined && name ? `${ns}/${name}` : undefined;
}

export function registerSyncController(ctx: ControllerContext): void {
  const { client, manager } = ctx;
  const frqs = manager.informer(client, federatedResourceQuotaGVR);
  const clusters = manager.informer(client, clusterGVR);
  const works = manager.informer(client, workGVR);
  const worksOf = (key: string) => works.list((w) => frqKeyOfWork(w) === key) as Work[];

  newControllerManagedBy(manager, SyncControllerName, client)
    .for(federatedResourceQuotaGVR, { update: (o, old) => !isDeepStrictEqual((o as FederatedResourceQuota).spec?.staticAssignments, (old as FederatedResourceQuota).spec?.staticAssignments) })
    // a joining cluster gets the shares assigned to it
    .watches(clusterGVR, (c) => frqs.list((f) => ((f as FederatedResourceQuota).spec?.staticAssignments ?? []).some((a) => a.clusterName === c.metadata.name)).map((f) => `${f.metadata.namespace}/${f.metadata.name}`), { update: () => false, deleted: () => false })
    // a quota Work deleted by hand comes back
    .watches(workGVR, (w) => frqKeyOfWork(w), onlyDeletes)
    .logger(ctx.log)
    .complete(async (key) => {
      const frq = frqs.get(key) as FederatedResourceQuota | undefined;
      for (const w of worksOf(key)) {
        if (!isOrphanQuotaWork(w, frq)) continue;
        await client.delete(workGVR, w.metadata.name, { namespace: w.metadata.namespace }).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
      }
      if (!frq || frq.metadata.deletionTimestamp) return;
      const name = quotaWorkName(frq);
      const rendered = renderQuotaWorks(frq, clusters.list() as Cluster[], (ns) => (works.get(`${ns}/${name}`)?.metadata.labels?.[WorkPermanentIDLabel]) || randomUUID());
      const errors: string[] = [];
      for (const work of rendered) {
        try {
          await createOrUpdateWork(client, work, works.get(`${work.metadata.namespace}/${work.metadata.name}`) as Work | undefined);
        } catch (err) {
          errors.push(err instanceof Error ? err.message : String(err));
        }
      }
      if (errors.length > 0) {
        const message = errors.join('; ');
        ctx.events.record(frq, 'Warning', EventReasonSyncWorkFailed, message);
        throw new Error(message);
      }
      const { namespace } = splitKey(key);
      ctx.events.record(frq, 'Normal', EventReasonSyncWorkSucceed, `Sync works for FederatedResourceQuota(${namespace}/${frq.metadata.name}) succeed.`);
    });
}
