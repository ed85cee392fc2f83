// The scheduler process (Karmada's pkg/scheduler/scheduler.go): watches ResourceBindings,
// ClusterResourceBindings and Clusters; schedules the bindings this scheduler handles whenever
// needsReschedule says so, with the clusters from the cache; writes spec.clusters (with the
// applied-placement annotation) and then the Scheduled condition through the status subresource;
// records ScheduleBindingSucceed/ScheduleBindingFailed on the binding and its resource template;
// and re-queues the bindings a cluster change may affect.
import { Registry } from 'prom-client';
import { isNotFound, isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { BindingReasonNoClusterFit, BindingReasonQuotaExceeded, ConditionScheduled, DefaultSchedulerName, type ResourceBinding } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ClusterAffinity } from '../../apis/karmada/placement.js';
import { EventRecorder } from '../../runtime/events.js';
import { MemberClients } from '../../runtime/member-clients.js';
import { KubeClient } from '../../runtime/client.js';
import { userAgent } from '../../runtime/user-agent.js';
import { Manager, splitKey, type Controller, type Logger } from '../../runtime/controller.js';
import { generationChanged, newControllerManagedBy } from '../../runtime/builder.js';
import type { Informer } from '../../runtime/informer.js';
import { runComponent, type LeaderElectOptions } from '../../runtime/component.js';
import { generalEstimator, type ReplicaEstimator } from '../estimator/index.js';
import { clusterMatches } from '../../apis/karmada/clusteraffinity.js';
import { quotaRefusedResult, scheduleBinding, successfulSchedulingMessage } from '../schedule.js';
import { QuotaExceededReason } from '../../apis/karmada/quota.js';
import { clusterChangeMatters, handledBy, needsReschedule, type RescheduleReason } from '../triggers.js';
import { LiveNodeEstimator } from './accurate.js';
import { BackoffQueue, FlushIntervalMs } from './backoff.js';
import { AssigningCache } from './assigning.js';
import type { WorkloadPeers } from '../framework/types.js';
import { recordSchedule, schedulerMetrics } from './metrics.js';
import { observedGenerationPatch, specPatch, statusPatch, targetClustersString } from './writes.js';
import { clusterGVR, clusterResourceBindingGVR, resourceBindingGVR } from '../../apis/karmada/gvr.js';

const ComponentName = 'karmada-scheduler';
const EventReasonScheduleBindingSucceed = 'ScheduleBindingSucceed';
const EventReasonScheduleBindingFailed = 'ScheduleBindingFailed';

interface SchedulerOptions {
  /** --scheduler-name: only bindings whose spec.schedulerName names this scheduler (default default-scheduler) */
  schedulerName?: string;
  /** --plugins (default `*`) */
  plugins?: string[];
  /** estimators after the general one (and the accurate one) */
  estimators?: ReplicaEstimator[];
  /**
   * the accurate estimator: watch each Ready Push member's Nodes and Pods and bound each cluster by
   * what its nodes really hold, as karmada-scheduler-estimator does (default true)
   */
  accurateEstimator?: boolean;
  /** PriorityBasedScheduling: waiting bindings with a higher spec.schedulePriority.priority go first (default true) */
  priorityBasedScheduling?: boolean;
  /** --enable-empty-workload-propagation */
  enableEmptyWorkloadPropagation?: boolean;
  workers?: number;
}

interface SchedulerContext {
  manager: Manager;
  /** the control plane */
  client: KubeClient;
  events: EventRecorder;
  log?: Logger;
  /** clients of the members (for the accurate estimator); made from `client` when unset */
  members?: MemberClients;
  /** ends the backoff flushes (the manager's run) */
  signal?: AbortSignal;
}

/** spec.schedulePriority.priority, 0 when unset */
function schedulePriorityOf(binding: ResourceBinding | undefined): number {
  return binding?.spec.schedulePriority?.priority ?? 0;
}

/** reasons needsReschedule gives for leaving a binding alone */
const leaveAlone = new Set<RescheduleReason>(['None', 'OtherScheduler', 'SchedulingSuspended', 'NoPlacement']);

/** metrics' scheduleType for why a binding is scheduled */
function scheduleType(reason: RescheduleReason): string {
  return reason === 'ReplicasChanged' ? 'ScaleSchedule' : 'ReconcileSchedule';
}

type Kind = 'ResourceBinding' | 'ClusterResourceBinding';
const rbPrefix = 'rb/';
const crbPrefix = 'crb/';

