// The scheduler process (Karmada's pkg/scheduler/scheduler.go): watches ResourceBindings,
// ClusterResourceBindings and Clusters; schedules the bindings this scheduler handles whenever
// needsReschedule says so, with the clusters from the cache; writes spec.clusters (with the
// applied-placement annotation) and then the Scheduled condition through the status subresource;
// records ScheduleBindingSucceed/ScheduleBindingFailed on the binding and its resource template;
// and re-queues the bindings a cluster change may affect.
import { Registry } from 'prom-client';
import { isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { BindingReasonNoClusterFit, DefaultSchedulerName, type ResourceBinding } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ClusterAffinity } from '../../apis/karmada/placement.js';
import { EventRecorder } from '../../controllers/common/events.js';
import { MemberClients, clusterGVR } from '../../controllers/common/member-clients.js';
import { KubeClient } from '../../runtime/client.js';
import { Manager, splitKey, type Controller, type Logger } from '../../runtime/controller.js';
import type { Informer } from '../../runtime/informer.js';
import { runLeaderElection, type LeaderElectionHandle } from '../../runtime/leaderelection.js';
import { generalEstimator, type ReplicaEstimator } from '../estimator/index.js';
import { matchesClusterAffinity } from '../plugins/clusteraffinity/index.js';
import { scheduleBinding, successfulSchedulingMessage } from '../schedule.js';
import { clusterChangeMatters, handledBy, needsReschedule, type RescheduleReason } from '../triggers.js';
import { LiveNodeEstimator } from './accurate.js';
import { recordSchedule, schedulerMetrics } from './metrics.js';
import { specPatch, statusPatch, targetClustersString } from './writes.js';

export const ComponentName = 'karmada-scheduler';
export const EventReasonScheduleBindingSucceed = 'ScheduleBindingSucceed';
export const EventReasonScheduleBindingFailed = 'ScheduleBindingFailed';

export const resourceBindingGVR = { group: 'work.karmada.io', version: 'v1alpha2', resource: 'resourcebindings' } as const;
export const clusterResourceBindingGVR = { group: 'work.karmada.io', version: 'v1alpha2', resource: 'clusterresourcebindings' } as const;

