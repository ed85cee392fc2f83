// Karmada's MultiClusterService controllers (pkg/controllers/multiclusterservice): the
// multiclusterservice controller claims the Service and binds it to providers and consumers and
// gives providers the MCS as a suspended Work (ServiceApplied); endpointslice-collect reports the
// providers' EndpointSlices as Works; endpointslice-dispatch copies each to the consumers as
// `<provider>-<slice>` (EndpointSliceDispatched), except from a cluster under TrafficControl.
import { randomUUID } from 'node:crypto';
import { isAlreadyExists, isNotFound, isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { serviceGVR } from '../../apis/builtin/gvr.js';
import { clusterGVR, multiClusterServiceGVR, resourceBindingGVR, workGVR } from '../../apis/karmada/gvr.js';
import {
  EndpointSliceDispatchedConditionType,
  EndpointSliceProvisionClusterAnnotation,
  LabelServiceName,
  MCSControllerFinalizer,
  MCSEndpointSliceDispatchControllerFinalizer,
  MCSServiceAppliedConditionType,
  MultiClusterServiceKind,
  MultiClusterServiceNameLabel,
  MultiClusterServiceNamespaceLabel,
  MultiClusterServicePermanentIDLabel,
  isEndpointSliceManagedByKarmada,
  type MultiClusterService,
} from '../../apis/karmada/networking.js';
import { clusterOfExecutionSpace, executionSpaceName, type Work } from '../../apis/karmada/work.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import { splitKey, type ReconcileResult } from '../../runtime/controller.js';
import type { Informer } from '../../runtime/informer.js';
import { createOrUpdateWork } from '../binding/work.js';
import type { ControllerContext } from '../context.js';
import { isClusterReady } from '../execution/controller.js';
import { setCondition, updateStatus } from '../execution/status.js';
import { collectableCluster, memberInformers, memberKey, parseMemberKey, releaseWork, syncCollectedWorks } from '../mcs/index.js';
import { generateBindingName } from '../binding/names.js';
import { withoutClaim, claimedService, consumerClusters, consumerWork, crossClusterEnabled, providerClusters, providerWork, serviceBinding, trafficControlled } from './render.js';

export const MCSControllerName = 'multiclusterservice-controller';
export const EndpointSliceCollectControllerName = 'endpointslice-collect-controller';
export const EndpointSliceDispatchControllerName = 'endpointslice-dispatch-controller';
const EventReasonSyncServiceSucceed = 'SyncServiceSucceed';
const EventReasonSyncServiceFailed = 'SyncServiceFailed';
const EventReasonDispatchEndpointSliceSucceed = 'DispatchEndpointSliceSucceed';
const EventReasonDispatchEndpointSliceFailed = 'DispatchEndpointSliceFailed';
const EventReasonClusterNotFound = 'ClusterNotFound';

const isMCSWork = (w: KubeObject) => ((w as Work).spec?.workload?.manifests ?? []).some((m) => m.kind === MultiClusterServiceKind);
const isSliceWork = (w: KubeObject) => ((w as Work).spec?.workload?.manifests ?? []).some((m) => m.kind === 'EndpointSlice');
const mcsOfWork = (w: KubeObject) => {
  const name = w.metadata.labels?.[MultiClusterServiceNameLabel];
  return name ? `${w.metadata.labels?.[MultiClusterServiceNamespaceLabel] ?? ''}/${name}` : undefined;
};
const ignoreNotFound = (err: unknown) => {
  if (!isNotFound(err)) throw err;
};

async function setMCSCondition(ctx: ControllerContext, mcs: MultiClusterService, type: string, status: 'True' | 'False', reason: string, message: string): Promise<void> {
  await updateStatus<MultiClusterService>(ctx.client, multiClusterServiceGVR, mcs.metadata.name!, mcs.metadata.namespace, (o) => {
    const next = setCondition(o.status?.conditions, { type, status, reason, message, lastTransitionTime: undefined as unknown as string });
    if (JSON.stringify(next.map((c) => [c.type, c.status, c.reason, c.message])) === JSON.stringify((o.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]))) return false;
    o.status = { ...o.status, conditions: next };
    return true;
  });
}

/** how a step of a reconcile shows on the MultiClusterService: its condition and event, either way */
interface ReportedStep {
  condition: string;
  succeeded: { reason: string; event: string; message: string };
  failed: { reason: string; event: string };
}