function queueKey(kind: Kind, obj: KubeObject): string {
  return kind === 'ResourceBinding' ? `${rbPrefix}${obj.metadata.namespace}/${obj.metadata.name}` : `${crbPrefix}${obj.metadata.name}`;
}

/** the affinity a cluster change is judged against (enqueueAffectedBindings); undefined: every cluster matters */
function affinityInForce(binding: ResourceBinding): { skip: boolean; affinity?: ClusterAffinity } {
  const placement = binding.spec.placement;
  if (!placement) return { skip: true };
  const terms = placement.clusterAffinities;
  if (terms && terms.length > 0) {
    // not scheduled since the last change: it is in the queue anyway
    if (binding.status?.schedulerObservedGeneration !== binding.metadata.generation) return { skip: true };
    const i = Math.max(0, terms.findIndex((t) => t.affinityName === binding.status?.schedulerObservingAffinityName));
    return { skip: false, affinity: terms[i] };
  }
  return { skip: false, affinity: placement.clusterAffinity };
}

/** the resource template as an event's involved object */
function templateOf(binding: ResourceBinding): KubeObject {
  const r = binding.spec.resource;
  return { apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: r.namespace, uid: r.uid, resourceVersion: r.resourceVersion } };
}

/** adds the scheduler's controller and informers to ctx.manager */
export function register(ctx: SchedulerContext, opts: SchedulerOptions = {}): Controller {
  const { manager, client, events } = ctx;
  const schedulerName = opts.schedulerName || DefaultSchedulerName;
  // the queue exists once the controller does; the gauge reads it when scraped
  let queue: { length: number; delayedCount: number } | undefined;
  const metrics = schedulerMetrics(manager.registry, { active: () => queue?.length ?? 0, backoff: () => queue?.delayedCount ?? 0 });
  const clusters = manager.informer(client, clusterGVR);
  const informers: Record<Kind, Informer> = {
    ResourceBinding: manager.informer(client, resourceBindingGVR),
    ClusterResourceBinding: manager.informer(client, clusterResourceBindingGVR),
  };
  const estimators = [generalEstimator, ...(opts.estimators ?? [])];
  if (opts.accurateEstimator ?? true) {
    const accurate = new LiveNodeEstimator(manager, ctx.members ?? new MemberClients(client), ctx.log);
    estimators.push(accurate);
    clusters.addHandlers({
      onAdd: (c) => accurate.observe(c as Cluster),
      onUpdate: (c) => accurate.observe(c as Cluster),
      onDelete: (c) => accurate.forget(c.metadata.name!),
    });
  }
  const bindingOfKey = (key: string): ResourceBinding | undefined => {
    const kind: Kind = key.startsWith(rbPrefix) ? 'ResourceBinding' : 'ClusterResourceBinding';
    return informers[kind].get(key.slice(kind === 'ResourceBinding' ? rbPrefix.length : crbPrefix.length)) as ResourceBinding | undefined;
  };

  // Workload affinity groups: bindings by group, each the newer of the cache's copy and what this
  // scheduler last wrote (the informer may not have caught up with a binding scheduled a moment ago).
  const affinityIndex = 'workloadAffinityGroup';
  const antiAffinityIndex = 'workloadAntiAffinityGroup';
  const rbInformer = informers.ResourceBinding;
  rbInformer.addIndex(affinityIndex, (b) => {
    const g = (b as ResourceBinding).spec?.workloadAffinityGroups?.affinityGroup;
    return g ? [g] : [];
  });
  rbInformer.addIndex(antiAffinityIndex, (b) => {
    const g = (b as ResourceBinding).spec?.workloadAffinityGroups?.antiAffinityGroup;
    return g ? [g] : [];
  });
  const assigning = new AssigningCache();
  const peers: WorkloadPeers = {
    byAffinityGroup: (g) => assigning.freshest(rbInformer.byIndex(affinityIndex, g) as ResourceBinding[]),
    byAntiAffinityGroup: (g) => assigning.freshest(rbInformer.byIndex(antiAffinityIndex, g) as ResourceBinding[]),
  };

  // what each binding was last scheduled for without error: its generation after our spec patch and
  // the clusters as they were (any cluster change that matters to scheduling moves the epoch)
  const settled = new Map<string, string>();
  let clustersEpoch = 0;
  clusters.addHandlers({
    onAdd: () => void clustersEpoch++,
    onUpdate: (c, old) => void (clusterChangeMatters(old as Cluster, c as Cluster) && clustersEpoch++),
    onDelete: () => void clustersEpoch++,
  });

  const priority = opts.priorityBasedScheduling === false ? () => 0 : (key: string) => schedulePriorityOf(bindingOfKey(key));
  const backoff = new BackoffQueue({ priority });

  const reconcile = async (key: string) => {
    const kind: Kind = key.startsWith(rbPrefix) ? 'ResourceBinding' : 'ClusterResourceBinding';
    const cacheKey = key.slice(kind === 'ResourceBinding' ? rbPrefix.length : crbPrefix.length);
    const binding = informers[kind].get(cacheKey) as ResourceBinding | undefined;
    if (!binding || binding.metadata.deletionTimestamp) {
      backoff.forget(key);
      settled.delete(key);
      return;
    }
    const clusterList = clusters.list() as Cluster[];
    const reason = needsReschedule(binding, { schedulerName, clusters: clusterList });
    // scaled back to what it runs after a FederatedResourceQuota refused more: nothing to place,
    // but scheduling it again replaces the refusal with the result it holds (Karmada leaves it stale)
    const refused = binding.status?.conditions?.some((c) => c.type === ConditionScheduled && c.reason === BindingReasonQuotaExceeded);
    if (reason === 'None' && !refused) {
      const observed = observedGenerationPatch(binding);
      if (observed) {
        const { namespace, name } = splitKey(cacheKey);
        await client.patch(kind === 'ResourceBinding' ? resourceBindingGVR : clusterResourceBindingGVR, name, observed, { namespace, type: 'merge', subresource: 'status' }).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
      }
      return;
    }
    if (leaveAlone.has(reason) && !(reason === 'None' && refused)) return;
    // a Duplicated binding follows every update, but the update that brings back our own spec patch
    // has nothing new: the result for this generation and these clusters is the one just written
    if (reason === 'Duplicated' && settled.get(key) === `${binding.metadata.generation}/${clustersEpoch}`) return;

    const started = performance.now();
    const epochAtStart = clustersEpoch;
    const result = scheduleBinding(binding, clusterList, {
      estimators,
      plugins: opts.plugins,
      enableEmptyWorkloadPropagation: opts.enableEmptyWorkloadPropagation,
      peers,
      onStep: (step, seconds) => metrics.algorithmDuration.observe({ schedule_step: step }, seconds),
    });
    const now = new Date();
    const gvr = kind === 'ResourceBinding' ? resourceBindingGVR : clusterResourceBindingGVR;
    const { namespace, name } = splitKey(cacheKey);
    let writeError: Error | undefined;
    try {
      let generation = binding.metadata.generation;
      // the merge patch replaces the whole conditions list: it starts from the freshest copy we
      // have, so another controller's condition written since our cache saw the binding stays
      let base = binding;
      const spec = specPatch(binding, result, now);
      if (spec) {
        const patched = await client.patch<ResourceBinding>(gvr, name, spec, { namespace, type: 'merge' });
        generation = patched.metadata.generation;
        base = patched;
        if (kind === 'ResourceBinding') assigning.remember(patched);
      }
      const status = statusPatch(base, result, now, generation);
      if (status) await client.patch(gvr, name, status, { namespace, type: 'merge', subresource: 'status' });
      if (result.error) settled.delete(key);
      else settled.set(key, `${generation}/${epochAtStart}`);
    } catch (err) {
      settled.delete(key);
      // gone meanwhile: nothing to schedule
      if (isNotFound(err)) return;
      writeError = err instanceof Error ? err : new Error(String(err));
      // refused by a FederatedResourceQuota: the Scheduled condition says so
      if (isStatusError(err, QuotaExceededReason) && err.code === 403) {
        const refused = quotaRefusedResult(binding, result, writeError, () => now);
        const status = statusPatch(binding, refused, now, binding.metadata.generation);
        if (status) await client.patch(gvr, name, status, { namespace, type: 'merge', subresource: 'status' }).catch(() => {});
      }
    }

    const failure = writeError ?? result.error;
    recordSchedule(metrics, scheduleType(reason), (performance.now() - started) / 1000, !!failure);
    const message = failure ? failure.message : `${successfulSchedulingMessage} Result: {${targetClustersString(result.clusters)}}`;
    const type = failure ? 'Warning' : 'Normal';
    const eventReason = failure ? EventReasonScheduleBindingFailed : EventReasonScheduleBindingSucceed;
    events.record(binding, type, eventReason, message);
    events.record(templateOf(binding), type, eventReason, message);

    // no cluster fits: retrying will not help until something changes (which re-queues it);
    // other failures wait in the backoff queue, which flushes them back in priority order
    const retry = writeError ?? (result.error && result.condition.reason !== BindingReasonNoClusterFit ? result.error : undefined);
    if (!retry) {
      backoff.forget(key);
      return;
    }
    metrics.incomingBindings.inc({ event: 'ScheduleAttemptFailure' });
    ctx.log?.error({ controller: 'scheduler', key, err: retry }, 'scheduling failed');
    backoff.push(key);
  };

  const affectedBy = (cluster: KubeObject): string[] => {
    const keys: string[] = [];
    for (const kind of ['ResourceBinding', 'ClusterResourceBinding'] as const) {
      for (const obj of informers[kind].list()) {
        const binding = obj as ResourceBinding;
        if (!handledBy(binding, schedulerName)) continue;
        const { skip, affinity } = affinityInForce(binding);
        if (skip) continue;
        if (!affinity || clusterMatches(cluster as Cluster, affinity)) keys.push(queueKey(kind, binding));
      }
    }
    return keys;
  };
  const builder = newControllerManagedBy(manager, 'scheduler')
    // status writes (ours among them) do not schedule; spec changes do
    .watches(informers.ResourceBinding, (obj) => queueKey('ResourceBinding', obj), generationChanged)
    .watches(informers.ClusterResourceBinding, (obj) => queueKey('ClusterResourceBinding', obj), generationChanged)
    .watches(clusters, affectedBy, { update: (c, old) => clusterChangeMatters(old as Cluster, c as Cluster) })
    .workers(opts.workers ?? 4);
  if (ctx.log) builder.logger(ctx.log);
  if (opts.priorityBasedScheduling !== false) builder.priority(priority);
  const controller = builder.complete(reconcile);
  const flusher = setInterval(() => {
    for (const key of backoff.flush()) controller.enqueue(key);
  }, FlushIntervalMs);
  flusher.unref();
  ctx.signal?.addEventListener('abort', () => clearInterval(flusher), { once: true });

  queue = controller.queue;
  for (const kind of ['ResourceBinding', 'ClusterResourceBinding'] as const) {
    informers[kind].addHandlers({
      onAdd: (obj) => handledBy(obj as ResourceBinding, schedulerName) && metrics.incomingBindings.inc({ event: 'BindingAdd' }),
      onUpdate: (obj, old) => obj.metadata.generation !== old.metadata.generation && handledBy(obj as ResourceBinding, schedulerName) && metrics.incomingBindings.inc({ event: 'BindingUpdate' }),
    });
  }
  return controller;
}

