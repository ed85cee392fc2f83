// The binding controllers (ResourceBinding and ClusterResourceBinding): keep one Work per target
// cluster in step with the binding, its template and the override policies, and delete the Works of
// clusters no longer targeted. A binding being deleted has its Works deleted before its finalizer goes.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { Condition, KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { clustersKeptByEviction } from '../../apis/karmada/eviction.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { AnyOverridePolicy, ClusterOverridePolicy, OverridePolicy } from '../../apis/karmada/override.js';
import { WorkPermanentIDLabel, type Work, clusterOfExecutionSpace, executionSpaceName } from '../../apis/karmada/work.js';
import type { ResourceInterpreter } from '../../interpreter/types.js';
import { describeFailure, EventReasonApplyOverridePolicyFailed, EventReasonApplyOverridePolicySucceed } from '../../overrides/index.js';
import { policySelectsResource } from '../../overrides/order.js';
import type { GroupVersionResource } from '../../runtime/client.js';
import type { Controller } from '../../runtime/controller.js';
import type { Informer } from '../../runtime/informer.js';
import { generationChanged, newControllerManagedBy } from '../../runtime/builder.js';
import { clusterMatches } from '../../apis/karmada/clusteraffinity.js';
import type { ControllerContext } from '../context.js';
import { generateWorkName } from './names.js';
import { interpreterFor, messageOf } from './objects.js';
import { createOrUpdateWork } from './work.js';
import { jsonEqual } from '../execution/status.js';
import { bindingPermanentId, cleanTemplate, EventReasonSyncWorkFailed, EventReasonSyncWorkSucceed, overrideSucceededMessages, renderWork, targetClusters } from './render.js';
import { karmadaMetrics, since } from '../common/metrics.js';
import { fetchResourceTemplate } from '../common/template.js';

export * from './names.js';
export { cleanTemplate, renderWork, mergeWork, targetClusters, EventReasonSyncWorkFailed, EventReasonSyncWorkSucceed } from './render.js';
import { clusterGVR, clusterOverridePolicyGVR, clusterResourceBindingGVR, overridePolicyGVR, resourceBindingGVR, workGVR } from '../../apis/karmada/gvr.js';
import { ClusterResourceBindingNameAnnotation, ResourceBindingNameAnnotation, ResourceBindingNamespaceAnnotation, BindingControllerFinalizer, ClusterResourceBindingControllerFinalizer } from '../../apis/karmada/wellknown.js';
import { isNotFound } from '../../apimachinery/errors.js';

/** binding condition telling why a cluster's Work was kept as it was */
const ConditionOverridePolicyApplied = 'OverridePolicyApplied';

export interface BindingControllerOptions {
  interpreter?: ResourceInterpreter;
}

type Scope = 'Namespaced' | 'Cluster';

