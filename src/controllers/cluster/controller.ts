// The cluster controller (Karmada's pkg/controllers/cluster): for every Cluster it keeps the
// execution namespace karmada-es-<cluster>, the finalizer karmada.io/cluster-controller and the
// not-ready/unreachable NoSchedule taints that follow the Ready condition. When a Cluster is
// deleted it removes the Works of its execution namespace and the namespace, then the finalizer
// (a ready Pull cluster's Works first: its agent finalizes them with a Role in that namespace).
import { deepCopyJson } from '../../apimachinery/clone.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../apimachinery/errors.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import { TaintClusterTerminating, type Cluster, type Taint } from '../../apis/karmada/cluster.js';
import { clusterOfExecutionSpace, executionSpaceName } from '../../apis/karmada/work.js';
import type { KubeClient } from '../../runtime/client.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ReconcileResult } from '../../runtime/controller.js';
import type { ControllerContext } from '../context.js';
import { monitorHealth, type HealthRecord } from './health.js';
import { desiredTaints } from './taints.js';
import { clusterGVR, clusterResourceBindingGVR, resourceBindingGVR, workGVR } from '../../apis/karmada/gvr.js';
import { ClusterControllerFinalizer, ExecutionControllerFinalizer, KarmadaSystemLabel } from '../../apis/karmada/wellknown.js';
import { isClusterReady } from '../execution/controller.js';
import { leaseGVR, namespaceGVR } from '../../apis/builtin/gvr.js';

export const ControllerName = 'cluster-controller';

const EventReasonCreateExecutionSpaceSucceed = 'CreateExecutionSpaceSucceed';
const EventReasonCreateExecutionSpaceFailed = 'CreateExecutionSpaceFailed';
const EventReasonRemoveExecutionSpaceSucceed = 'RemoveExecutionSpaceSucceed';
const EventReasonRemoveExecutionSpaceFailed = 'RemoveExecutionSpaceFailed';
const EventReasonTaintClusterSucceed = 'TaintClusterSucceed';
const EventReasonTaintClusterFailed = 'TaintClusterFailed';

function notFoundIsFine(err: unknown): undefined {
  if (isNotFound(err)) return undefined;
  throw err;
}

/** PUT of `mutate(cluster)`; on a conflict, once more on a fresh read */
async function updateCluster(client: KubeClient, cached: Cluster, mutate: (c: Cluster) => boolean): Promise<void> {
  let cluster = deepCopyJson(cached);
  for (let attempt = 0; ; attempt++) {
    if (!mutate(cluster)) return;
    try {
      await client.replace(cluster);
      return;
    } catch (err) {
      if (attempt > 0 || !isConflict(err)) throw err;
      cluster = await client.get<Cluster>(clusterGVR, cached.metadata.name);
    }
  }
}

interface ClusterControllerOptions {
  /** how often Pull clusters' health is looked at (--cluster-monitor-period, default 5s) */
  monitorPeriodMs?: number;
  /** silence after which a Pull cluster is Ready=Unknown (--cluster-monitor-grace-period, default 40s) */
  monitorGracePeriodMs?: number;
  /** the same for a cluster that never posted status (--cluster-startup-grace-period, default 60s) */
  startupGracePeriodMs?: number;
  /** a deleting cluster keeps its finalizer while bindings still target it (as with --enable-taint-manager, default true) */
  waitForBindingsOnDelete?: boolean;
  /** how often a deleting cluster's bindings are looked at again (--cleanup-check-interval, default 10s) */
  cleanupCheckIntervalMs?: number;
}

/** put on a cluster being deleted */
const terminatingTaint: Taint = { key: TaintClusterTerminating, effect: 'NoExecute' };

const leaseNamespace = 'karmada-cluster';

