// federated-resource-quota-enforcement-controller (Karmada's, gate FederatedQuotaEnforcement): each
// FRQ's status.overall and status.overallUsed recomputed from the namespace's ResourceBindings
// (scheduled replicas times per-replica requests). The API server's resourcebinding admission keeps
// overallUsed current on every write; this recount corrects it when a binding goes away, when
// overall changes, every --federated-resource-quota-sync-period, and shortly after a binding's
// quota-relevant change (the admission may have charged a write that then failed, or twice when the
// write was retried on a conflict).
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { federatedResourceQuotaGVR, resourceBindingGVR } from '../../apis/karmada/gvr.js';
import type { FederatedResourceQuota } from '../../apis/karmada/policy.js';
import { overallUsedFromBindings, quotaRelevantChange } from '../../apis/karmada/quota.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { writeQuotaStatus } from './write.js';

export const EnforcementControllerName = 'federated-resource-quota-enforcement-controller';
const EventReasonCollectOverallStatusFailed = 'CollectOverallStatusFailed';
const EventReasonCollectOverallStatusSucceed = 'CollectOverallStatusSucceed';
/** --federated-resource-quota-sync-period's default */
const DefaultQuotaSyncPeriodMs = 5 * 60_000;
/** how long after a binding's change the recount waits, so admissions under way have landed */
const settleMs = 1000;

export function registerEnforcementController(ctx: ControllerContext, opts: { syncPeriodMs?: number } = {}): void {
  const { client, manager } = ctx;
  const frqs = manager.informer(client, federatedResourceQuotaGVR);
  const bindings = manager.informer(client, resourceBindingGVR);
  const keysIn = (ns: string | undefined) => frqs.list((f) => f.metadata.namespace === ns).map((f) => `${f.metadata.namespace}/${f.metadata.name}`);

  const controller = newControllerManagedBy(manager, EnforcementControllerName, client)
    .for(federatedResourceQuotaGVR, { update: (o, old) => !isDeepStrictEqual((o as FederatedResourceQuota).spec?.overall, (old as FederatedResourceQuota).spec?.overall), deleted: () => false })
    .watches(resourceBindingGVR, (b) => keysIn(b.metadata.namespace), { create: () => false, update: () => false })
    .logger(ctx.log)
    .complete(async (key) => {
      const frq = frqs.get(key) as FederatedResourceQuota | undefined;
      if (!frq || frq.metadata.deletionTimestamp) return;
      const inNamespace = bindings.list((b) => b.metadata.namespace === frq.metadata.namespace) as ResourceBinding[];
      const overallUsed = overallUsedFromBindings(inNamespace, frq.spec.overall);
      // an empty list is left out, as Go's omitempty does
      const { overallUsed: _was, ...rest } = frq.status ?? {};
      const status = { ...rest, overall: frq.spec.overall, ...(Object.keys(overallUsed).length > 0 ? { overallUsed } : {}) };
      return writeQuotaStatus(ctx, frq, status, { succeeded: EventReasonCollectOverallStatusSucceed, failed: EventReasonCollectOverallStatusFailed });
    });

  const later = (b: KubeObject) => {
    for (const key of keysIn(b.metadata.namespace)) controller.enqueueAfter(key, settleMs);
  };
  // a namespace without a quota has nothing to recount: its bindings' changes are not weighed (quantities parsed) at all
  const quotaIn = (ns: string | undefined) => frqs.list((f) => f.metadata.namespace === ns).length > 0;
  bindings.addHandlers({
    onAdd: (b) => (b as ResourceBinding).spec?.clusters?.length && later(b),
    onUpdate: (b, old) => quotaIn(b.metadata.namespace) && quotaRelevantChange(old as ResourceBinding, b as ResourceBinding) && later(b),
  });
  const period = opts.syncPeriodMs ?? DefaultQuotaSyncPeriodMs;
  const timer = setInterval(() => {
    for (const f of frqs.list()) controller.enqueue(`${f.metadata.namespace}/${f.metadata.name}`);
  }, period);
  timer.unref();
  ctx.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
