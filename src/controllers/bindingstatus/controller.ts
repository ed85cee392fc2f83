// The binding status controllers (Karmada rb_status_controller.go, crb_status_controller.go): the
// Works of a (Cluster)ResourceBinding summed up in its status.aggregatedStatus and FullyApplied
// condition, then the template's own .status rebuilt from them by the interpreter's
// AggregateStatus (a Deployment on the control plane shows the replicas ready across members).
import { isNotFound } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { AggregatedStatusItem, ResourceBinding } from '../../apis/karmada/binding.js';
import { ClusterResourceBindingPermanentIDLabel, clusterOfExecutionSpace, ResourceBindingPermanentIDLabel, type Work } from '../../apis/karmada/work.js';
import { isInterpretationPending } from '../../interpreter/webhook/layer.js';
import { gvkOf, InterpreterError, type ResourceInterpreter } from '../../interpreter/types.js';
import { recordInterpretation } from '../interpreter/condition.js';
import type { GroupVersionResource } from '../../runtime/client.js';
import { splitKey, type Controller, type ReconcileResult } from '../../runtime/controller.js';
import { objectKey, type Informer } from '../../runtime/informer.js';
import type { ControllerContext } from '../context.js';
import { jsonEqual, setCondition, updateStatus } from '../execution/status.js';
import { assembleAggregatedStatus, fullyAppliedCondition } from './aggregate.js';
import { workGVR, clusterResourceBindingGVR, resourceBindingGVR } from '../../apis/karmada/gvr.js';
import { ClusterResourceBindingNameAnnotation, ResourceBindingNameAnnotation, ResourceBindingNamespaceAnnotation } from '../../apis/karmada/wellknown.js';
import { newControllerManagedBy } from '../../runtime/builder.js';

export const RBStatusControllerName = 'resource-binding-status-controller';
export const CRBStatusControllerName = 'cluster-resource-binding-status-controller';
export const EventReasonAggregateStatusSucceed = 'AggregateStatusSucceed';
export const EventReasonAggregateStatusFailed = 'AggregateStatusFailed';

interface Scope {
  name: string;
  gvr: typeof resourceBindingGVR | typeof clusterResourceBindingGVR;
  idLabel: string;
  kind: string;
  /** the binding key a Work names by annotation */
  keyFromAnnotations(work: KubeObject): string | undefined;
}

const namespaced: Scope = {
  name: RBStatusControllerName,
  gvr: resourceBindingGVR,
  idLabel: ResourceBindingPermanentIDLabel,
  kind: 'ResourceBinding',
  keyFromAnnotations: (w) => {
    const a = w.metadata.annotations ?? {};
    return a[ResourceBindingNamespaceAnnotation] && a[ResourceBindingNameAnnotation] ? `${a[ResourceBindingNamespaceAnnotation]}/${a[ResourceBindingNameAnnotation]}` : undefined;
  },
};

const clusterScoped: Scope = {
  name: CRBStatusControllerName,
  gvr: clusterResourceBindingGVR,
  idLabel: ClusterResourceBindingPermanentIDLabel,
  kind: 'ClusterResourceBinding',
  keyFromAnnotations: (w) => w.metadata.annotations?.[ClusterResourceBindingNameAnnotation],
};

/** the Works of a binding: by its permanent id label (as Karmada lists them), else by the annotations naming it */
export function worksOfBinding(works: readonly KubeObject[], binding: KubeObject, idLabel: string, keyFromAnnotations: (w: KubeObject) => string | undefined): Work[] {
  const id = binding.metadata.labels?.[idLabel];
  const key = binding.metadata.namespace ? `${binding.metadata.namespace}/${binding.metadata.name}` : binding.metadata.name;
  return works.filter((w) => clusterOfExecutionSpace(w.metadata.namespace) !== undefined && (id ? w.metadata.labels?.[idLabel] === id : keyFromAnnotations(w) === key)) as Work[];
}