export function registerClusterController(ctx: ControllerContext, options: ClusterControllerOptions = {}): void {
  const { client, manager, events } = ctx;
  const monitorPeriodMs = options.monitorPeriodMs ?? 5_000;
  const waitForBindings = options.waitForBindingsOnDelete ?? true;
  const cleanupCheckIntervalMs = options.cleanupCheckIntervalMs ?? 10_000;
  const timings = { gracePeriodMs: options.monitorGracePeriodMs ?? 40_000, startupGracePeriodMs: options.startupGracePeriodMs ?? 60_000 };
  const clusters = manager.informer(client, clusterGVR);
  const namespaces = manager.informer(client, namespaceGVR);
  const rbInformer = manager.informer(client, resourceBindingGVR);
  const crbInformer = manager.informer(client, clusterResourceBindingGVR);

  const ensureExecutionSpace = async (cluster: Cluster) => {
    const name = executionSpaceName(cluster.metadata.name);
    if (namespaces.get(name)) return;
    try {
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [KarmadaSystemLabel]: 'true' } } });
      events.record(cluster, 'Normal', EventReasonCreateExecutionSpaceSucceed, `Created execution space(${name}) for cluster(${cluster.metadata.name}).`);
    } catch (err) {
      if (isAlreadyExists(err)) return;
      events.record(cluster, 'Warning', EventReasonCreateExecutionSpaceFailed, (err as Error).message);
      throw err;
    }
  };

  /** taints from the Ready condition and the finalizer, in one update */
  const syncClusterSpec = async (cluster: Cluster) => {
    let tainted: string[] | undefined;
    const mutate = (c: Cluster) => {
      const taints = desiredTaints(c, rfc3339Now());
      const finalizers = c.metadata.finalizers ?? [];
      const needsFinalizer = !finalizers.includes(ClusterControllerFinalizer);
      if (!taints && !needsFinalizer) return false;
      if (taints) c.spec.taints = taints;
      if (needsFinalizer) c.metadata.finalizers = [...finalizers, ClusterControllerFinalizer];
      tainted = taints?.map((t) => `${t.key}:${t.effect}`);
      return true;
    };
    try {
      await updateCluster(client, cluster, mutate);
    } catch (err) {
      if (tainted) events.record(cluster, 'Warning', EventReasonTaintClusterFailed, (err as Error).message);
      throw err;
    }
    if (tainted) events.record(cluster, 'Normal', EventReasonTaintClusterSucceed, `Taint cluster succeed: [${tainted.join(', ')}].`);
  };

  /** bindings whose spec.clusters still name the cluster */
  const bindingsTargeting = (name: string) =>
    [rbInformer, crbInformer].flatMap((inf) => inf.list((b) => ((b as ResourceBinding).spec?.clusters ?? []).some((c) => c.name === name)));

  const removeExecutionFinalizer = async (work: KubeObject) => {
    const finalizers = work.metadata.finalizers ?? [];
    if (!finalizers.includes(ExecutionControllerFinalizer)) return;
    await client.replace({ ...work, metadata: { ...work.metadata, finalizers: finalizers.filter((f) => f !== ExecutionControllerFinalizer) } }).catch(notFoundIsFine);
  };

  const removeCluster = async (cluster: Cluster): Promise<ReconcileResult> => {
    if (!(cluster.metadata.finalizers ?? []).includes(ClusterControllerFinalizer)) return;
    const namespace = executionSpaceName(cluster.metadata.name);
    // NoExecute: the taint manager evicts what still runs there, the scheduler places nothing new
    await updateCluster(client, cluster, (c) => {
      if ((c.spec.taints ?? []).some((t) => t.key === terminatingTaint.key && t.effect === terminatingTaint.effect)) return false;
      c.spec.taints = [...(c.spec.taints ?? []), { ...terminatingTaint, timeAdded: rfc3339Now() }];
      return true;
    }).catch(notFoundIsFine);
    try {
      const works = await client.list(workGVR, { namespace }).catch((err) => (isNotFound(err) ? { items: [] as KubeObject[] } : Promise.reject(err)));
      const pull = cluster.spec.syncMode === 'Pull';
      const ready = isClusterReady(cluster);
      // an unready Pull cluster's agent cannot finalize its Works: let them go (Karmada's deleteFinalizerForWorks)
      if (pull && !ready) {
        for (const w of works.items) await removeExecutionFinalizer(w);
      }
      for (const w of works.items) {
        if (!w.metadata.deletionTimestamp) await client.delete(workGVR, w.metadata.name!, { namespace }).catch(notFoundIsFine);
      }
      // a ready Pull cluster's agent finalizes its Works through the Role it holds in the execution
      // space: deleting the namespace now could take that Role first and leave the Works stuck
      if (pull && ready && works.items.length > 0) return { requeueAfter: 500 };
      const ns = await client.get(namespaceGVR, namespace).catch(notFoundIsFine);
      if (ns) {
        if (!ns.metadata.deletionTimestamp) {
          await client.delete(namespaceGVR, namespace).catch(notFoundIsFine);
          events.record(cluster, 'Normal', EventReasonRemoveExecutionSpaceSucceed, `Removed execution space(${namespace}) for cluster(${cluster.metadata.name}).`);
        }
        // the namespace finalizer still has to empty it
        return { requeueAfter: 500 };
      }
    } catch (err) {
      events.record(cluster, 'Warning', EventReasonRemoveExecutionSpaceFailed, (err as Error).message);
      throw err;
    }
    // the scheduler moves bindings off a deleting cluster; the cluster goes once none targets it
    if (waitForBindings && bindingsTargeting(cluster.metadata.name).length > 0) return { requeueAfter: cleanupCheckIntervalMs };
    await updateCluster(client, cluster, (c) => {
      const finalizers = c.metadata.finalizers ?? [];
      if (!finalizers.includes(ClusterControllerFinalizer)) return false;
      c.metadata.finalizers = finalizers.filter((f) => f !== ClusterControllerFinalizer);
      return true;
    }).catch(notFoundIsFine);
  };

  // a deleting cluster waits for bindings to leave it: look again when one does
  const deletingTargets = (b: KubeObject) =>
    ((b as ResourceBinding).spec?.clusters ?? []).map((c) => c.name).filter((name) => (clusters.get(name) as Cluster | undefined)?.metadata.deletionTimestamp);
  newControllerManagedBy(manager, ControllerName, client)
    .for(clusterGVR)
    // an execution space deleted by hand comes back
    .watches(namespaceGVR, (ns) => clusterOfExecutionSpace(ns.metadata.name))
    .watches(resourceBindingGVR, deletingTargets)
    .watches(clusterResourceBindingGVR, deletingTargets)
    .workers(2)
    .logger(ctx.log)
    .complete(async (key) => {
      const cluster = clusters.get(key) as Cluster | undefined;
      if (!cluster) return;
      if (cluster.metadata.deletionTimestamp) return removeCluster(cluster);
      await ensureExecutionSpace(cluster);
      await syncClusterSpec(cluster);
    });

  // Pull clusters: Ready=Unknown once their agent has been silent for the grace period
  const leases = manager.informer(client, { ...leaseGVR, namespace: leaseNamespace });
  const health = new Map<string, HealthRecord>();
  newControllerManagedBy(manager, 'cluster-health-monitor', client)
    .for(clusterGVR, { filter: (c) => (c as Cluster).spec?.syncMode === 'Pull' })
    .logger(ctx.log)
    .complete(async (key) => {
      const cluster = clusters.get(key) as Cluster | undefined;
      if (!cluster || cluster.spec.syncMode !== 'Pull') {
        health.delete(key);
        return;
      }
      const lease = leases.get(`${leaseNamespace}/${key}`) as (KubeObject & { spec?: { renewTime?: string } }) | undefined;
      const { record, ready } = monitorHealth(cluster, health.get(key), lease?.spec?.renewTime, Date.now(), timings, rfc3339Now());
      health.set(key, record);
      if (ready) {
        const conditions = [...(cluster.status?.conditions ?? []).filter((c) => c.type !== ready.type), ready];
        try {
          await client.updateStatus({ ...cluster, status: { ...(cluster.status ?? {}), conditions } });
          // our own write is no sign of life
          health.set(key, { ...record, readyCondition: JSON.stringify(ready) });
        } catch (err) {
          // the agent wrote meanwhile: look again next period
          if (!isConflict(err)) throw err;
        }
      }
      return { requeueAfter: monitorPeriodMs };
    });
}