interface StartSchedulerOptions extends SchedulerOptions {
  /** path of the control plane's kubeconfig (or `client`) */
  kubeconfig?: string;
  client?: KubeClient;
  /** run only while holding the Lease karmada-system/karmada-scheduler */
  leaderElect?: boolean | LeaderElectOptions;
  registry?: Registry;
  signal?: AbortSignal;
  log?: Logger;
  /** informer retry delay (tests) */
  retryDelayMs?: number;
}

export interface SchedulerHandle {
  readonly registry: Registry;
  /** leading (always true without leader election once started) */
  isLeader(): boolean;
  /** resolves once the scheduler has stopped (stop(), the signal, or lost leadership) */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/** runs the scheduler until stopped: one manager per leadership term when leader election is on */
export async function startScheduler(opts: StartSchedulerOptions): Promise<SchedulerHandle> {
  const client = opts.client ?? (opts.kubeconfig ? KubeClient.fromFile(opts.kubeconfig, { userAgent: userAgent(ComponentName) }) : undefined);
  if (!client) throw new Error('startScheduler needs a kubeconfig or a client');
  const registry = opts.registry ?? new Registry();
  let term: Manager | undefined;
  // events yield to scheduling, as the controller manager's yield to its controllers
  const log = opts.log;
  const events = new EventRecorder(client, ComponentName, { busy: () => term?.busy() ?? false, log: log && { warn: (obj, msg) => (log.warn ?? log.error).call(log, obj, msg) } });
  const component = await runComponent({
    name: ComponentName,
    client,
    leaderElect: opts.leaderElect,
    signal: opts.signal,
    log: opts.log,
    build: (termSignal) => {
      const manager = new Manager({ registry, retryDelayMs: opts.retryDelayMs });
      term = manager;
      register({ manager, client, events, log: opts.log, signal: termSignal }, opts);
      return manager;
    },
  });
  return { registry, isLeader: () => component.isLeader(), done: component.done, stop: () => component.stop() };
}