/** an informer index of objects by the value of one label */
function labelIndex(label: string): (obj: KubeObject) => string[] {
  return (obj) => {
    const v = obj.metadata.labels?.[label];
    return v ? [v] : [];
  };
}

/** scheduled, or attached to the bindings that require it (a dependency's binding is never scheduled) */
function scheduled(b: ResourceBinding): boolean {
  return !!b.status?.lastScheduledTime || (b.spec?.clusters?.length ?? 0) > 0 || (b.spec?.requiredBy?.length ?? 0) > 0;
}

export function registerBindingStatusControllers(ctx: ControllerContext, interpreter: ResourceInterpreter, workers = 2): Controller[] {
  const works = ctx.manager.informer(ctx.client, workGVR);
  return [namespaced, clusterScoped].map((scope) => registerOne(ctx, interpreter, scope, works, workers));
}

/** how long the status changes of a binding's Works are gathered into one aggregation */
export const workStatusCoalesceMs = 200;

function registerOne(ctx: ControllerContext, interpreter: ResourceInterpreter, scope: Scope, works: Informer, workers: number, coalesceMs = workStatusCoalesceMs): Controller {
  const bindings = ctx.manager.informer(ctx.client, scope.gvr);
  works.addIndex(scope.idLabel, labelIndex(scope.idLabel));
  // as Karmada's bindingPredicateFn: a binding comes back by itself only when its template changed
  // (spec.resource.resourceVersion); scheduling it makes no aggregation of Works not made or applied
  // yet, their own status writes (and deletions) bring it here
  const relevant = (b: KubeObject) => (b as ResourceBinding).spec?.resource?.resourceVersion ?? '';

  /** the bindings a Work belongs to */
  const bindingKeys = (w: KubeObject): string[] => {
    if (clusterOfExecutionSpace(w.metadata.namespace) === undefined) return [];
    const byAnnotation = scope.keyFromAnnotations(w);
    if (byAnnotation) return [byAnnotation];
    const id = w.metadata.labels?.[scope.idLabel];
    if (!id) return [];
    return bindings.list((b) => b.metadata.labels?.[scope.idLabel] === id).map(objectKey);
  };

  const controller = newControllerManagedBy(ctx.manager, scope.name)
    .for(bindings, { filter: (b) => scheduled(b as ResourceBinding), update: (b, old) => relevant(b) !== relevant(old) })
    // as Karmada's workPredicateFn: a Work made has no status to aggregate yet (its first status write
    // brings the binding here); deleted or being deleted: at once; its status changing: below
    .watches(works, bindingKeys, { create: () => false, update: (w, old) => !jsonEqual(w.metadata.deletionTimestamp, old.metadata.deletionTimestamp) })
    .workers(workers)
    .logger(ctx.log)
    .complete((key, signal) => reconcile(key, signal));
  // the Works of one binding change status within moments of each other (each member applies and
  // settles on its own): gathered for a moment, they make one aggregated status write, not one each.
  // The queue keeps the earliest due time, so the reconcile reads every status that came in by then.
  works.addHandlers({
    onUpdate: (w, old) => {
      if (jsonEqual((w as Work).status, (old as Work).status)) return;
      for (const key of bindingKeys(w)) controller.enqueueAfter(key, coalesceMs);
    },
  });

  async function reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const binding = bindings.get(key) as ResourceBinding | undefined;
    if (!binding || binding.metadata.deletionTimestamp || !scheduled(binding)) return;
    const id = binding.metadata.labels?.[scope.idLabel];
    const candidates = id ? works.byIndex(scope.idLabel, id) : works.list();
    const items = assembleAggregatedStatus(worksOfBinding(candidates, binding, scope.idLabel, scope.keyFromAnnotations), binding.spec.resource);
    const condition = fullyAppliedCondition(binding.spec, items);
    const { namespace, name } = splitKey(key);
    let written: ResourceBinding | undefined;
    try {
      written = await updateStatus<ResourceBinding>(
        ctx.client,
        scope.gvr,
        name,
        namespace,
        (b) => {
          if (b.metadata.deletionTimestamp) return false;
          const conditions = setCondition(b.status?.conditions, condition);
          if (jsonEqual(b.status?.aggregatedStatus ?? [], items) && jsonEqual(b.status?.conditions, conditions)) return false;
          b.status = { ...(b.status ?? {}), aggregatedStatus: items, conditions };
          return true;
        },
        signal,
        binding,
        // only this controller writes aggregatedStatus and FullyApplied, and it sees its own last write
        // (freshest): a cached binding that already holds them needs no read of the live one
        { trustKnown: true },
      );
    } catch (err) {
      if (!signal.aborted) ctx.events.record(binding, 'Warning', EventReasonAggregateStatusFailed, err instanceof Error ? err.message : String(err));
      throw err;
    }
    if (written) {
      const id = namespace ? `${namespace}/${name}` : name;
      ctx.events.record(written, 'Normal', EventReasonAggregateStatusSucceed, `Update ${scope.kind}(${id}) with AggregatedStatus successfully.`);
    }
    const ref = { name, namespace, known: written ?? binding };
    try {
      await updateTemplateStatus(binding, items, signal);
    } catch (err) {
      if (err instanceof InterpreterError && !isInterpretationPending(err) && !signal.aborted) {
        await recordInterpretation(ctx.client, ref, [EventReasonAggregateStatusFailed], err.message).catch(() => undefined);
      }
      throw err;
    }
    if (!signal.aborted) await recordInterpretation(ctx.client, ref, [EventReasonAggregateStatusFailed]).catch(() => undefined);
  }

  /** the template as the detector's informer (shared through the manager) has it, when it has it */
  function cachedTemplate(info: GroupVersionResource & { namespaced: boolean }, ref: { apiVersion: string; kind: string; namespace?: string; name: string }): KubeObject | undefined {
    const inf = ctx.manager.informer(ctx.client, { group: info.group, version: info.version, resource: info.resource });
    const obj = inf.hasSynced ? inf.get(info.namespaced && ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name) : undefined;
    return obj && { apiVersion: ref.apiVersion, kind: ref.kind, ...obj } as KubeObject;
  }

  /** the template's .status through AggregateStatus, written only when it changes */
  async function updateTemplateStatus(binding: ResourceBinding, items: AggregatedStatusItem[], signal: AbortSignal): Promise<void> {
    const ref = binding.spec.resource;
    if (!interpreter.hookEnabled(gvkOf(ref), 'AggregateStatus')) return;
    let info;
    try {
      info = await ctx.client.resolve({ apiVersion: ref.apiVersion, kind: ref.kind });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    let template: KubeObject | undefined;
    const cached = cachedTemplate(info, ref);
    if (cached) await interpreter.prefetch?.({ operation: 'AggregateStatus', object: cached, aggregatedStatus: items });
    try {
      const written = await updateStatus<KubeObject>(
        ctx.client,
        info,
        ref.name,
        info.namespaced ? ref.namespace : undefined,
        (obj) => {
          template = obj;
          const next = interpreter.aggregateStatus(obj, items);
          if (next === obj || jsonEqual(next.status, obj.status)) return false;
          obj.status = next.status;
          return true;
        },
        signal,
        cached,
        // as Karmada's updateResourceStatus, the informer's template decides that nothing changed (our
        // own last write included, through freshest); no read of the live one per aggregation
        { trustKnown: true },
      );
      if (written) ctx.events.record(written, 'Normal', EventReasonAggregateStatusSucceed, 'Update Resource with AggregatedStatus successfully.');
    } catch (err) {
      if (template && !signal.aborted && !isInterpretationPending(err)) ctx.events.record(template, 'Warning', EventReasonAggregateStatusFailed, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  return controller;
}
