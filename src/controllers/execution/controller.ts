// The execution controller (Karmada pkg/controllers/execution): applies the manifests of every Work
// in karmada-es-<cluster> to that Push-mode member, keeps them there (a member-side edit or delete
// of what Karmada owns is undone), and on Work deletion removes them — or, with
// preserveResourcesOnDeletion, leaves them behind without Karmada's marks.
import { isAlreadyExists, isNotFound } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/types.js';
import { ClusterConditionReady, type Cluster } from '../../apis/karmada/cluster.js';
import { clusterOfExecutionSpace, WorkApplied, WorkDispatching, type Work, executionSpaceName } from '../../apis/karmada/work.js';
import type { ResourceInterpreter } from '../../interpreter/types.js';
import { retainMemberMetadata } from '../../interpreter/native/retain.js';
import type { KubeClient, ResourceInfo } from '../../runtime/client.js';
import { splitKey, type Controller, type ReconcileResult } from '../../runtime/controller.js';
import { servesCluster, watchedNamespace, type ControllerContext } from '../context.js';
import { desiredObject, holdsDesired, isManagedByKarmada, manifestIndex, onlyMemberOwnedChanged, onlyStatusChanged, releasePatch, retainMemberFields, updateRefusal, workKeyOf } from './manifest.js';
import { memberObjects, type MemberObjects } from './member-objects.js';
import { findCondition, freshest, jsonEqual, setCondition, updateStatus } from './status.js';
import { clusterGVR, workGVR } from '../../apis/karmada/gvr.js';
import { ExecutionControllerFinalizer, ResourceTemplateUIDAnnotation } from '../../apis/karmada/wellknown.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import { LowPriority } from '../../runtime/workqueue.js';
import { counted, karmadaMetrics, since } from '../common/metrics.js';
import type { Informer } from '../../runtime/informer.js';
import { appliedHandoff, type AppliedConditions } from './applied-handoff.js';

export const ExecutionControllerName = 'execution-controller';

// Event reasons (pkg/events).
const EventReasonSyncWorkloadSucceed = 'SyncSucceed';
const EventReasonSyncWorkloadFailed = 'SyncFailed';
const EventReasonWorkDispatching = 'WorkDispatching';

const AppliedSuccessfulMessage = 'Manifest has been successfully applied';
const WorkDispatchingMessage = 'Work is being dispatched to member clusters.';
const WorkSuspendDispatchingMessage = 'Work dispatching is in a suspended state.';

type WorkCondition = { type: string; status: 'True' | 'False'; reason: string; message: string };

export function isClusterReady(cluster: Cluster): boolean {
  return findCondition(cluster.status?.conditions, ClusterConditionReady)?.status === 'True';
}