export interface SchedulerOptions {
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

export interface SchedulerContext {
  manager: Manager;
  /** the control plane */
  client: KubeClient;
  events: EventRecorder;
  log?: Logger;
  /** clients of the members (for the accurate estimator); made from `client` when unset */
  members?: MemberClients;
}

/** spec.schedulePriority.priority, 0 when unset */
export function schedulePriorityOf(binding: ResourceBinding | undefined): number {
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

  const reconcile = async (key: string) => {
    const kind: Kind = key.startsWith(rbPrefix) ? 'ResourceBinding' : 'ClusterResourceBinding';
    const cacheKey = key.slice(kind === 'ResourceBinding' ? rbPrefix.length : crbPrefix.length);
    const binding = informers[kind].get(cacheKey) as ResourceBinding | undefined;
    if (!binding || binding.metadata.deletionTimestamp) return;
    const clusterList = clusters.list() as Cluster[];
    const reason = needsReschedule(binding, { schedulerName, clusters: clusterList });
    if (leaveAlone.has(reason)) return;

    const started = performance.now();
    const result = scheduleBinding(binding, clusterList, { estimators, plugins: opts.plugins, enableEmptyWorkloadPropagation: opts.enableEmptyWorkloadPropagation });
    const now = new Date();
    const gvr = kind === 'ResourceBinding' ? resourceBindingGVR : clusterResourceBindingGVR;
    const { namespace, name } = splitKey(cacheKey);
    let writeError: Error | undefined;
    try {
      let generation = binding.metadata.generation;
      const spec = specPatch(binding, result, now);
      if (spec) {
        const patched = await client.patch<ResourceBinding>(gvr, name, spec, { namespace, type: 'merge' });
        generation = patched.metadata.generation;
      }
      const status = statusPatch(binding, result, now, generation);
      if (status) await client.patch(gvr, name, status, { namespace, type: 'merge', subresource: 'status' });
    } catch (err) {
      // gone meanwhile: nothing to schedule
      if (isStatusError(err, 'NotFound')) return;
      writeError = err instanceof Error ? err : new Error(String(err));
    }

    const failure = writeError ?? result.error;
    recordSchedule(metrics, scheduleType(reason), (performance.now() - started) / 1000, !!failure);
    const message = failure ? failure.message : `${successfulSchedulingMessage} Result: {${targetClustersString(result.clusters)}}`;
    const type = failure ? 'Warning' : 'Normal';
    const eventReason = failure ? EventReasonScheduleBindingFailed : EventReasonScheduleBindingSucceed;
    events.record(binding, type, eventReason, message);
    events.record(templateOf(binding), type, eventReason, message);

    if (writeError || (result.error && result.condition.reason !== BindingReasonNoClusterFit)) metrics.incomingBindings.inc({ event: 'ScheduleAttemptFailure' });
    if (writeError) throw writeError;
    // no cluster fits: retrying will not help until something changes (which re-queues it)
    if (result.error && result.condition.reason !== BindingReasonNoClusterFit) throw result.error;
  };

  const controller = manager.controller({
    name: 'scheduler',
    workers: opts.workers ?? 4,
    reconcile,
    logger: ctx.log,
    queue: opts.priorityBasedScheduling === false ? undefined : { priority: (key) => schedulePriorityOf(bindingOfKey(key)) },
  });

  queue = controller.queue;
  for (const kind of ['ResourceBinding', 'ClusterResourceBinding'] as const) {
    informers[kind].addHandlers(
      controller.mappedHandlers((obj) => queueKey(kind, obj), {
        // status writes (ours among them) do not schedule; spec changes do
        updateFilter: (obj, old) => obj.metadata.generation !== old.metadata.generation,
      }),
    );
    informers[kind].addHandlers({
      onAdd: (obj) => handledBy(obj as ResourceBinding, schedulerName) && metrics.incomingBindings.inc({ event: 'BindingAdd' }),
      onUpdate: (obj, old) => obj.metadata.generation !== old.metadata.generation && handledBy(obj as ResourceBinding, schedulerName) && metrics.incomingBindings.inc({ event: 'BindingUpdate' }),
    });
  }

  const enqueueAffected = (cluster: Cluster) => {
    for (const kind of ['ResourceBinding', 'ClusterResourceBinding'] as const) {
      for (const obj of informers[kind].list()) {
        const binding = obj as ResourceBinding;
        if (!handledBy(binding, schedulerName)) continue;
        const { skip, affinity } = affinityInForce(binding);
        if (skip) continue;
        if (!affinity || matchesClusterAffinity(cluster, affinity)) controller.enqueue(queueKey(kind, binding));
      }
    }
  };
  clusters.addHandlers({
    onAdd: (c) => enqueueAffected(c as Cluster),
    onUpdate: (c, old) => {
      if (!clusterChangeMatters(old as Cluster, c as Cluster)) return;
      enqueueAffected(old as Cluster);
      enqueueAffected(c as Cluster);
    },
    onDelete: (c) => enqueueAffected(c as Cluster),
  });
  return controller;
}

export interface StartSchedulerOptions extends SchedulerOptions {
  /** path of the control plane's kubeconfig (or `client`) */
  kubeconfig?: string;
  client?: KubeClient;
  /** run only while holding the Lease karmada-system/karmada-scheduler */
  leaderElect?: boolean | { namespace?: string; name?: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number; identity?: string };
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

async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (err) {
    if (!isStatusError(err, 'AlreadyExists')) throw err;
  }
}

/** runs the scheduler until stopped: one manager per leadership term when leader election is on */
export async function startScheduler(opts: StartSchedulerOptions): Promise<SchedulerHandle> {
  const client = opts.client ?? (opts.kubeconfig ? KubeClient.fromFile(opts.kubeconfig) : undefined);
  if (!client) throw new Error('startScheduler needs a kubeconfig or a client');
  const registry = opts.registry ?? new Registry();
  const events = new EventRecorder(client, ComponentName);
  const stopper = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopper.signal]) : stopper.signal;

  const runTerm = async (termSignal: AbortSignal) => {
    const manager = new Manager({ registry, retryDelayMs: opts.retryDelayMs });
    register({ manager, client, events, log: opts.log }, opts);
    await manager.run(termSignal);
  };

  if (!opts.leaderElect) {
    let leading = true;
    const done = runTerm(signal).finally(() => (leading = false));
    return {
      registry,
      isLeader: () => leading,
      done,
      async stop() {
        stopper.abort();
        await done;
      },
    };
  }

  const le = typeof opts.leaderElect === 'object' ? opts.leaderElect : {};
  const namespace = le.namespace ?? 'karmada-system';
  await ensureNamespace(client, namespace);
  const elector: LeaderElectionHandle = runLeaderElection({
    client,
    namespace,
    name: le.name ?? ComponentName,
    identity: le.identity,
    leaseDurationMs: le.leaseDurationMs,
    renewDeadlineMs: le.renewDeadlineMs,
    retryPeriodMs: le.retryPeriodMs,
    onStartedLeading: (termSignal) => runTerm(AbortSignal.any([termSignal, signal])),
    onStoppedLeading: () => {},
    onError: (err) => opts.log?.error({ err }, 'leader election'),
  });
  const onAbort = () => void elector.stop();
  signal.addEventListener('abort', onAbort, { once: true });
  const done = elector.done.finally(() => signal.removeEventListener('abort', onAbort));
  return {
    registry,
    isLeader: () => elector.isLeader(),
    done,
    async stop() {
      stopper.abort();
      await elector.stop();
      await done;
    },
  };
}
