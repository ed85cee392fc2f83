// The dependencies distributor (gate PropagateDeps, on by default): for each ResourceBinding with
// propagateDeps, the objects its template depends on (InterpretDependency: ConfigMaps, Secrets,
// ServiceAccounts, PVCs, ...) get "attached" ResourceBindings whose requiredBy follows the
// binding's clusters, so the binding controller sends them wherever the workload goes.
import { deepCopyJson } from '../../apimachinery/clone.js';
import { jsonEqual } from '../execution/status.js';
import { labelSelectorAsSelector } from '../../apimachinery/labels.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { ResourceBindingPermanentIDLabel } from '../../apis/karmada/work.js';
import { isInterpretationPending } from '../../interpreter/webhook/layer.js';
import { recordInterpretation } from '../interpreter/condition.js';
import { gvkOf, type DependentObjectReference, type ResourceInterpreter } from '../../interpreter/types.js';
import type { Informer } from '../../runtime/informer.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { interpreterFor, messageOf } from '../binding/objects.js';
import { fetchResourceTemplate } from '../common/template.js';
import {
  buildAttachedBinding,
  dependedByLabelKey,
  dependencyConflictMessage,
  dependencyMatches,
  EventReasonDependencyPolicyConflict,
  EventReasonGetDependenciesFailed,
  EventReasonGetDependenciesSucceed,
  EventReasonSyncScheduleResultToDependenciesFailed,
  EventReasonSyncScheduleResultToDependenciesSucceed,
  mergeAttachedBinding,
  mergeSnapshots,
  policiesAfterDetach,
  resolveDependencyPolicies,
  withoutSnapshot,
  type DependencyPolicies,
} from './attached.js';
import type { BindingSnapshot } from '../../apis/karmada/binding.js';

import { resourceBindingGVR } from '../../apis/karmada/gvr.js';
import { BindingDependenciesDistributorFinalizer, DependedByLabelKeyPrefix, DependenciesAnnotation } from '../../apis/karmada/wellknown.js';
import { isAlreadyExists, isNotFound } from '../../apimachinery/errors.js';
export const ControllerName = 'dependencies-distributor';

export interface DependenciesOptions {
  interpreter?: ResourceInterpreter;
}

function parseDependencies(b: ResourceBinding): DependentObjectReference[] {
  try {
    const v: unknown = JSON.parse(b.metadata.annotations?.[DependenciesAnnotation] ?? '[]');
    return Array.isArray(v) ? (v as DependentObjectReference[]) : [];
  } catch {
    return [];
  }
}

const DependencyIndex = 'dependencies-distributor/dependency';
const DependedByIndex = 'dependencies-distributor/depended-by';

/** where a dependency is filed: the object it names, or (a label selector) its type and namespace */
function dependencyIndexValue(d: { apiVersion: string; kind: string; namespace?: string; name?: string }): string {
  return `${d.apiVersion}|${d.kind}|${d.namespace ?? ''}|${d.name ?? ''}`;
}

/** an attached binding's depended-by labels, each as namespace/key=value */
function dependedByIndexValues(b: KubeObject): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(b.metadata.labels ?? {})) if (k.startsWith(DependedByLabelKeyPrefix)) out.push(`${b.metadata.namespace ?? ''}/${k}=${v}`);
  return out;
}