/** errors.NewAggregate's text: one message alone, several in brackets */
function aggregateMessage(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** whether what makes the execution controller look at a Work again (not its status) changed; compared in place */
function dispatchRelevantChanged(w: KubeObject, old: KubeObject): boolean {
  const m = w.metadata ?? {};
  const o = old.metadata ?? {};
  return m.deletionTimestamp !== o.deletionTimestamp || !jsonEqual(w.spec, old.spec) || !jsonEqual(m.finalizers, o.finalizers) || !jsonEqual(m.labels, o.labels) || !jsonEqual(m.annotations, o.annotations);
}

export interface ExecutionController {
  controller: Controller;
  objects: MemberObjects;
}

export function registerExecutionController(ctx: ControllerContext, interpreter: ResourceInterpreter, workers = 4): ExecutionController {
  const works = ctx.manager.informer(ctx.client, { ...workGVR, namespace: watchedNamespace(ctx) });
  const clusters = ctx.manager.informer(ctx.client, clusterGVR);
  const objects = memberObjects(ctx);
  const metrics = karmadaMetrics(ctx.manager.registry);
  const handoff = appliedHandoff(ctx.manager);
  handoff.applying = true;

  const worksOf = (cluster: string) => {
    const ns = executionSpaceName(cluster);
    return works.list((o) => o.metadata.namespace === ns).map((w) => `${ns}/${w.metadata.name}`);
  };
  const clusterState = (c: KubeObject) => JSON.stringify([isClusterReady(c as Cluster), (c as Cluster).spec?.syncMode, (c as Cluster).spec?.apiEndpoint, c.metadata.deletionTimestamp]);
  const controller = newControllerManagedBy(ctx.manager, ExecutionControllerName, ctx.client)
    .for(works, {
      filter: (w) => clusterOfExecutionSpace(w.metadata.namespace) !== undefined,
      update: (w, old) => dispatchRelevantChanged(w, old),
    })
    .watches(clusters, (c) => worksOf(c.metadata.name!), { update: (c, old) => clusterState(c) !== clusterState(old) })
    .workers(workers)
    .logger(ctx.log)
    .complete((key, signal) => reconcile(key, signal));
  objects.onReset((cluster) => worksOf(cluster).forEach((k) => controller.enqueue(k)));

  // drift: a member-side change to an object a Work manages brings the Work back to the queue
  objects.subscribe((cluster, event, obj, old, initial) => {
    const key = workKeyOf(obj);
    if (!key || clusterOfExecutionSpace(splitKey(key).namespace) !== cluster) return;
    // a member informer's first list is backlog, queued behind fresh changes (as the Works' own initial list)
    const priority = initial ? LowPriority : undefined;
    if (event === 'delete') return controller.enqueue(key, priority);
    // listed while the Work still waits for its reconcile (a restart's backlog): that reconcile reads
    // this object from the informer, so judging it here too would only do the same work twice
    if (initial && controller.queue.isWaiting(key)) return;
    if (objects.isOwnWrite(cluster, obj) || (event === 'add' && objects.isOwnCreate(cluster, obj))) return;
    // a status update leaves the verdict on the version before it (a change to the Work brings its key anyway)
    if (event === 'update' && old && onlyStatusChanged(obj, old)) return;
    const work = works.get(key) as Work | undefined;
    if (!work || work.metadata.deletionTimestamp || work.spec?.suspendDispatching) return;
    const manifests = work.spec.workload?.manifests ?? [];
    const i = manifestIndex(manifests, { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name });
    if (i < 0) return;
    if (event === 'update' && old && onlyMemberOwnedChanged(obj, old, manifests[i]!, work)) return;
    let desired: KubeObject;
    try {
      desired = retainMemberFields(desiredObject(manifests[i], work), obj, interpreter);
    } catch {
      // a Retain rule that fails or waits for its webhook: the reconcile reports or retries it
      return controller.enqueue(key, priority);
    }
    if (!holdsDesired(desired, obj)) controller.enqueue(key, priority);
  });

  async function reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace } = splitKey(key);
    const clusterName = clusterOfExecutionSpace(namespace);
    if (!namespace || !clusterName) return;
    // from the cache, as Karmada's controllers read through their informers: a stale copy's writes
    // meet a 409 and the key comes back
    const cached = works.get(key) as Work | undefined;
    if (!cached) return;
    // read only here (writes go through copies), so not deep-copied
    let work = freshest(ctx.client, cached);
    const cluster = clusters.get(clusterName) as (Cluster & KubeObject) | undefined;
    if (!cluster) {
      // the cluster left: nothing can be done on it any more
      if (work.metadata.deletionTimestamp) await removeFinalizer(work, signal);
      return;
    }
    if (!servesCluster(ctx, cluster)) return;
    const ready = isClusterReady(cluster);

    if (work.metadata.deletionTimestamp) {
      handoff.cancel(key);
      if (!work.metadata.finalizers?.includes(ExecutionControllerFinalizer)) return;
      if (ready) {
        const client = await ctx.members.forCluster(cluster);
        if (work.spec?.preserveResourcesOnDeletion) await releaseWorkload(clusterName, client, work, signal);
        else await deleteWorkload(clusterName, client, work, signal);
      } else if (!cluster.metadata.deletionTimestamp) {
        // unready but not leaving: wait for it (the cluster informer brings the Work back)
        return;
      }
      await removeFinalizer(work, signal);
      return;
    }

    work = await ensureFinalizer(work, signal);
    if (work.spec?.suspendDispatching || !ready) {
      handoff.cancel(key);
      await setWorkConditions(work, [dispatchingCondition(work)], signal);
      return;
    }
    // Dispatching goes out in the same status write as Applied: one write per sync, not two
    await syncWork(clusterName, cluster, work, signal);
  }

  async function ensureFinalizer(work: Work, signal: AbortSignal): Promise<Work> {
    const finalizers = work.metadata.finalizers ?? [];
    if (finalizers.includes(ExecutionControllerFinalizer)) return work;
    return ctx.client.replace<Work>({ ...work, metadata: { ...work.metadata, finalizers: [...finalizers, ExecutionControllerFinalizer] } }, { signal });
  }

  async function removeFinalizer(work: Work, signal: AbortSignal): Promise<void> {
    const finalizers = work.metadata.finalizers ?? [];
    if (!finalizers.includes(ExecutionControllerFinalizer)) return;
    try {
      await ctx.client.replace<Work>({ ...work, metadata: { ...work.metadata, finalizers: finalizers.filter((f) => f !== ExecutionControllerFinalizer) } }, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  function dispatchingCondition(work: Work): WorkCondition {
    return work.spec?.suspendDispatching
      ? { type: WorkDispatching, status: 'False', reason: 'SuspendDispatching', message: WorkSuspendDispatchingMessage }
      : { type: WorkDispatching, status: 'True', reason: 'Dispatching', message: WorkDispatchingMessage };
  }

  /**
   * The conditions as a change of a Work's status: `apply` sets them (false when they already hold),
   * `written` announces a Dispatching condition whose status the write changed with Karmada's
   * WorkDispatching event.
   */
  function conditionsChange(work: Work, conditions: WorkCondition[]): AppliedConditions {
    const dispatching = conditions.find((c) => c.type === WorkDispatching);
    let dispatchingChanged = false;
    return {
      apply(w) {
        dispatchingChanged = false;
        let next = w.status?.conditions ?? [];
        for (const c of conditions) next = setCondition(next, c);
        if (jsonEqual(next, w.status?.conditions)) return false;
        dispatchingChanged = !!dispatching && findCondition(w.status?.conditions, WorkDispatching)?.status !== dispatching.status;
        w.status = { ...(w.status ?? {}), conditions: next };
        return true;
      },
      written() {
        if (dispatchingChanged) ctx.events.record(work, 'Normal', EventReasonWorkDispatching, dispatching!.message);
      },
    };
  }

  /** sets the conditions in one status write (none when they already hold) */
  async function setWorkConditions(work: Work, conditions: WorkCondition[], signal: AbortSignal): Promise<Work | undefined> {
    return writeConditions(work, conditionsChange(work, conditions), signal);
  }

  async function writeConditions(work: Work, change: AppliedConditions, signal: AbortSignal): Promise<Work | undefined> {
    const written = await updateStatus<Work>(
      ctx.client,
      workGVR,
      work.metadata.name,
      work.metadata.namespace,
      (w) => change.apply(w),
      signal,
      work,
      // this controller alone writes these conditions and sees its own last write (freshest): a cached
      // Work that already holds them needs no read of the live one
      { trustKnown: true },
    );
    if (written) change.written();
    return written;
  }

  /** a handoff the work status controller did not write in time: the conditions alone (no second apply) */
  function handedBack(key: string, change: AppliedConditions): void {
    const cached = works.get(key) as Work | undefined;
    if (!cached || cached.metadata.deletionTimestamp) return handoff.cancel(key);
    writeConditions(freshest(ctx.client, cached), change, ctx.signal).then(
      () => {
        handoff.cancel(key);
        handoff.nudge(key);
      },
      // the reconcile applies again and, the handoff having expired, writes them itself
      () => controller.enqueue(key),
    );
  }

  /**
   * A successful apply's conditions: handed to the work status controller to go out with the member
   * object's status (one write, see applied-handoff.ts) when they need writing, else written here
   */
  async function setAppliedConditions(work: Work, conditions: WorkCondition[], signal: AbortSignal): Promise<void> {
    const key = `${work.metadata.namespace}/${work.metadata.name}`;
    const change = conditionsChange(work, conditions);
    // judged on a copy: apply sets the conditions on what it is given
    if (!change.apply({ ...work, status: { ...(work.status ?? {}) } })) return handoff.cancel(key);
    if (handoff.offer(key, conditionsChange(work, conditions), handedBack)) return;
    await setWorkConditions(work, conditions, signal);
    handoff.nudge(key);
  }

  /** the template an applied manifest came from, for events (only when its uid is known, as GenEventRef) */
  function templateRef(manifest: KubeObject): KubeObject | undefined {
    const uid = manifest.metadata?.annotations?.[ResourceTemplateUIDAnnotation];
    if (!uid) return undefined;
    return { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata: { name: manifest.metadata.name, namespace: manifest.metadata.namespace, uid } };
  }

  async function syncWork(clusterName: string, cluster: Cluster & KubeObject, work: Work, signal: AbortSignal): Promise<void> {
    const manifests = work.spec?.workload?.manifests ?? [];
    const failures: string[] = [];
    let client: KubeClient | undefined;
    try {
      client = await ctx.members.forCluster(cluster);
    } catch (err) {
      failures.push(errorMessage(err));
    }
    let succeeded = 0;
    const syncStart = performance.now();
    if (client) {
      for (const manifest of manifests) {
        const ref = templateRef(manifest);
        const id = `${manifest.metadata?.namespace ?? ''}/${manifest.metadata?.name ?? ''}`;
        try {
          await applyManifest(clusterName, client, work, manifest, signal);
          succeeded++;
          if (ref) ctx.events.record(ref, 'Normal', EventReasonSyncWorkloadSucceed, `Successfully applied resource(${id}) to cluster ${clusterName}`);
        } catch (err) {
          if (signal.aborted) throw err;
          failures.push(errorMessage(err));
          if (ref) ctx.events.record(ref, 'Warning', EventReasonSyncWorkloadFailed, `Failed to create or update resource(${id}) in member cluster(${clusterName}): ${errorMessage(err)}`);
        }
      }
    }
    const workId = `${work.metadata.namespace}/${work.metadata.name}`;
    metrics.syncWorkloadDuration.observe({ result: failures.length ? 'error' : 'success' }, since(syncStart));
    if (failures.length > 0) {
      const message = `Failed to apply all manifests (${succeeded}/${manifests.length}): ${aggregateMessage(failures)}`;
      handoff.cancel(workId);
      await setWorkConditions(work, [dispatchingCondition(work), { type: WorkApplied, status: 'False', reason: 'AppliedFailed', message }], signal);
      // what was applied is reflected now that the Work has its Applied condition
      handoff.nudge(workId);
      const text = `Failed to sync work(${workId}) to cluster(${clusterName}), err: ${aggregateMessage(failures)}`;
      ctx.events.record(work, 'Warning', EventReasonSyncWorkloadFailed, text);
      throw new Error(text);
    }
    await setAppliedConditions(work, [dispatchingCondition(work), { type: WorkApplied, status: 'True', reason: 'AppliedSuccessful', message: AppliedSuccessfulMessage }], signal);
    ctx.events.record(work, 'Normal', EventReasonSyncWorkloadSucceed, `Sync work(${workId}) to cluster(${clusterName}) successful.`);
  }

  async function resolveAndWatch(clusterName: string, client: KubeClient, manifest: KubeObject): Promise<ResourceInfo & { informer: Informer }> {
    const info = await client.resolve({ apiVersion: manifest.apiVersion ?? '', kind: manifest.kind ?? '' });
    const informer = objects.informer(clusterName, client, { group: info.group, version: info.version, resource: info.resource });
    return { ...info, informer };
  }

  async function getObserved(client: KubeClient, info: ResourceInfo, manifest: KubeObject, signal: AbortSignal): Promise<KubeObject | undefined> {
    try {
      return await client.get(info, manifest.metadata.name!, { namespace: info.namespaced ? (manifest.metadata.namespace ?? 'default') : undefined, signal });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async function applyManifest(clusterName: string, client: KubeClient, work: Work, manifest: KubeObject, signal: AbortSignal): Promise<void> {
    const info = await resolveAndWatch(clusterName, client, manifest);
    const desired = desiredObject(manifest, work);
    const labels = (result: 'success' | 'error') => ({ result, apiversion: desired.apiVersion ?? '', kind: desired.kind ?? '', member_cluster: clusterName });
    const create = async () => {
      const created = await objects.whileCreating(clusterName, desired, () =>
        counted(metrics.createResourceToCluster, { ...labels('success'), recreate: 'false' }, () => client.create(desired, { signal, shareAnswer: true }), (err) => isAlreadyExists(err)),
      );
      objects.recordWrite(clusterName, created);
    };
    // as Karmada's object watcher, absent from the member's (synced) cache means create, without a
    // GET first; one made behind our back (not labelled, so not cached) answers 409 and is read then
    const cacheKey = info.namespaced ? `${manifest.metadata.namespace ?? 'default'}/${manifest.metadata.name}` : manifest.metadata.name!;
    if (info.informer.hasSynced && !info.informer.get(cacheKey)) {
      try {
        return await create();
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    // as Karmada's GetObjectFromCache: the member informer's copy (a stale one meets a 409 and the Work
    // comes back), read live only before the informer has listed or when our own last write is newer
    const cached = info.informer.hasSynced ? info.informer.get(cacheKey) : undefined;
    const observed = cached && !objects.wroteAfter(clusterName, cached) ? { apiVersion: desired.apiVersion, kind: desired.kind, ...cached } : await getObserved(client, info, manifest, signal);
    if (!observed) return create();
    const refusal = updateRefusal(desired, observed, clusterName);
    if (refusal) throw new Error(refusal);
    await interpreter.prefetch?.({ operation: 'Retain', object: retainMemberMetadata(desired, observed), observedObject: observed });
    const retained = retainMemberFields(desired, observed, interpreter);
    if (holdsDesired(retained, observed)) return;
    const updated = await counted(metrics.updateResourceToCluster, labels('success'), () => client.replace(retained, { signal, shareAnswer: true }));
    objects.recordWrite(clusterName, updated);
  }

  async function deleteWorkload(clusterName: string, client: KubeClient, work: Work, signal: AbortSignal): Promise<void> {
    for (const manifest of work.spec?.workload?.manifests ?? []) {
      // a kind the member does not serve has no objects there (a suspended Work's MultiClusterService)
      const info = await client.resolve({ apiVersion: manifest.apiVersion ?? '', kind: manifest.kind ?? '' }).catch((err) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
      if (!info) continue;
      const observed = await getObserved(client, info, manifest, signal);
      // never delete what Karmada does not manage
      if (!observed || !isManagedByKarmada(observed)) continue;
      const labels = { result: 'success', apiversion: observed.apiVersion ?? manifest.apiVersion ?? '', kind: observed.kind ?? manifest.kind ?? '', member_cluster: clusterName };
      try {
        await counted(metrics.deleteResourceFromCluster, labels, () => client.delete(info, observed.metadata.name!, { namespace: observed.metadata.namespace, propagationPolicy: 'Background' }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      objects.forgetWrite(clusterName, observed);
    }
  }

  /** preserveResourcesOnDeletion: the objects stay, without the labels and annotations that tie them to Karmada */
  async function releaseWorkload(clusterName: string, client: KubeClient, work: Work, signal: AbortSignal): Promise<void> {
    for (const manifest of work.spec?.workload?.manifests ?? []) {
      const info = await client.resolve({ apiVersion: manifest.apiVersion ?? '', kind: manifest.kind ?? '' });
      const observed = await getObserved(client, info, manifest, signal);
      if (!observed || !isManagedByKarmada(observed)) continue;
      const patch = releasePatch(observed);
      if (!patch) continue;
      await client.patch(info, observed.metadata.name!, patch, { namespace: observed.metadata.namespace, type: 'merge', signal });
      objects.forgetWrite(clusterName, observed);
    }
  }

  return { controller, objects };
}
