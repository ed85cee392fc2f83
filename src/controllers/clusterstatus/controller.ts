// The cluster status controller (Karmada's pkg/controllers/status/cluster_status_controller.go) for
// Push clusters: every statusUpdateInterval it probes the member and writes Cluster.status: the
// Ready condition (held back by the success/failure thresholds), and while the member is ready its
// kubernetesVersion, apiEnablements, nodeSummary and resourceSummary. Nodes and pods are read from
// informers on the member (one list, then watch), so a round costs a few requests per cluster;
// the informers stop while a member is unreachable. Status is written only when it changed.
import { isDeepStrictEqual } from 'node:util';
import { isConflict } from '../../apimachinery/errors.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { Condition } from '../../apimachinery/types.js';
import { ClusterConditionReady, type Cluster } from '../../apis/karmada/cluster.js';
import type { KubeClient } from '../../runtime/client.js';
import type { Informer } from '../../runtime/informer.js';
import { servesCluster, type ControllerContext } from '../context.js';
import { apiEnablementsCondition, ConditionThresholds, readyCondition, ReasonStatusCollectionFailed } from './conditions.js';
import { applyObservation, sameStatus, type Observation } from './observation.js';
import { DiscoveryCache, probeHealth } from './probe.js';
import { allocatableModelings, nodeSummary, resourceSummary } from './summary.js';
import { LastComputed } from './memo.js';
import { clusterGVR } from '../../apis/karmada/gvr.js';
import { ClusterControllerFinalizer } from '../../apis/karmada/wellknown.js';
import { nodeGVR, podGVR } from '../../apis/builtin/gvr.js';
import { nodeSummaryView, podSummaryView } from './views.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import { karmadaMetrics, since } from '../common/metrics.js';

export const ControllerName = 'cluster-status-controller';

export interface ClusterStatusOptions {
  /** how often each cluster's status is collected (--cluster-status-update-frequency, default 10s) */
  statusUpdateIntervalMs?: number;
  /** a recovered cluster must answer this long before it is Ready again (--cluster-success-threshold, 30s) */
  successThresholdMs?: number;
  /** a failing cluster must fail this long before it is not Ready (--cluster-failure-threshold, 30s) */
  failureThresholdMs?: number;
  /** timeout of one health probe (default 5s) */
  probeTimeoutMs?: number;
  /** how long a round waits for a member's node and pod caches (default 30s) */
  cacheSyncTimeoutMs?: number;
  /** full discovery (version, APIs) at least this often even when the groupVersions stay the same (default 60s) */
  discoveryMaxAgeMs?: number;
  /** how long a member client (built from the cluster's secret) is reused before the secret is read again (default 60s) */
  credentialsMaxAgeMs?: number;
  /** collect nodeSummary and resourceSummary (--enable-cluster-resource-modeling, default true) */
  enableResourceModeling?: boolean;
  /** count nodes per grade of spec.resourceModels into allocatableModelings (gate CustomizedClusterResourceModeling, default true) */
  enableCustomizedResourceModeling?: boolean;
  workers?: number;
}

const defaults: Required<ClusterStatusOptions> = {
  statusUpdateIntervalMs: 10_000,
  successThresholdMs: 30_000,
  failureThresholdMs: 30_000,
  probeTimeoutMs: 5_000,
  cacheSyncTimeoutMs: 30_000,
  discoveryMaxAgeMs: 60_000,
  credentialsMaxAgeMs: 60_000,
  enableResourceModeling: true,
  enableCustomizedResourceModeling: true,
  workers: 10,
};