/** runs the step, then sets its condition and records its event (the error's message when it fails); a conflict only retries */
async function reportStep(ctx: ControllerContext, mcs: MultiClusterService, step: ReportedStep, body: () => Promise<void>): Promise<ReconcileResult> {
  try {
    await body();
  } catch (err) {
    if (isStatusError(err, 'Conflict')) return { requeueAfter: 0 };
    const message = (err as Error).message ?? String(err);
    await setMCSCondition(ctx, mcs, step.condition, 'False', step.failed.reason, message);
    ctx.events.record(mcs, 'Warning', step.failed.event, message);
    throw err;
  }
  await setMCSCondition(ctx, mcs, step.condition, 'True', step.succeeded.reason, step.succeeded.message);
  ctx.events.record(mcs, 'Normal', step.succeeded.event, step.succeeded.message);
}

const serviceApplied: ReportedStep = {
  condition: MCSServiceAppliedConditionType,
  succeeded: { reason: 'ServiceAppliedSucceed', event: EventReasonSyncServiceSucceed, message: 'Service is propagated to target clusters.' },
  failed: { reason: 'ServiceAppliedFailed', event: EventReasonSyncServiceFailed },
};

const endpointSliceDispatched: ReportedStep = {
  condition: EndpointSliceDispatchedConditionType,
  succeeded: { reason: 'EndpointSliceDispatchedSucceed', event: EventReasonDispatchEndpointSliceSucceed, message: 'EndpointSlice are dispatched successfully' },
  failed: { reason: 'EndpointSliceDispatchedFailed', event: EventReasonDispatchEndpointSliceFailed },
};

async function setFinalizer(ctx: ControllerContext, obj: KubeObject, gvr: { group: string; version: string; resource: string }, finalizer: string, present: boolean): Promise<void> {
  const has = (obj.metadata.finalizers ?? []).includes(finalizer);
  if (has === present) return;
  const finalizers = present ? [...(obj.metadata.finalizers ?? []), finalizer] : (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  await ctx.client.patch(gvr, obj.metadata.name!, { metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion } }, { namespace: obj.metadata.namespace }).catch(ignoreNotFound);
}

export function registerMCSController(ctx: ControllerContext): void {
  const mcses = ctx.manager.informer(ctx.client, multiClusterServiceGVR);
  const services = ctx.manager.informer(ctx.client, serviceGVR);
  const clusters = ctx.manager.informer(ctx.client, clusterGVR);
  const works = ctx.manager.informer(ctx.client, workGVR);
  const bindings = ctx.manager.informer(ctx.client, resourceBindingGVR);
  newControllerManagedBy(ctx.manager, MCSControllerName, ctx.client)
    .for(mcses, { update: (o, old) => o.metadata.generation !== old.metadata.generation || o.metadata.deletionTimestamp !== old.metadata.deletionTimestamp })
    .watches(services, (s) => (mcses.get(`${s.metadata.namespace}/${s.metadata.name}`) ? `${s.metadata.namespace}/${s.metadata.name}` : undefined))
    .watches(clusters, () => mcses.list().map((m) => `${m.metadata.namespace}/${m.metadata.name}`), { update: (c, old) => isClusterReady(c as Cluster) !== isClusterReady(old as Cluster) })
    .workers(2)
    .logger(ctx.log)
    .complete((key) => reconcile(key));

  /** MCS Works in clusters that are no longer providers, with the EndpointSlice Works collected there */
  async function retrieveWorks(mcs: MultiClusterService, keep: Set<string>): Promise<void> {
    const id = mcs.metadata.labels?.[MultiClusterServicePermanentIDLabel];
    for (const w of works.list((w) => isMCSWork(w) && !!id && w.metadata.labels?.[MultiClusterServicePermanentIDLabel] === id)) {
      const cluster = clusterOfExecutionSpace(w.metadata.namespace);
      if (!cluster || keep.has(cluster)) continue;
      for (const c of works.list((c) => c.metadata.namespace === w.metadata.namespace && isSliceWork(c) && mcsOfWork(c) === `${mcs.metadata.namespace}/${mcs.metadata.name}` && !c.metadata.annotations?.[EndpointSliceProvisionClusterAnnotation])) await releaseWork(ctx, c as Work, MultiClusterServiceKind);
      await ctx.client.delete(workGVR, w.metadata.name!, { namespace: w.metadata.namespace }).catch(ignoreNotFound);
    }
  }

  /** the Service and its binding given back to policies */
  async function retrieveService(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    for (const obj of [services.get(key), bindings.get(`${namespace}/${generateBindingName('Service', name)}`)]) {
      const released = obj && withoutClaim(obj);
      if (released) await ctx.client.replace(released).catch(ignoreNotFound);
    }
  }

  async function reconcile(key: string): Promise<ReconcileResult> {
    const mcs = mcses.get(key) as MultiClusterService | undefined;
    if (!mcs) return;
    if (mcs.metadata.deletionTimestamp || !crossClusterEnabled(mcs)) {
      await retrieveService(key);
      await retrieveWorks(mcs, new Set());
      await setFinalizer(ctx, mcs, multiClusterServiceGVR, MCSControllerFinalizer, false);
      return;
    }
    await setFinalizer(ctx, mcs, multiClusterServiceGVR, MCSControllerFinalizer, true);
    const all = clusters.list().map((c) => c.metadata.name!);
    const providers = providerClusters(mcs, all);
    const consumers = consumerClusters(mcs, all);
    return reportStep(ctx, mcs, serviceApplied, async () => {
      for (const name of providers) {
        const cluster = clusters.get(name) as (Cluster & KubeObject) | undefined;
        if (!cluster) {
          ctx.events.record(mcs, 'Warning', EventReasonClusterNotFound, `Provider cluster ${name} is not found`);
          continue;
        }
        if (!isClusterReady(cluster)) {
          ctx.events.record(mcs, 'Warning', EventReasonSyncServiceFailed, `Provider cluster ${name} is not ready, skip to propagate MultiClusterService`);
          continue;
        }
        const w = providerWork(mcs, name, randomUUID());
        await createOrUpdateWork(ctx.client, w, works.get(`${w.metadata.namespace}/${w.metadata.name}`) as Work | undefined);
      }
      await retrieveWorks(mcs, providers);
      const svc = services.get(key);
      if (!svc) throw new Error(`services "${mcs.metadata.name}" not found`);
      const claimed = claimedService(svc, mcs);
      if (claimed) await ctx.client.replace(claimed);
      const binding = serviceBinding(svc, mcs, new Set([...providers, ...consumers]));
      const live = bindings.get(`${binding.metadata.namespace}/${binding.metadata.name}`) as ResourceBinding | undefined;
      if (!live) {
        await ctx.client.create(binding, { namespace: binding.metadata.namespace }).catch((err) => {
          if (!isAlreadyExists(err)) throw err;
        });
      } else if (JSON.stringify([live.spec.placement, live.spec.resource.uid]) !== JSON.stringify([binding.spec.placement, binding.spec.resource.uid])) {
        await ctx.client.replace({ ...live, metadata: { ...live.metadata, labels: { ...live.metadata.labels, ...binding.metadata.labels }, annotations: { ...live.metadata.annotations, ...binding.metadata.annotations } }, spec: { ...live.spec, placement: binding.spec.placement, resource: binding.spec.resource, conflictResolution: 'Overwrite' } });
      }
    });
  }
}

