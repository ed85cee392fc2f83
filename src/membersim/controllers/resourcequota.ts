// ResourceQuotas of a simulated member: the quota controller (kube-controller-manager's
// resourcequota controller: status.hard from spec.hard, status.used from the namespace's pods and
// object counts) and the ResourceQuota admission plugin (kube-apiserver's: a pod past status.hard
// is refused with 403 "exceeded quota: ...", an admitted one is charged to status.used at once).
// They live together because the admission's charge and the controller's recount keep one book.
import { errors, isNotFound } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { checkPodAgainstQuota, quotaUsed, type ResourceQuota } from '../../apis/builtin/quota.js';
import { internalContext } from '../../apiserver/rest/context.js';
import type { AdmissionPlugin, AdmissionRequest } from '../../apiserver/rest/admission.js';
import { isDeepStrictEqual } from 'node:util';
import type { Controller } from '../../runtime/controller.js';
import { objectKey } from '../../runtime/informer.js';
import { requeueAfterMs, resources, type MemberController, type ResourceName, type SimCluster } from '../cluster.js';

const manager = 'resourcequota-controller';
/** kube's --resource-quota-sync-period is 5m; the simulator recounts sooner, undoing charges of pods whose create failed later */
const resyncMs = 15_000;
const namespaceIndex = 'namespace';

/** the object-count name of a simulated resource: count/pods, count/deployments.apps, ... */
function countName(name: ResourceName): string {
  const [group, resource] = resources[name];
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

const counted: ResourceName[] = ['services', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'resourcequotas', 'horizontalpodautoscalers', 'poddisruptionbudgets'];

export class ResourceQuotaController implements MemberController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    const quotas = c.informer('resourcequotas');
    quotas.addIndex(namespaceIndex, (o) => [o.metadata.namespace ?? '']);
    const pods = c.informer('pods');
    pods.addIndex(namespaceIndex, (o) => [o.metadata.namespace ?? '']);
    // the quotas of the object's namespace
    const inNamespace = (o: KubeObject) => quotas.byIndex(namespaceIndex, o.metadata.namespace ?? '').map(objectKey);
    let builder = c
      .controller('resourcequota')
      .for(quotas, { update: (q, old) => !isDeepStrictEqual(q.spec, old.spec) })
      .watches(pods, inNamespace, { update: (p, old) => !isDeepStrictEqual([p.status, p.metadata.deletionTimestamp], [old.status, old.metadata.deletionTimestamp]) });
    for (const name of counted) builder = builder.watches(c.informer(name), inNamespace, { update: () => false });
    this.controller = builder.complete(requeueAfterMs((key) => this.reconcile(key)));
    c.objects.admission.push(new ResourceQuotaAdmission(c));
  }

  async reconcile(key: string): Promise<number | void> {
    const quota = this.c.get('resourcequotas', key) as ResourceQuota | undefined;
    if (!quota || quota.metadata.deletionTimestamp) return;
    const ns = quota.metadata.namespace ?? '';
    const counts = new Map<string, number>();
    for (const name of counted) counts.set(countName(name), this.c.informer(name).list((o) => o.metadata.namespace === ns).length);
    const used = quotaUsed(quota, this.c.informer('pods').byIndex(namespaceIndex, ns), counts);
    await this.c.updateStatus('resourcequotas', quota, { hard: quota.spec?.hard ?? {}, used }, manager);
    return resyncMs;
  }
}

/** kube-apiserver's ResourceQuota admission for pod creation, serialised per namespace as its quota evaluator is */
class ResourceQuotaAdmission implements AdmissionPlugin {
  readonly name = 'ResourceQuota';
  private readonly lanes = new Map<string, Promise<unknown>>();
  /** namespaces a ResourceQuota was created in since the start (the informer may not show it yet) */
  private readonly quotaCreatedIn = new Set<string>();

  constructor(private readonly c: SimCluster) {}

  /**
   * No quota can hold in the namespace: the synced informer shows none and none was created since.
   * kube's quota accessor reads its informer too (a live lookup only when that shows none); here
   * every create passes this plugin, so the live lookup is needed only after one.
   */
  private noQuotaIn(ns: string): boolean {
    const quotas = this.c.informer('resourcequotas');
    return quotas.hasSynced && !this.quotaCreatedIn.has(ns) && quotas.byIndex(namespaceIndex, ns).length === 0;
  }

  validate(req: AdmissionRequest): Promise<void> | void {
    if (req.operation !== 'CREATE' || req.subresource || req.def.group !== '' || req.ctx.dryRun) return;
    if (req.def.resource === 'resourcequotas') this.quotaCreatedIn.add(req.obj.metadata.namespace ?? '');
    if (req.def.resource !== 'pods') return;
    const ns = req.obj.metadata.namespace ?? '';
    if (this.noQuotaIn(ns)) return;
    const run = (this.lanes.get(ns) ?? Promise.resolve()).catch(() => {}).then(() => this.admit(req.obj));
    this.lanes.set(ns, run);
    void run.finally(() => this.lanes.get(ns) === run && this.lanes.delete(ns)).catch(() => {});
    return run;
  }

  private async admit(pod: KubeObject): Promise<void> {
    const def = this.c.def('resourcequotas');
    const ns = pod.metadata.namespace;
    const { items } = await this.c.objects.list(def, ns);
    const charges: ResourceQuota[] = [];
    for (const quota of items as ResourceQuota[]) {
      const check = checkPodAgainstQuota(quota, pod);
      if (!check) continue;
      if (!check.ok) throw errors.forbidden({ group: '', resource: 'pods' }, pod.metadata.name ?? '', check.message);
      charges.push(quota);
    }
    for (const quota of charges) {
      try {
        await this.c.objects.guaranteedUpdate(def, ns, quota.metadata.name!, internalContext('resourcequota-admission'), (current) => {
          const check = checkPodAgainstQuota(current as ResourceQuota, pod);
          if (check && !check.ok) throw errors.forbidden({ group: '', resource: 'pods' }, pod.metadata.name ?? '', check.message);
          if (check) current.status = { ...(current.status as object), used: check.used };
          return current;
        }, { subresource: 'status' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}