/** the distributor's controller: attached bindings follow each propagateDeps binding's dependencies */
export function registerDependenciesDistributor(ctx: ControllerContext, opts: DependenciesOptions = {}): void {
  const interpreter = interpreterFor(ctx, opts.interpreter);
  const client = ctx.client;
  const bindings = ctx.manager.informer(ctx.client, resourceBindingGVR);
  const dependentInformers = new Map<string, Informer>();
  // each dependency event and each sync reads a few bindings through these, not a scan of all of
  // them (with 30,000 ConfigMaps and 60,000 bindings a scan per event was quadratic)
  bindings.addIndex(DependencyIndex, (b) => ((b as ResourceBinding).spec?.propagateDeps ? parseDependencies(b as ResourceBinding).map(dependencyIndexValue) : []));
  bindings.addIndex(DependedByIndex, dependedByIndexValues);

  const builder = newControllerManagedBy(ctx.manager, ControllerName, client)
    .for(bindings, {
      filter: (b) => !!(b as ResourceBinding).spec?.propagateDeps || !!b.metadata.finalizers?.includes(BindingDependenciesDistributorFinalizer),
      update: (obj, old) => !jsonEqual(obj.spec, old.spec) || obj.metadata.deletionTimestamp !== old.metadata.deletionTimestamp,
    })
    .workers(2)
    .logger(ctx.log);
  builder.complete((key) => reconcile(key));

  /** a dependent object changed: re-sync the bindings that depend on it */
  function bindingsDependingOn(obj: KubeObject, apiVersion: string, kind: string): string[] {
    const ref = { apiVersion, kind, namespace: obj.metadata.namespace, name: obj.metadata.name!, labels: obj.metadata.labels };
    const named = bindings.byIndex(DependencyIndex, dependencyIndexValue(ref));
    const bySelector = bindings.byIndex(DependencyIndex, dependencyIndexValue({ ...ref, name: '' }));
    const keys = new Set<string>();
    for (const b of [...named, ...bySelector] as ResourceBinding[]) {
      if (b.spec.propagateDeps && parseDependencies(b).some((d) => dependencyMatches(d, ref, (l) => labelSelectorAsSelector(d.labelSelector).matches(l)))) keys.add(`${b.metadata.namespace}/${b.metadata.name}`);
    }
    return [...keys];
  }

  async function watchDependents(apiVersion: string, kind: string): Promise<void> {
    const type = `${apiVersion}|${kind}`;
    if (dependentInformers.has(type)) return;
    const info = await client.resolve({ apiVersion, kind });
    const informer = ctx.manager.informer(client, { group: info.group, version: info.version, resource: info.resource });
    dependentInformers.set(type, informer);
    builder.watches(informer, (obj) => bindingsDependingOn(obj, apiVersion, kind));
  }

  async function reconcile(key: string): Promise<void> {
    const cached = bindings.get(key) as ResourceBinding | undefined;
    if (!cached) return;
    const binding = deepCopyJson(cached);
    if (!binding.spec.propagateDeps || binding.metadata.deletionTimestamp) {
      await detachAll(binding);
      return removeFinalizer(binding);
    }
    const template = await fetchResourceTemplate(ctx, binding.spec.resource);
    if (!template) return;
    if (!interpreter.hookEnabled(gvkOf(template), 'InterpretDependency')) return;
    let dependencies: DependentObjectReference[];
    await interpreter.prefetch?.({ operation: 'InterpretDependency', object: template });
    try {
      dependencies = interpreter.getDependencies(template);
      const names = dependencies.map((d) => `${d.kind}/${d.namespace ?? template.metadata.namespace ?? ''}/${d.name ?? ''}`);
      ctx.events.record(template, 'Normal', EventReasonGetDependenciesSucceed, `Get dependencies(${names.join(', ')}) succeed.`);
    } catch (err) {
      if (!isInterpretationPending(err)) {
        ctx.events.record(template, 'Warning', EventReasonGetDependenciesFailed, messageOf(err));
        await recordInterpretation(client, { name: binding.metadata.name!, namespace: binding.metadata.namespace, known: binding }, [EventReasonGetDependenciesFailed], messageOf(err)).catch(() => undefined);
      }
      throw err;
    }
    await recordInterpretation(client, { name: binding.metadata.name!, namespace: binding.metadata.namespace, known: binding }, [EventReasonGetDependenciesFailed]).catch(() => undefined);
    try {
      const current = await ensureFinalizerAndRecord(binding, dependencies);
      await sync(current, dependencies);
      ctx.events.record(current, 'Normal', EventReasonSyncScheduleResultToDependenciesSucceed, 'Sync schedule results to dependencies succeed.');
    } catch (err) {
      ctx.events.record(binding, 'Warning', EventReasonSyncScheduleResultToDependenciesFailed, messageOf(err));
      throw err;
    }
  }

  /** adds the finalizer and the dependencies annotation in one write; returns the binding as stored */
  async function ensureFinalizerAndRecord(binding: ResourceBinding, deps: DependentObjectReference[]): Promise<ResourceBinding> {
    const text = JSON.stringify(deps);
    const finalizers = binding.metadata.finalizers ?? [];
    if (finalizers.includes(BindingDependenciesDistributorFinalizer) && binding.metadata.annotations?.[DependenciesAnnotation] === text) return binding;
    const updated: ResourceBinding = {
      ...binding,
      metadata: {
        ...binding.metadata,
        finalizers: finalizers.includes(BindingDependenciesDistributorFinalizer) ? finalizers : [...finalizers, BindingDependenciesDistributorFinalizer],
        annotations: { ...binding.metadata.annotations, [DependenciesAnnotation]: text },
      },
    };
    return client.replace(updated);
  }

  function attachedBindingsOf(binding: ResourceBinding): ResourceBinding[] {
    const label = dependedByLabelKey(binding.metadata.namespace, binding.metadata.name!);
    const id = binding.metadata.labels?.[ResourceBindingPermanentIDLabel] ?? '';
    return (bindings.byIndex(DependedByIndex, `${binding.metadata.namespace ?? ''}/${label}=${id}`) as ResourceBinding[]).filter((b) => b.metadata.namespace === binding.metadata.namespace && b.metadata.labels?.[label] === id);
  }

  async function detach(binding: ResourceBinding, attached: ResourceBinding): Promise<void> {
    const fresh = await client.get<ResourceBinding>(resourceBindingGVR, attached.metadata.name!, { namespace: attached.metadata.namespace }).catch((err) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (!fresh) return;
    const labels = { ...fresh.metadata.labels };
    delete labels[dependedByLabelKey(binding.metadata.namespace, binding.metadata.name!)];
    const requiredBy = withoutSnapshot(fresh.spec.requiredBy ?? [], binding.metadata.namespace, binding.metadata.name!);
    const remaining = !fresh.spec.placement && requiredBy.length > 0 ? resolveDependencyPolicies(await requiringSpecs(requiredBy)) : undefined;
    const spec = { ...fresh.spec, requiredBy, ...policiesAfterDetach(fresh, remaining) };
    if (spec.conflictResolution === undefined) delete spec.conflictResolution;
    if (spec.preserveResourcesOnDeletion === undefined) delete spec.preserveResourcesOnDeletion;
    await client.replace({ ...fresh, metadata: { ...fresh.metadata, labels }, spec });
  }

  async function detachAll(binding: ResourceBinding): Promise<void> {
    for (const a of attachedBindingsOf(binding)) await detach(binding, a);
  }

  async function removeFinalizer(binding: ResourceBinding): Promise<void> {
    if (!binding.metadata.finalizers?.includes(BindingDependenciesDistributorFinalizer)) return;
    const fresh = await client.get<ResourceBinding>(resourceBindingGVR, binding.metadata.name!, { namespace: binding.metadata.namespace });
    fresh.metadata.finalizers = (fresh.metadata.finalizers ?? []).filter((f) => f !== BindingDependenciesDistributorFinalizer);
    await client.replace(fresh);
  }

  async function dependentsOf(dep: DependentObjectReference): Promise<KubeObject[]> {
    const ref = { apiVersion: dep.apiVersion, kind: dep.kind };
    const withType = (o: KubeObject) => ({ ...o, apiVersion: dep.apiVersion, kind: dep.kind });
    if (dep.name) {
      // from the dependents' informer once it has listed, as Karmada reads them through its lister:
      // a GET per dependency per sync made every restart's backlog a round trip longer
      const informer = dependentInformers.get(`${dep.apiVersion}|${dep.kind}`);
      if (informer?.hasSynced) {
        const cached = informer.get(dep.namespace ? `${dep.namespace}/${dep.name}` : dep.name);
        return cached ? [withType(cached)] : [];
      }
      try {
        return [withType(await client.get(ref, dep.name, { namespace: dep.namespace }))];
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    }
    if (!dep.labelSelector) throw new Error('the Name and LabelSelector in the DependentObjectReference cannot be empty at the same time');
    const list = await client.list(ref, { namespace: dep.namespace, labelSelector: labelSelectorAsSelector(dep.labelSelector).toString() });
    return list.items.map(withType);
  }

  async function sync(binding: ResourceBinding, deps: DependentObjectReference[]): Promise<void> {
    const wanted = new Set<string>();
    const errors: string[] = [];
    for (const dep of deps) {
      try {
        await watchDependents(dep.apiVersion, dep.kind);
        for (const obj of await dependentsOf(dep)) {
          const attached = buildAttachedBinding(binding, obj);
          wanted.add(attached.metadata.name!);
          await createOrUpdateAttached(attached);
        }
      } catch (err) {
        errors.push(messageOf(err));
      }
    }
    // attached bindings of dependencies the workload no longer has
    for (const a of attachedBindingsOf(binding)) if (!wanted.has(a.metadata.name!)) await detach(binding, a);
    if (errors.length > 0) throw new Error(errors.join('; '));
  }

  /** resolveResourceBindingFromSnapshots: the specs of the bindings that require a dependency */
  async function requiringSpecs(requiredBy: readonly BindingSnapshot[]): Promise<ResourceBinding['spec'][]> {
    const out: ResourceBinding['spec'][] = [];
    for (const snap of requiredBy) {
      const cached = bindings.get(`${snap.namespace}/${snap.name}`) as ResourceBinding | undefined;
      out.push((cached ?? (await client.get<ResourceBinding>(resourceBindingGVR, snap.name, { namespace: snap.namespace }))).spec);
    }
    return out;
  }

  async function createOrUpdateAttached(attached: ResourceBinding): Promise<void> {
    // the cached binding, as Karmada's cached client reads it: a stale one makes the update conflict
    // and the sync retry; one not cached yet makes the create fail with AlreadyExists, then it is read
    let existing = bindings.get(`${attached.metadata.namespace}/${attached.metadata.name}`) as ResourceBinding | undefined;
    if (!existing) {
      try {
        return await createAttached(attached);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      existing = await client.get<ResourceBinding>(resourceBindingGVR, attached.metadata.name!, { namespace: attached.metadata.namespace });
    }
    await updateAttached(existing, attached);
  }

  async function createAttached(attached: ResourceBinding): Promise<void> {
    const policies = attached.spec.placement ? undefined : resolveDependencyPolicies(await requiringSpecs(attached.spec.requiredBy ?? []));
    const created = await client.create<ResourceBinding>(mergeAttachedBinding({ ...attached, spec: { ...attached.spec, requiredBy: [] } }, attached, policies), { namespace: attached.metadata.namespace });
    recordConflict(created, policies);
  }

  async function updateAttached(existing: ResourceBinding, attached: ResourceBinding): Promise<void> {
    let policies: DependencyPolicies | undefined;
    if (!existing.spec.placement) {
      policies = resolveDependencyPolicies(await requiringSpecs(mergeSnapshots(existing.spec.requiredBy ?? [], attached.spec.requiredBy ?? [])));
    }
    recordConflict(existing, policies);
    const merged = mergeAttachedBinding(existing, attached, policies);
    if (!jsonEqual(merged, existing)) await client.replace(merged);
  }

  function recordConflict(binding: ResourceBinding, policies: DependencyPolicies | undefined): void {
    const message = policies && dependencyConflictMessage(policies);
    if (message) ctx.events.record(binding, 'Warning', EventReasonDependencyPolicyConflict, message);
  }
}