export function registerEndpointSliceCollectController(ctx: ControllerContext): void {
  const works = ctx.manager.informer(ctx.client, workGVR);
  const clusters = ctx.manager.informer(ctx.client, clusterGVR);
  const members = memberInformers(ctx);
  const mcsWorkKey = (w: KubeObject) => {
    const cluster = clusterOfExecutionSpace(w.metadata.namespace);
    const name = w.metadata.labels?.[MultiClusterServiceNameLabel];
    return cluster && name && isMCSWork(w) ? memberKey(cluster, w.metadata.labels?.[MultiClusterServiceNamespaceLabel] ?? '', name) : undefined;
  };
  const controller = newControllerManagedBy(ctx.manager, EndpointSliceCollectControllerName, ctx.client)
    .watches(works, mcsWorkKey)
    .watches(clusters, (c) => works.list((w) => w.metadata.namespace === executionSpaceName(c.metadata.name!)).map(mcsWorkKey).filter((k): k is string => !!k), { update: (c, old) => isClusterReady(c as Cluster) !== isClusterReady(old as Cluster) })
    .workers(3)
    .logger(ctx.log)
    .complete((key) => reconcile(key));
  members.subscribe((cluster, resource, obj) => {
    const svc = obj.metadata.labels?.[LabelServiceName];
    if (resource === 'endpointslices' && svc && !isEndpointSliceManagedByKarmada(obj.metadata.labels)) controller.enqueue(memberKey(cluster, obj.metadata.namespace ?? '', svc));
  });

  async function reconcile(key: string): Promise<ReconcileResult> {
    const { cluster: clusterName, namespace, name } = parseMemberKey(key);
    const cluster = collectableCluster(ctx, clusters, clusterName);
    if (!cluster) return;
    const es = executionSpaceName(clusterName);
    const mine = (w: KubeObject) => w.metadata.labels?.[MultiClusterServiceNamespaceLabel] === namespace && w.metadata.labels?.[MultiClusterServiceNameLabel] === name;
    const mcsWork = works.list((w) => w.metadata.namespace === es && isMCSWork(w) && mine(w) && !w.metadata.deletionTimestamp)[0];
    let slices: KubeObject[] = [];
    if (mcsWork) {
      const inf: Informer = members.synced(clusterName, 'endpointslices') ?? (await members.informer(cluster, 'endpointslices'));
      if (!inf.hasSynced) return { requeueAfter: 100 };
      slices = inf.list((s) => s.metadata.namespace === namespace && s.metadata.labels?.[LabelServiceName] === name);
    }
    await syncCollectedWorks(ctx, works, { cluster: clusterName, namespace, service: name, by: MultiClusterServiceKind, slices, mine: (w) => mine(w) && isSliceWork(w) && !w.metadata.annotations?.[EndpointSliceProvisionClusterAnnotation] });
  }
}