class BindingController {
  readonly controller: Controller;
  private readonly bindings: Informer;
  private readonly gvr: GroupVersionResource;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly scope: Scope,
    private readonly shared: { clusters: Informer; ops: Informer; cops: Informer; works: Informer; interpreter: ResourceInterpreter },
  ) {
    this.gvr = scope === 'Namespaced' ? resourceBindingGVR : clusterResourceBindingGVR;
    const name = scope === 'Namespaced' ? 'binding-controller' : 'cluster-resource-binding-controller';
    this.bindings = ctx.manager.informer(ctx.client, this.gvr);
    const policyAffects = (p: KubeObject) => this.bindingsAffectedBy(p as AnyOverridePolicy);
    this.controller = newControllerManagedBy(ctx.manager, name, ctx.client)
      .for(this.bindings, {
        update: (obj, old) => !jsonEqual(obj.spec, old.spec) || !jsonEqual(obj.metadata.labels, old.metadata.labels) || obj.metadata.deletionTimestamp !== old.metadata.deletionTimestamp,
      })
      // a Work deleted by someone else comes back; one made (by this controller's own sync) changes nothing
      // here (Karmada v1.19's binding controller watches no Works at all)
      .watches(shared.works, (w) => this.bindingKeyOfWork(w), { create: () => false, update: () => false })
      .watches(shared.ops, policyAffects, generationChanged)
      .watches(shared.cops, policyAffects, generationChanged)
      .watches(shared.clusters, (c) => this.bindingsTargeting(c.metadata.name!), {
        update: (obj, old) => !isDeepStrictEqual(obj.metadata.labels, old.metadata.labels) || !isDeepStrictEqual(obj.spec, old.spec),
      })
      // Karmada's --concurrent-resourcebinding-syncs default
      .workers(5)
      .logger(ctx.log)
      .complete((key) => this.reconcile(key));
  }

  private bindingKeyOfWork(work: KubeObject): string | undefined {
    const a = work.metadata.annotations ?? {};
    if (this.scope === 'Namespaced') return a[ResourceBindingNamespaceAnnotation] && a[ResourceBindingNameAnnotation] ? `${a[ResourceBindingNamespaceAnnotation]}/${a[ResourceBindingNameAnnotation]}` : undefined;
    return a[ClusterResourceBindingNameAnnotation] || undefined;
  }

  private keyOf(b: KubeObject): string {
    return b.metadata.namespace ? `${b.metadata.namespace}/${b.metadata.name}` : b.metadata.name!;
  }

  private bindingsTargeting(cluster: string): string[] {
    return (this.bindings.list() as ResourceBinding[]).filter((b) => targetClusters(b).some((c) => c.name === cluster)).map((b) => this.keyOf(b));
  }

  /** bindings whose template the policy may select (label selectors are checked at render time) */
  private bindingsAffectedBy(policy: AnyOverridePolicy): string[] {
    const namespaced = policy.kind === 'OverridePolicy' || (policy.kind === undefined && !!policy.metadata.namespace);
    return (this.bindings.list() as ResourceBinding[])
      .filter((b) => {
        const r = b.spec.resource;
        if (namespaced && r.namespace !== policy.metadata.namespace) return false;
        const stub: KubeObject = { apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: r.namespace } };
        const selectors = policy.spec?.resourceSelectors ?? [];
        return selectors.length === 0 || policySelectsResource(policy, stub) || selectors.some((s) => s.apiVersion === r.apiVersion && s.kind === r.kind && !s.name && !!s.labelSelector);
      })
      .map((b) => this.keyOf(b));
  }

  private describe(b: ResourceBinding): string {
    return b.metadata.namespace ? `${b.metadata.namespace}/${b.metadata.name}` : b.metadata.name!;
  }

  private async worksOf(b: ResourceBinding): Promise<Work[]> {
    const selector = bindingPermanentId(b);
    if (!selector) return [];
    const { label, id } = selector;
    this.shared.works.addIndex(label, (w) => {
      const v = w.metadata.labels?.[label];
      return v ? [v] : [];
    });
    return this.shared.works.byIndex(label, id) as Work[];
  }

  /**
   * The binding's Works as the API server holds them now. Before the finalizer goes the cache is not
   * enough: a Work created just before the binding was deleted may not have reached the informer yet,
   * and nothing would remove it afterwards (found by `npm run chaos`).
   */
  private async liveWorksOf(b: ResourceBinding): Promise<Work[]> {
    const selector = bindingPermanentId(b);
    if (!selector) return [];
    return (await this.ctx.client.list<Work>(workGVR, { labelSelector: `${selector.label}=${selector.id}` })).items;
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.bindings.get(key) as ResourceBinding | undefined;
    if (!cached) return;
    // read only (Works are rendered into objects of their own, writes go through fresh reads): not deep-copied
    const binding: ResourceBinding = { apiVersion: 'work.karmada.io/v1alpha2', kind: this.scope === 'Namespaced' ? 'ResourceBinding' : 'ClusterResourceBinding', ...cached };
    if (binding.metadata.deletionTimestamp) return this.finalize(binding);

    const targets = targetClusters(binding);
    // a cluster being evicted gracefully keeps its Work until the eviction task ends
    const wanted = new Set([...targets.map((t) => t.name), ...clustersKeptByEviction(binding.spec)]);
    for (const w of await this.worksOf(binding)) {
      const cluster = clusterOfExecutionSpace(w.metadata.namespace);
      if (cluster && !wanted.has(cluster) && !w.metadata.deletionTimestamp) await this.deleteWork(w);
    }
    if (targets.length === 0) return;

    // the detector's informer when it holds the binding's version or newer, else a GET; not to be changed in place
    const template = await fetchResourceTemplate(this.ctx, binding.spec.resource);
    if (!template) return; // the garbage collector removes the binding with its template

    const errors: string[] = [];
    const overrideFailures: string[] = [];
    const syncStart = performance.now();
    // the Works of all target clusters at once (each its own object): one round trip's wait, not one per cluster
    // what a ReviseReplica webhook is asked about: the cleaned template, once for every target
    let cleaned: KubeObject | undefined;
    const prefetchObject = () => (cleaned ??= cleanTemplate(template));
    const outcomes = await Promise.allSettled(targets.map((target) => this.syncWork(binding, template, target, prefetchObject)));
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') overrideFailures.push(...o.value);
      else errors.push(`cluster(${targets[i].name}): ${messageOf(o.reason)}`);
    });
    karmadaMetrics(this.ctx.manager.registry).syncWorkDuration.observe({ result: errors.length ? 'error' : 'success' }, since(syncStart));
    await this.recordOverrideCondition(binding, overrideFailures);
    if (errors.length > 0 || overrideFailures.length > 0) {
      const msg = `Failed to sync work of ${this.scope === 'Namespaced' ? 'resourceBinding' : 'clusterResourceBinding'}(${this.describe(binding)}): ${[...overrideFailures, ...errors].join('; ')}`;
      this.ctx.events.record(binding, 'Warning', EventReasonSyncWorkFailed, msg);
      this.ctx.events.record(template, 'Warning', EventReasonSyncWorkFailed, msg);
      if (errors.length > 0) throw new Error(msg);
      return;
    }
    const msg = `Sync work of ${this.scope === 'Namespaced' ? 'resourceBinding' : 'clusterResourceBinding'}(${this.describe(binding)}) successful.`;
    this.ctx.events.record(binding, 'Normal', EventReasonSyncWorkSucceed, msg);
    this.ctx.events.record(template, 'Normal', EventReasonSyncWorkSucceed, msg);
  }

  /** renders and writes one cluster's Work; returns override failure messages (the Work is then left as it was) */
  private async syncWork(binding: ResourceBinding, template: KubeObject, target: { name: string; replicas?: number }, prefetchObject: () => KubeObject): Promise<string[]> {
    const cluster = (this.shared.clusters.get(target.name) as Cluster | undefined) ?? ({ metadata: { name: target.name }, spec: {} } as unknown as Cluster);
    const workKey = `${executionSpaceName(target.name)}/${generateWorkName(template.kind ?? '', template.metadata.name ?? '', template.metadata.namespace)}`;
    const existing = this.shared.works.get(workKey) as Work | undefined;
    if ((binding.spec.replicas ?? 0) > 0) await this.shared.interpreter.prefetch?.({ operation: 'ReviseReplica', object: prefetchObject(), desiredReplicas: target.replicas ?? 0 });
    const { work, failures, applied } = renderWork({
      binding,
      template,
      target,
      cluster,
      interpreter: this.shared.interpreter,
      clusterOverridePolicies: this.shared.cops.list() as ClusterOverridePolicy[],
      overridePolicies: this.shared.ops.list() as OverridePolicy[],
      matchesCluster: clusterMatches,
      workPermanentId: existing?.metadata.labels?.[WorkPermanentIDLabel] || randomUUID(),
    });
    // As Karmada's override manager, on the template; failures on the binding too, which holds the condition.
    if (failures.length > 0) {
      const messages = failures.map((f) => describeFailure(f, target.name));
      for (const m of messages) {
        this.ctx.events.record(binding, 'Warning', EventReasonApplyOverridePolicyFailed, m);
        this.ctx.events.record(template, 'Warning', EventReasonApplyOverridePolicyFailed, m);
      }
      return messages;
    }
    for (const m of overrideSucceededMessages(applied, template.metadata.namespace, target.name)) this.ctx.events.record(template, 'Normal', EventReasonApplyOverridePolicySucceed, m);
    await createOrUpdateWork(this.ctx.client, work, existing, this.shared.works.lastSyncResourceVersion());
    return [];
  }

  private async deleteWork(w: Work): Promise<void> {
    try {
      await this.ctx.client.delete(workGVR, w.metadata.name, { namespace: w.metadata.namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async finalize(binding: ResourceBinding): Promise<void> {
    const finalizer = this.scope === 'Namespaced' ? BindingControllerFinalizer : ClusterResourceBindingControllerFinalizer;
    if (!binding.metadata.finalizers?.includes(finalizer)) return;
    for (const w of await this.liveWorksOf(binding)) if (!w.metadata.deletionTimestamp) await this.deleteWork(w);
    const fresh = await this.ctx.client.get<ResourceBinding>(this.gvr, binding.metadata.name!, { namespace: binding.metadata.namespace }).catch((err) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (!fresh) return;
    fresh.metadata.finalizers = (fresh.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    await this.ctx.client.replace(fresh);
  }

  /** keeps the OverridePolicyApplied condition: False with the failures, removed once they are gone */
  private async recordOverrideCondition(binding: ResourceBinding, failures: string[]): Promise<void> {
    const conditions = binding.status?.conditions ?? [];
    const current = conditions.find((c) => c.type === ConditionOverridePolicyApplied);
    if (failures.length === 0 && !current) return;
    const message = failures.join('; ');
    if (current && failures.length > 0 && current.message === message) return;
    const fresh = await this.ctx.client.get<ResourceBinding>(this.gvr, binding.metadata.name!, { namespace: binding.metadata.namespace });
    const others = (fresh.status?.conditions ?? []).filter((c) => c.type !== ConditionOverridePolicyApplied);
    const next: Condition[] =
      failures.length > 0 ? [...others, { type: ConditionOverridePolicyApplied, status: 'False', reason: EventReasonApplyOverridePolicyFailed, message, lastTransitionTime: rfc3339Now() }] : others;
    await this.ctx.client.updateStatus({ ...fresh, status: { ...fresh.status, conditions: next } });
  }
}

/** resourceVersions are opaque in general; this project's stores number them, so a larger one is newer */
export function registerBindingController(ctx: ControllerContext, opts: BindingControllerOptions = {}): void {
  const shared = {
    clusters: ctx.manager.informer(ctx.client, clusterGVR),
    ops: ctx.manager.informer(ctx.client, overridePolicyGVR),
    cops: ctx.manager.informer(ctx.client, clusterOverridePolicyGVR),
    works: ctx.manager.informer(ctx.client, workGVR),
    interpreter: interpreterFor(ctx, opts.interpreter),
  };
  new BindingController(ctx, 'Namespaced', shared);
  new BindingController(ctx, 'Cluster', shared);
}
