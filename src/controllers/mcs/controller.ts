// Karmada's ServiceExport/ServiceImport controllers (pkg/controllers/mcs): service-export-controller
// reports the EndpointSlices of exported Services from the members as suspended Works,
// endpointslice-controller turns those Works into the control plane's imported-<cluster>-<slice>
// EndpointSlices of derived-<service>, and service-import-controller keeps the derived-<name>
// Service of each ServiceImport (the dependencies distributor then carries both to the importers).
import { randomUUID } from 'node:crypto';
import { isAlreadyExists, isNotFound, isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { endpointSliceGVR, serviceGVR } from '../../apis/builtin/gvr.js';
import { clusterGVR, serviceImportGVR, workGVR } from '../../apis/karmada/gvr.js';
import {
  EndpointSliceControllerFinalizer,
  LabelServiceName,
  ServiceExportKind,
  ServiceNameLabel,
  ServiceNamespaceLabel,
  derivedServiceName,
  isEndpointSliceManagedByKarmada,
} from '../../apis/karmada/networking.js';
import { WorkApplied, WorkPermanentIDLabel, clusterOfExecutionSpace, executionSpaceName, type Work } from '../../apis/karmada/work.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import { splitKey, type ReconcileResult } from '../../runtime/controller.js';
import type { Informer } from '../../runtime/informer.js';
import { createOrUpdateWork } from '../binding/work.js';
import { servesCluster, type ControllerContext } from '../context.js';
import { isClusterReady } from '../execution/controller.js';
import { findCondition, jsonEqual } from '../execution/status.js';
import { collectedWork, collectedWorkName, derivedService, derivedServiceStatus, importedEndpointSlice, isCollectedBy, releaseCollectedWork, type Collector } from './collect.js';
import { memberInformers, type MemberInformers } from './members.js';

export const ServiceExportControllerName = 'service-export-controller';
export const EndpointSliceControllerName = 'endpointslice-controller';
export const ServiceImportControllerName = 'service-import-controller';
const EventReasonSyncDerivedServiceSucceed = 'SyncDerivedServiceSucceed';
const EventReasonSyncDerivedServiceFailed = 'SyncDerivedServiceFailed';

const manifestKinds = (w: KubeObject) => ((w as Work).spec?.workload?.manifests ?? []).map((m) => m.kind);

/** `cluster|namespace/name`: one exported (or MultiClusterService) Service of one member */
export const memberKey = (cluster: string, namespace: string, name: string) => `${cluster}|${namespace}/${name}`;
export function parseMemberKey(key: string): { cluster: string; namespace: string; name: string } {
  const [cluster, rest] = key.split('|') as [string, string];
  const { namespace, name } = splitKey(rest);
  return { cluster, namespace: namespace ?? '', name };
}

/** the member's ready Cluster the collectors may read from, or undefined */
export function collectableCluster(ctx: Pick<ControllerContext, 'pullCluster'>, clusters: Informer, name: string): (Cluster & KubeObject) | undefined {
  const c = clusters.get(name) as (Cluster & KubeObject) | undefined;
  // a Pull cluster is read by its own agent (Karmada's agent runs these collectors), not from here
  return c && !c.metadata.deletionTimestamp && isClusterReady(c) && servesCluster(ctx, c) ? c : undefined;
}

/**
 * Brings the Works `by` collects for one Service of one member in line with the member's slices:
 * one Work per slice (not Karmada's own), the others released.
 */
export async function syncCollectedWorks(ctx: ControllerContext, works: Informer, o: { cluster: string; namespace: string; service: string; by: Collector; slices: KubeObject[]; mine: (w: KubeObject) => boolean }): Promise<void> {
  const es = executionSpaceName(o.cluster);
  const wanted = new Set<string>();
  for (const slice of o.slices) {
    if (isEndpointSliceManagedByKarmada(slice.metadata.labels)) continue;
    const name = collectedWorkName(slice);
    wanted.add(name);
    const existing = works.get(`${es}/${name}`) as Work | undefined;
    if (existing?.metadata.deletionTimestamp) continue;
    await createOrUpdateWork(ctx.client, collectedWork({ cluster: o.cluster, slice, by: o.by, permanentId: randomUUID(), existing }), existing);
  }
  for (const w of works.list((w) => w.metadata.namespace === es && o.mine(w) && isCollectedBy(w, o.by) && !wanted.has(w.metadata.name!))) await releaseWork(ctx, w as Work, o.by);
}

export async function releaseWork(ctx: ControllerContext, work: Work, by: Collector): Promise<void> {
  const next = releaseCollectedWork(work, by);
  try {
    if (next === 'delete') await ctx.client.delete(workGVR, work.metadata.name!, { namespace: work.metadata.namespace });
    else await ctx.client.replace(next);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export function registerServiceExportController(ctx: ControllerContext, members: MemberInformers = memberInformers(ctx)): void {
  const works = ctx.manager.informer(ctx.client, workGVR);
  const clusters = ctx.manager.informer(ctx.client, clusterGVR);
  const exportOf = (w: KubeObject) => (w as Work).spec?.workload?.manifests?.find((m) => m.kind === ServiceExportKind);
  const controller = newControllerManagedBy(ctx.manager, ServiceExportControllerName, ctx.client)
    .watches(works, (w) => {
      const cluster = clusterOfExecutionSpace(w.metadata.namespace);
      const se = exportOf(w);
      return cluster && se ? memberKey(cluster, se.metadata.namespace ?? '', se.metadata.name!) : undefined;
    })
    .watches(clusters, (c) => works.list((w) => w.metadata.namespace === executionSpaceName(c.metadata.name!) && !!exportOf(w)).map((w) => memberKey(c.metadata.name!, exportOf(w)!.metadata.namespace ?? '', exportOf(w)!.metadata.name!)), {
      update: (c, old) => isClusterReady(c as Cluster) !== isClusterReady(old as Cluster),
    })
    .workers(2)
    .logger(ctx.log)
    .complete((key) => reconcile(key));
  members.subscribe((cluster, resource, obj) => {
    const ns = obj.metadata.namespace ?? '';
    if (resource === 'serviceexports') controller.enqueue(memberKey(cluster, ns, obj.metadata.name!));
    else if (obj.metadata.labels?.[LabelServiceName] && !isEndpointSliceManagedByKarmada(obj.metadata.labels)) controller.enqueue(memberKey(cluster, ns, obj.metadata.labels[LabelServiceName]));
  });

  async function reconcile(key: string): Promise<ReconcileResult> {
    const { cluster: clusterName, namespace, name } = parseMemberKey(key);
    const cluster = collectableCluster(ctx, clusters, clusterName);
    if (!cluster) return;
    const exportWork = works.list((w) => w.metadata.namespace === executionSpaceName(clusterName) && exportOf(w)?.metadata.name === name && (exportOf(w)?.metadata.namespace ?? '') === namespace)[0] as Work | undefined;
    // the member's informers start once a ServiceExport has been applied there
    if (!members.synced(clusterName, 'serviceexports')) {
      if (!exportWork || findCondition(exportWork.status?.conditions, WorkApplied)?.status !== 'True') return;
      await members.informer(cluster, 'serviceexports');
      await members.informer(cluster, 'endpointslices');
    }
    const exportsInf = members.synced(clusterName, 'serviceexports');
    const slicesInf = members.synced(clusterName, 'endpointslices');
    if (!exportsInf || !slicesInf) return { requeueAfter: 100 };
    const mine = (w: KubeObject) => w.metadata.labels?.[ServiceNamespaceLabel] === namespace && w.metadata.labels?.[ServiceNameLabel] === name;
    const exported = exportsInf.get(`${namespace}/${name}`);
    const slices = exported ? slicesInf.list((s) => s.metadata.namespace === namespace && s.metadata.labels?.[LabelServiceName] === name) : [];
    await syncCollectedWorks(ctx, works, { cluster: clusterName, namespace, service: name, by: ServiceExportKind, slices, mine });
  }
}

export function registerEndpointSliceController(ctx: ControllerContext): void {
  const works = ctx.manager.informer(ctx.client, workGVR);
  const slices = ctx.manager.informer(ctx.client, endpointSliceGVR);
  const ours = (w: KubeObject) => !!w.metadata.labels?.[ServiceNameLabel] || (w.metadata.finalizers ?? []).includes(EndpointSliceControllerFinalizer);
  newControllerManagedBy(ctx.manager, EndpointSliceControllerName, ctx.client)
    .for(works, { filter: ours })
    .workers(2)
    .logger(ctx.log)
    .complete(async (key) => {
      const work = works.get(key) as Work | undefined;
      const cluster = clusterOfExecutionSpace(work?.metadata.namespace);
      if (!work || !cluster) return;
      const id = work.metadata.labels?.[WorkPermanentIDLabel];
      const desired = work.metadata.deletionTimestamp ? undefined : importedEndpointSlice(work, cluster);
      if (!desired) {
        for (const s of slices.list((s) => !!id && s.metadata.labels?.[WorkPermanentIDLabel] === id)) {
          await ctx.client.delete(endpointSliceGVR, s.metadata.name!, { namespace: s.metadata.namespace }).catch((err) => {
            if (!isNotFound(err)) throw err;
          });
        }
        if ((work.metadata.finalizers ?? []).includes(EndpointSliceControllerFinalizer)) {
          await ctx.client.patch(workGVR, work.metadata.name!, { metadata: { finalizers: work.metadata.finalizers!.filter((f) => f !== EndpointSliceControllerFinalizer), resourceVersion: work.metadata.resourceVersion } }, { namespace: work.metadata.namespace });
        }
        return;
      }
      await applySlice(ctx, slices, desired);
    });
}

/** an EndpointSlice created, or replaced when it differs (metadata beyond labels and annotations is the server's) */
export async function applySlice(ctx: ControllerContext, cache: Informer, desired: KubeObject): Promise<void> {
  const live = cache.get(`${desired.metadata.namespace}/${desired.metadata.name}`);
  if (!live) {
    try {
      await ctx.client.create(desired, { namespace: desired.metadata.namespace });
      return;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  const current = live ?? (await ctx.client.get(endpointSliceGVR, desired.metadata.name!, { namespace: desired.metadata.namespace }));
  const { metadata: dm, ...dBody } = desired;
  const { metadata: lm, ...lBody } = current;
  if (jsonEqual(dBody, lBody) && jsonEqual(dm.labels ?? {}, lm.labels ?? {}) && jsonEqual(dm.annotations ?? {}, lm.annotations ?? {})) return;
  await ctx.client.replace({ ...desired, metadata: { ...lm, labels: dm.labels, annotations: dm.annotations } });
}

export function registerServiceImportController(ctx: ControllerContext): void {
  const imports = ctx.manager.informer(ctx.client, serviceImportGVR);
  const services = ctx.manager.informer(ctx.client, serviceGVR);
  newControllerManagedBy(ctx.manager, ServiceImportControllerName, ctx.client)
    .for(imports)
    .watches(services, (s) => (s.metadata.name?.startsWith('derived-') ? `${s.metadata.namespace}/${s.metadata.name.slice('derived-'.length)}` : undefined), { update: () => false })
    .workers(2)
    .logger(ctx.log)
    .complete(async (key) => {
      const { namespace, name } = splitKey(key);
      const si = imports.get(key);
      const derivedKey = `${namespace}/${derivedServiceName(name)}`;
      const live = services.get(derivedKey);
      if (!si) {
        if (live) await ctx.client.delete(serviceGVR, live.metadata.name!, { namespace }).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
        return;
      }
      if (si.metadata.deletionTimestamp || (si.spec as { type?: string } | undefined)?.type !== 'ClusterSetIP') return;
      try {
        const desired = derivedService(si, live);
        let written: KubeObject;
        if (!live) written = await ctx.client.create(desired, { namespace });
        else if (!jsonEqual(desired.spec, live.spec)) written = await ctx.client.replace(desired);
        else written = live;
        const status = derivedServiceStatus(si);
        const liveLB = (written.status as { loadBalancer?: object } | undefined)?.loadBalancer ?? {};
        if (!jsonEqual(status.loadBalancer, liveLB)) {
          await ctx.client.updateStatus({ ...written, status });
        }
      } catch (err) {
        if (isStatusError(err, 'Conflict')) return { requeueAfter: 0 };
        ctx.events.record(si, 'Warning', EventReasonSyncDerivedServiceFailed, String((err as Error).message ?? err));
        throw err;
      }
      if (!live) ctx.events.record(si, 'Normal', EventReasonSyncDerivedServiceSucceed, `Sync derived service for serviceImport(${name}) succeed.`);
    });
}