export function registerEndpointSliceDispatchController(ctx: ControllerContext): void {
  const works = ctx.manager.informer(ctx.client, workGVR);
  const clusters = ctx.manager.informer(ctx.client, clusterGVR);
  const mcses = ctx.manager.informer(ctx.client, multiClusterServiceGVR);
  const collected = (w: KubeObject) => !!mcsOfWork(w) && isSliceWork(w) && !w.metadata.annotations?.[EndpointSliceProvisionClusterAnnotation];
  const keyOf = (w: KubeObject) => `${w.metadata.namespace}/${w.metadata.name}`;
  const clusterState = (c: KubeObject) => JSON.stringify([isClusterReady(c as Cluster), (c as Cluster).status?.remedyActions ?? []]);
  newControllerManagedBy(ctx.manager, EndpointSliceDispatchControllerName, ctx.client)
    .for(works, { filter: (w) => collected(w) || (w.metadata.finalizers ?? []).includes(MCSEndpointSliceDispatchControllerFinalizer) })
    .watches(mcses, (m) => works.list((w) => collected(w) && mcsOfWork(w) === `${m.metadata.namespace}/${m.metadata.name}`).map(keyOf))
    .watches(clusters, () => works.list(collected).map(keyOf), { update: (c, old) => clusterState(c) !== clusterState(old) })
    .workers(3)
    .logger(ctx.log)
    .complete((key) => reconcile(key));

  /** the consumer Works made from one collected Work, but for the consumers in `keep` */
  async function cleanupConsumers(name: string, provider: string, keep: Set<string>): Promise<void> {
    for (const w of works.list((w) => w.metadata.name === name && w.metadata.annotations?.[EndpointSliceProvisionClusterAnnotation] === provider)) {
      if (keep.has(clusterOfExecutionSpace(w.metadata.namespace) ?? '') || w.metadata.deletionTimestamp) continue;
      await ctx.client.delete(workGVR, w.metadata.name!, { namespace: w.metadata.namespace }).catch(ignoreNotFound);
    }
  }

  async function reconcile(key: string): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const provider = clusterOfExecutionSpace(namespace);
    if (!provider) return;
    const work = works.get(key) as Work | undefined;
    if (!work || work.metadata.deletionTimestamp || !mcsOfWork(work)) {
      await cleanupConsumers(name, provider, new Set());
      if (work) await setFinalizer(ctx, work, workGVR, MCSEndpointSliceDispatchControllerFinalizer, false);
      return;
    }
    const mcs = mcses.get(mcsOfWork(work)!) as MultiClusterService | undefined;
    if (!mcs) return;
    return reportStep(ctx, mcs, endpointSliceDispatched, async () => {
      const all = clusters.list().map((c) => c.metadata.name!);
      // a provider under TrafficControl sends its endpoints nowhere
      const consumers = trafficControlled(clusters.get(provider) as Cluster | undefined) ? new Set<string>() : consumerClusters(mcs, all);
      consumers.delete(provider);
      await cleanupConsumers(name, provider, consumers);
      for (const consumer of consumers) {
        const cluster = clusters.get(consumer) as Cluster | undefined;
        if (!cluster) {
          ctx.events.record(mcs, 'Warning', EventReasonClusterNotFound, `Consumer cluster ${consumer} is not found`);
          continue;
        }
        if (!isClusterReady(cluster)) {
          ctx.events.record(mcs, 'Warning', EventReasonSyncServiceFailed, `Consumer cluster ${consumer} is not ready, skip to propagate EndpointSlice`);
          continue;
        }
        const w = consumerWork(mcs, work, provider, consumer, randomUUID());
        if (w) await createOrUpdateWork(ctx.client, w, works.get(`${w.metadata.namespace}/${w.metadata.name}`) as Work | undefined);
      }
    });
  }
}
