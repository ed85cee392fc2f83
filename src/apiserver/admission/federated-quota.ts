// Karmada's /validate-resourcebinding quota check (pkg/webhook/resourcebinding, gate
// FederatedQuotaEnforcement) as an in-process admission plugin: a ResourceBinding write that adds
// usage (scheduled replicas times per-replica requests) past a FederatedResourceQuota's overall is
// refused with 403 QuotaExceeded; an admitted one is charged to the FRQs' status.overallUsed at once,
// compare-and-swap, so two bindings racing for the last share cannot both get it. The enforcement
// controller recounts from the bindings to undo charges of writes that failed afterwards.
import { errors, isNotFound } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { FederatedResourceQuota } from '../../apis/karmada/policy.js';
import { bindingUsage, checkFederatedQuota, QuotaExceededReason, quotaRelevantChange, usageDelta } from '../../apis/karmada/quota.js';
import type { Usage } from '../../apis/builtin/quota.js';
import type { AdmissionPlugin, AdmissionRequest } from '../rest/admission.js';
import { internalContext } from '../rest/context.js';
import type { ObjectStore } from '../rest/object-store.js';
import type { ResourceRegistry } from '../registry/resources.js';

/** the webhook's name in Karmada's ValidatingWebhookConfiguration */
const ResourceBindingWebhook = 'resourcebinding.karmada.io';

const refuse = (message: string) => errors.webhookDenied(ResourceBindingWebhook, 403, QuotaExceededReason, message);

export class FederatedQuotaAdmission implements AdmissionPlugin {
  readonly name = 'karmada:resourcebinding-quota';
  private readonly lanes = new Map<string, Promise<unknown>>();

  constructor(
    private readonly objects: ObjectStore,
    private readonly registry: ResourceRegistry,
  ) {}

  validate(req: AdmissionRequest): Promise<void> | void {
    if (req.def.group !== 'work.karmada.io' || req.def.resource !== 'resourcebindings' || req.subresource) return;
    if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return;
    const rb = req.obj as ResourceBinding;
    const old = req.old as ResourceBinding | undefined;
    // created before the scheduler placed it: nothing used yet
    if (req.operation === 'CREATE' && (rb.spec?.clusters ?? []).length === 0) return;
    if (old && !quotaRelevantChange(old, rb)) return;
    const delta = usageDelta(bindingUsage(rb), old ? bindingUsage(old) : new Map());
    if (delta.size === 0) return;
    return this.admit(rb.metadata.namespace ?? '', delta, !!req.ctx.dryRun);
  }

  private async admit(ns: string, delta: Usage, dryRun: boolean): Promise<void> {
    // most namespaces have no FRQ: their bindings do not queue behind each other
    if (!(await this.hasQuotas(ns))) return;
    const run = (this.lanes.get(ns) ?? Promise.resolve()).catch(() => {}).then(() => this.charge(ns, delta, dryRun));
    this.lanes.set(ns, run);
    void run.finally(() => this.lanes.get(ns) === run && this.lanes.delete(ns)).catch(() => {});
    return run;
  }

  private async hasQuotas(ns: string): Promise<boolean> {
    const def = this.registry.versionsOf('policy.karmada.io', 'federatedresourcequotas')[0];
    return !!def && (await this.objects.list(def, ns, { limit: 1 })).items.length > 0;
  }

  private async charge(ns: string, delta: Usage, dryRun: boolean): Promise<void> {
    const def = this.registry.versionsOf('policy.karmada.io', 'federatedresourcequotas')[0];
    if (!def) return;
    const { items } = await this.objects.list(def, ns);
    const charged: KubeObject[] = [];
    for (const frq of items as FederatedResourceQuota[]) {
      const check = checkFederatedQuota(frq, delta);
      if (check.kind === 'exceeded') throw refuse(check.message);
      if (check.kind === 'allowed') charged.push(frq);
    }
    if (dryRun) return;
    for (const frq of charged) {
      try {
        await this.objects.guaranteedUpdate(def, ns, frq.metadata.name!, internalContext('karmada-webhook'), (current) => {
          const check = checkFederatedQuota(current as FederatedResourceQuota, delta);
          if (check.kind === 'exceeded') throw refuse(check.message);
          if (check.kind === 'allowed') current.status = { ...(current.status as object), overallUsed: check.overallUsed };
          return current;
        }, { subresource: 'status' });
      } catch (err) {
        // the FRQ went away meanwhile: it limits nothing any more
        if (!isNotFound(err)) throw err;
      }
    }
  }
}
