// The taint manager (Karmada's pkg/controllers/cluster/taint_manager.go, gate Failover): a binding
// scheduled to a cluster with a NoExecute taint its placement does not tolerate (or tolerates for
// tolerationSeconds only) is evicted from it: the cluster leaves spec.clusters and a graceful
// eviction task (reason TaintUntolerated, producer TaintManager) keeps the old copy while the
// scheduler places the replicas elsewhere. Fails safe where Karmada does not: an eviction whose
// replicas the scheduler could place nowhere waits (condition and event), and one failed cluster
// has at most --eviction-rate bindings evicted per second.
import { isConflict } from '../../apimachinery/errors.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding, ResourceBindingSpec } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import {
  EventReasonEvictWorkloadFromClusterFailed,
  EventReasonEvictWorkloadFromClusterSucceed,
  EvictionProducerTaintManager,
  EvictionReasonTaintUntolerated,
  gracefullyEvictCluster,
  normalizePurgeMode,
} from '../../apis/karmada/eviction.js';
import { clusterGVR, clusterResourceBindingGVR, resourceBindingGVR } from '../../apis/karmada/gvr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import { objectKey } from '../../runtime/informer.js';
import type { ControllerContext } from '../context.js';
import { EvictionLimiter, noExecuteDecision } from './decide.js';
import { clearEvictionBlocked, describeDestinations, placeAfterEviction, setEvictionBlocked, templateOf } from '../common/failsafe.js';
import { evictionMetrics } from './metrics.js';

export const ControllerName = 'taint-manager';
/** a held-back eviction is looked at again this often (cluster changes also wake it) */
const blockedRetryMs = 15_000;

export function registerTaintManagerController(ctx: ControllerContext): void {
  if (ctx.features && !ctx.features.Failover) return;
  const { client, manager, events } = ctx;
  const limiter = new EvictionLimiter(ctx.failover?.evictionRate ?? 10);
  const defaultPurge = ctx.failover?.noExecuteTaintEvictionPurgeMode ?? 'Gracefully';
  const graceful = ctx.features?.GracefulEviction ?? true;
  const metrics = evictionMetrics(manager.registry);
  const clusters = manager.informer(client, clusterGVR);
  /** evictions due but not written yet (rate limit, fail safe), for the queue metrics */
  const pending = new Map<string, { cluster: string; kind: string; dueAt: number }>();
  const publishPending = () => {
    metrics.queueDepth.set({ name: ControllerName }, pending.size);
    metrics.kind.reset();
    for (const p of pending.values()) metrics.kind.inc({ member_cluster: p.cluster, resource_kind: p.kind });
  };

  for (const gvr of [resourceBindingGVR, clusterResourceBindingGVR]) {
    const bindings = manager.informer(client, gvr);
    const kind = gvr === resourceBindingGVR ? 'ResourceBinding' : 'ClusterResourceBinding';
    const onCluster = (c: KubeObject) => bindings.list((b) => ((b as ResourceBinding).spec?.clusters ?? []).some((t) => t.name === c.metadata.name)).map(objectKey);
    newControllerManagedBy(manager, `${ControllerName}-${kind === 'ResourceBinding' ? 'rb' : 'crb'}`, client)
      // what it reads of a binding is its spec (target clusters, tolerations): a status write, its own
      // EvictionBlocked condition among them, is nothing new (it reconciled every binding ~11 times)
      .for(gvr, { update: (b, old) => b.metadata.generation !== old.metadata.generation || b.metadata.deletionTimestamp !== old.metadata.deletionTimestamp })
      .watches(clusterGVR, onCluster, { update: (c, old) => JSON.stringify((c as Cluster).spec?.taints ?? []) !== JSON.stringify((old as Cluster).spec?.taints ?? []), deleted: () => false })
      .workers(2)
      .logger(ctx.log)
      .complete(async (key) => {
        const cached = bindings.get(key) as ResourceBinding | undefined;
        const pendingKey = `${kind}/${key}`;
        if (!cached || cached.metadata.deletionTimestamp || !cached.spec.placement) {
          if (pending.delete(pendingKey)) publishPending();
          return;
        }
        const binding: ResourceBinding = { apiVersion: 'work.karmada.io/v1alpha2', kind, ...cached };
        const now = Date.now();
        const tolerations = binding.spec.placement?.clusterTolerations ?? [];
        let wait = Infinity;
        let due: { cluster: string; reason: string } | undefined;
        for (const target of binding.spec.clusters ?? []) {
          const cluster = clusters.get(target.name) as Cluster | undefined;
          if (!cluster) continue;
          const d = noExecuteDecision(cluster.spec.taints ?? [], tolerations, now);
          if (d.action === 'wait') wait = Math.min(wait, d.ms);
          if (d.action === 'evict' && !due) due = { cluster: target.name, reason: d.reason };
        }
        if (!due) {
          if (pending.delete(pendingKey)) publishPending();
          await clearEvictionBlocked(client, binding);
          return Number.isFinite(wait) ? { requeueAfter: wait } : undefined;
        }
        const dueAt = pending.get(pendingKey)?.dueAt ?? now;
        pending.set(pendingKey, { cluster: due.cluster, kind: binding.spec.resource.kind, dueAt });
        publishPending();

        const purgeMode = normalizePurgeMode((binding.spec.failover as { cluster?: { purgeMode?: string } } | undefined)?.cluster?.purgeMode, defaultPurge);
        const evicted: ResourceBindingSpec = graceful
          ? gracefullyEvictCluster(binding.spec, due.cluster, { purgeMode, producer: EvictionProducerTaintManager, reason: EvictionReasonTaintUntolerated, message: `Evicted by the taint manager: ${due.reason}`, now: rfc3339Now() })
          : { ...binding.spec, clusters: (binding.spec.clusters ?? []).filter((c) => c.name !== due.cluster) };
        const placement = placeAfterEviction(binding, evicted, clusters.list() as Cluster[]);
        if (!placement.ok) {
          await setEvictionBlocked(client, events, binding, `not evicting from cluster ${due.cluster} (${due.reason}): no other cluster can take its replicas: ${placement.message}`);
          return { requeueAfter: Math.min(wait, blockedRetryMs) };
        }
        const delay = limiter.take(due.cluster, now);
        if (delay > 0) return { requeueAfter: delay };
        try {
          await client.replace({ ...binding, spec: evicted });
        } catch (err) {
          if (isConflict(err)) return { requeueAfter: 50 };
          metrics.processed.inc({ name: ControllerName, result: 'error' });
          const msg = `Failed to evict from cluster(${due.cluster}): ${(err as Error).message}`;
          events.record(binding, 'Warning', EventReasonEvictWorkloadFromClusterFailed, msg);
          throw err;
        }
        metrics.processed.inc({ name: ControllerName, result: 'success' });
        metrics.latency.observe({ name: ControllerName }, (Date.now() - dueAt) / 1000);
        pending.delete(pendingKey);
        publishPending();
        const msg = `Evicted from cluster(${due.cluster}): ${due.reason}; purgeMode ${graceful ? purgeMode : 'Directly'}; replicas go to ${describeDestinations(placement)}`;
        events.record(binding, 'Normal', EventReasonEvictWorkloadFromClusterSucceed, msg);
        events.record(templateOf(binding), 'Normal', EventReasonEvictWorkloadFromClusterSucceed, msg);
      });
  }
}