/** resolves when `p` settles, `ms` pass or the signal aborts, whichever is first (no timer left behind) */
async function within(p: Promise<unknown>, ms: number, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      p,
      new Promise<void>((r) => {
        timer = setTimeout(r, ms);
        onAbort = () => r();
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** the cluster status controller: one round per cluster every statusUpdateInterval */
export function registerClusterStatusController(ctx: ControllerContext, options: ClusterStatusOptions = {}): void {
  const o = { ...defaults, ...options };
  const { client, manager, members } = ctx;
  const clusters = manager.informer(client, clusterGVR);
  const thresholds = new ConditionThresholds({ successMs: o.successThresholdMs, failureMs: o.failureThresholdMs });
  const discovery = new DiscoveryCache(o.discoveryMaxAgeMs);
  /** the member client whose node and pod informers run, per cluster */
  const watched = new Map<string, KubeClient>();

  const nodeView = { name: 'cluster-status', transform: nodeSummaryView };
  const podView = { name: 'cluster-status', transform: podSummaryView };
  members.onReplaced((_name, old) => manager.removeClient(old));
  /**
   * stops this controller's own node and pod informers of the member. Only those: the member's client
   * is shared, and the execution and work status controllers' informers on it must keep following
   * the member (stopped with these while it was away, their caches stayed as they were when it left)
   */
  const stopWatching = (name: string) => {
    const mc = watched.get(name);
    if (!mc) return;
    watched.delete(name);
    manager.removeInformer(mc, nodeGVR, nodeView);
    manager.removeInformer(mc, podGVR, podView);
  };

  /**
   * The member's client, reused across rounds: reading the cluster's secret every round would cost
   * a request per cluster per round. It is rebuilt when the endpoint or secret reference changes,
   * when credentialsMaxAgeMs has passed (rotated secrets) and after a failed probe.
   */
  const memberClients = new Map<string, { fingerprint: string; at: number; client: KubeClient }>();
  const memberClient = async (cluster: Cluster): Promise<KubeClient> => {
    const name = cluster.metadata.name;
    const fingerprint = JSON.stringify([cluster.spec.apiEndpoint, cluster.spec.secretRef, cluster.spec.insecureSkipTLSVerification ?? false]);
    const hit = memberClients.get(name);
    if (hit && hit.fingerprint === fingerprint && Date.now() - hit.at < o.credentialsMaxAgeMs) return hit.client;
    const mc = await members.forCluster(cluster);
    memberClients.set(name, { fingerprint, at: Date.now(), client: mc });
    return mc;
  };

  /** the node and pod informers of the member; undefined when the caches have not synced in time */
  const memberInformers = async (name: string, mc: KubeClient, signal: AbortSignal) => {
    if (watched.get(name) !== mc) stopWatching(name);
    watched.set(name, mc);
    const nodes = manager.informer(mc, nodeGVR, nodeView);
    const pods = manager.informer(mc, podGVR, podView);
    if (!nodes.hasSynced || !pods.hasSynced) await within(Promise.all([nodes.waitForSync(), pods.waitForSync()]), o.cacheSyncTimeoutMs, signal);
    if (!nodes.hasSynced || !pods.hasSynced) return undefined;
    return { nodes, pods };
  };

  /** nodeSummary and resourceSummary, computed again only when a node, a pod or the resource models changed */
  const summaries = new LastComputed<Pick<Observation['fields'], 'nodeSummary' | 'resourceSummary'>>();
  const summarize = (cluster: Cluster, nodes: Informer, pods: Informer) => {
    const models = o.enableCustomizedResourceModeling ? (cluster.spec.resourceModels ?? []) : [];
    const inputs = [nodes, nodes.lastSyncResourceVersion(), pods, pods.lastSyncResourceVersion(), models.length === 0 ? '' : JSON.stringify(models)];
    return summaries.get(cluster.metadata.name, inputs, () => {
      const nodeList = nodes.list();
      const podList = pods.list();
      const summary = resourceSummary(nodeList, podList);
      const modelings = allocatableModelings(models, nodeList, podList);
      if (modelings) summary.allocatableModelings = modelings;
      return { nodeSummary: nodeSummary(nodeList), resourceSummary: summary };
    });
  };

  /** what the member reports now (syncClusterStatus) */
  const observe = async (cluster: Cluster, signal: AbortSignal): Promise<Observation> => {
    const name = cluster.metadata.name;
    let mc: KubeClient;
    try {
      mc = await memberClient(cluster);
    } catch (err) {
      const c: Condition = { type: ClusterConditionReady, status: 'False', reason: ReasonStatusCollectionFailed, message: `failed to create a ClusterClient: ${(err as Error).message}` };
      return { fields: {}, conditions: [c] };
    }
    const health = await probeHealth(mc, o.probeTimeoutMs, signal);
    // new credentials may be what it takes: read the secret again next round
    if (!health.healthy) memberClients.delete(name);
    const current = cluster.status?.conditions?.find((c) => c.type === ClusterConditionReady);
    const ready = thresholds.adjust(name, current, readyCondition(health.online, health.healthy), Date.now());
    if (!health.online && ready.status !== 'True') {
      stopWatching(name);
      return { fields: {}, conditions: [ready] };
    }
    if (!(health.online && health.healthy && ready.status === 'True')) return { fields: {}, conditions: [ready] };

    const fields: Observation['fields'] = {};
    const { kubernetesVersion, enablements, failed } = await discovery.get(name, mc, Date.now(), o.probeTimeoutMs).catch(() => ({ kubernetesVersion: undefined, enablements: [], failed: 1 }));
    fields.kubernetesVersion = kubernetesVersion;
    fields.apiEnablements = enablements;
    if (o.enableResourceModeling) {
      const informers = await memberInformers(name, mc, signal);
      if (informers) Object.assign(fields, summarize(cluster, informers.nodes, informers.pods));
    }
    return { fields, conditions: [apiEnablementsCondition(enablements.length, failed), ready] };
  };

  /** applies the observation to the cluster's status and writes it unless unchanged; on a conflict, once more over a fresh read */
  const write = async (cluster: Cluster, obs: Observation) => {
    let base = cluster;
    for (let attempt = 0; ; attempt++) {
      const status = applyObservation(base.status, obs, rfc3339Now());
      if (sameStatus(base.status ?? {}, status)) return;
      try {
        await client.updateStatus({ ...base, status });
        return;
      } catch (err) {
        if (attempt > 0 || !isConflict(err)) throw err;
        base = await client.get<Cluster>(clusterGVR, cluster.metadata.name);
      }
    }
  };

  const metrics = karmadaMetrics(manager.registry);
  newControllerManagedBy(manager, ControllerName, client)
    // status writes (ours included) do not start a round; spec, finalizer and deletion changes do
    .for(clusterGVR, {
      update: (obj, old) =>
        obj.metadata.generation !== old.metadata.generation ||
        !isDeepStrictEqual(obj.metadata.finalizers ?? [], old.metadata.finalizers ?? []) ||
        obj.metadata.deletionTimestamp !== old.metadata.deletionTimestamp,
    })
    .workers(o.workers)
    .logger(ctx.log)
    .complete(async (key, signal) => {
      const cluster = clusters.get(key) as Cluster | undefined;
      if (!cluster) {
        // the cluster left: stop its informers and forget what was kept for it
        thresholds.forget(key);
        discovery.forget(key);
        summaries.forget(key);
        memberClients.delete(key);
        stopWatching(key);
        members.drop(key);
        metrics.clusterReadyState.remove({ member_cluster: key });
        metrics.clusterSyncStatusDuration.remove({ member_cluster: key });
        return;
      }
      // Pull clusters report their own status through karmada-agent (this controller, run there)
      if (!servesCluster(ctx, cluster)) return;
      // start only once the cluster controller owns the cluster, so the two do not race at join
      if (!(cluster.metadata.finalizers ?? []).includes(ClusterControllerFinalizer)) return { requeueAfter: Math.min(o.statusUpdateIntervalMs, 1000) };
      const started = performance.now();
      const observation = await observe(cluster, signal);
      if (signal.aborted) return;
      await write(cluster, observation);
      const ready = observation.conditions.find((c) => c.type === ClusterConditionReady) ?? cluster.status?.conditions?.find((c) => c.type === ClusterConditionReady);
      metrics.clusterReadyState.set({ member_cluster: key }, ready?.status === 'True' ? 1 : 0);
      metrics.clusterSyncStatusDuration.observe({ member_cluster: key }, since(started));
      return { requeueAfter: o.statusUpdateIntervalMs };
    });
}
