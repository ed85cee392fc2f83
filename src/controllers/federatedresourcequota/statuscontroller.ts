// federated-resource-quota-status-controller (Karmada's): each FRQ's status.aggregatedStatus from the
// ResourceQuota status its Works reflect from the members, and, without FederatedQuotaEnforcement,
// status.overall and status.overallUsed (the members' used, summed).
import { isDeepStrictEqual } from 'node:util';
import { federatedResourceQuotaGVR, workGVR } from '../../apis/karmada/gvr.js';
import type { FederatedResourceQuota } from '../../apis/karmada/policy.js';
import type { Work } from '../../apis/karmada/work.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { quotaStatusFromWorks } from './status.js';
import { frqKeyOfWork } from './sync.js';
import { writeQuotaStatus } from './write.js';

export const StatusControllerName = 'federated-resource-quota-status-controller';
const EventReasonAggregateStatusFailed = 'AggregateStatusFailed';
const EventReasonAggregateStatusSucceed = 'AggregateStatusSucceed';

export function registerStatusController(ctx: ControllerContext): void {
  const { client, manager } = ctx;
  const enforcement = ctx.features?.FederatedQuotaEnforcement ?? false;
  const frqs = manager.informer(client, federatedResourceQuotaGVR);
  const works = manager.informer(client, workGVR);

  newControllerManagedBy(manager, StatusControllerName, client)
    .for(federatedResourceQuotaGVR)
    .watches(workGVR, (w) => frqKeyOfWork(w), { create: () => false, update: (w, old) => !!frqKeyOfWork(w) && !isDeepStrictEqual(w.status, old.status), deleted: (w) => !!frqKeyOfWork(w) })
    .logger(ctx.log)
    .complete(async (key) => {
      const frq = frqs.get(key) as FederatedResourceQuota | undefined;
      if (!frq || frq.metadata.deletionTimestamp) return;
      const status = quotaStatusFromWorks(frq, works.list((w) => frqKeyOfWork(w) === key) as Work[], enforcement);
      return writeQuotaStatus(ctx, frq, status, { succeeded: EventReasonAggregateStatusSucceed, failed: EventReasonAggregateStatusFailed });
    });
}
