// The work status controller (Karmada pkg/controllers/status/work_status_controller.go): the status
// and health of every member object a Work manages, collected into Work.status.manifestStatuses
// whenever the member object (or the Work's manifests) change. It reads the member objects from
// the informers the execution controller shares (one per member and resource).
import type { KubeObject } from '../../apimachinery/types.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { WorkApplied, clusterOfExecutionSpace, type Work, executionSpaceName } from '../../apis/karmada/work.js';
import type { ResourceInterpreter } from '../../interpreter/types.js';
import { splitKey, type Controller, type ReconcileResult } from '../../runtime/controller.js';
import { servesCluster, watchedNamespace, type ControllerContext } from '../context.js';
import { workKeyOf } from '../execution/manifest.js';
import { memberObjects } from '../execution/member-objects.js';
import { findCondition, freshest, isOwnLastWrite, jsonEqual, updateStatus } from '../execution/status.js';
import { manifestStatuses, type ObservedManifest } from './manifest-status.js';
import { workGVR, clusterGVR } from '../../apis/karmada/gvr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import { LowPriority } from '../../runtime/workqueue.js';
import { appliedHandoff } from '../execution/applied-handoff.js';

export const WorkStatusControllerName = 'work-status-controller';
const EventReasonReflectStatusSucceed = 'ReflectStatusSucceed';
const EventReasonReflectStatusFailed = 'ReflectStatusFailed';

/**
 * How long a member object that is still progressing must stay unchanged before its Work's status is
 * written, and how long at most its changes are held back: a Deployment settling goes through several
 * statuses (created, replicas counted, ready, available) within moments, and the Work records the
 * state it reaches, not every step; one stuck on its way is reflected after the longer wait at most.
 * A change that leaves the object healthy (or gone) is reflected at once.
 */
export const progressingQuietMs = 500;
export const progressingMaxDelayMs = 2000;

/**
 * A debounce per key: `hold` fires `fire` once the key has had no hold for `quietMs`, and no later
 * than `maxDelayMs` after its first hold; `now` fires at once and ends the holding.
 */
export function debouncer(fire: (key: string) => void, quietMs: number, maxDelayMs: number) {
  const held = new Map<string, { first: number; timer: NodeJS.Timeout }>();
  const release = (key: string) => {
    const h = held.get(key);
    if (h) clearTimeout(h.timer);
    held.delete(key);
  };
  return {
    hold(key: string): void {
      const at = performance.now();
      const first = held.get(key)?.first ?? at;
      release(key);
      const timer = setTimeout(() => {
        held.delete(key);
        fire(key);
      }, Math.max(0, Math.min(at + quietMs, first + maxDelayMs) - at));
      timer.unref();
      held.set(key, { first, timer });
    },
    now(key: string): void {
      release(key);
      fire(key);
    },
    get size(): number {
      return held.size;
    },
  };
}

/** true when the member object is on its way somewhere (not healthy yet): its next change is near */
export function isProgressing(obj: KubeObject, interpreter: ResourceInterpreter): boolean {
  try {
    // not interpretHealth: its InterpretHealthSucceed event belongs to the reflect, as in Karmada
    return (interpreter.healthHint ?? interpreter.interpretHealth).call(interpreter, obj) !== 'Healthy';
  } catch {
    // a customization that fails or waits for its webhook: the reconcile reports or retries it now
    return false;
  }
}

interface WorkStatusOptions {
  workers?: number;
  /** see progressingQuietMs; 0 reflects every change at once */
  quietMs?: number;
  maxDelayMs?: number;
}

export function registerWorkStatusController(ctx: ControllerContext, interpreter: ResourceInterpreter, opts: WorkStatusOptions = {}): Controller {
  const workers = opts.workers ?? 4;
  const quietMs = opts.quietMs ?? progressingQuietMs;
  const works = ctx.manager.informer(ctx.client, { ...workGVR, namespace: watchedNamespace(ctx) });
  const clusters = ctx.manager.informer(ctx.client, clusterGVR);
  const objects = memberObjects(ctx);
  const controller = newControllerManagedBy(ctx.manager, WorkStatusControllerName, ctx.client)
    .for(works, {
      filter: (w) => clusterOfExecutionSpace(w.metadata.namespace) !== undefined,
      // manifestStatuses too: the cache deciding that nothing needs writing is put right when it catches
      // up; not the echo of our own last write, which holds what the member showed when we wrote it
      update: (w, old) =>
        !jsonEqual(w.spec, old.spec) || (!jsonEqual((w as Work).status?.manifestStatuses, (old as Work).status?.manifestStatuses) && !isOwnLastWrite(ctx.client, w)),
    })
    .workers(workers)
    .logger(ctx.log)
    .complete((key, signal) => reconcile(key, signal));
  const settling = debouncer((key) => controller.enqueue(key), quietMs, opts.maxDelayMs ?? progressingMaxDelayMs);
  // a Work's first Applied goes out with the member object's status: the execution controller hands
  // it over and the reconcile writes both once the object is healthy or the hold is over
  const handoff = appliedHandoff(ctx.manager);
  handoff.consume((key) => settling.now(key));
  objects.subscribe((cluster, event, obj, _old, initial) => {
    const key = workKeyOf(obj);
    if (!key || clusterOfExecutionSpace(splitKey(key).namespace) !== cluster) return;
    if (initial) return controller.enqueue(key, LowPriority);
    // the reconcile reads the object as it is when it runs, and a change after it started brings the key back
    if (quietMs > 0 && event !== 'delete' && isProgressing(obj, interpreter)) {
      // held even while a handoff waits: a reconcile already under way may settle the handoff with what
      // it read before this change, and the debounce is then what brings the Work back (a pass inside
      // the hold writes nothing while the object is still progressing)
      return settling.hold(key);
    }
    settling.now(key);
  });
  objects.onReset((cluster) => {
    const ns = executionSpaceName(cluster);
    for (const w of works.list((o) => o.metadata.namespace === ns)) controller.enqueue(`${ns}/${w.metadata.name}`);
  });

  async function reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const clusterName = clusterOfExecutionSpace(namespace);
    const work = works.get(key) as Work | undefined;
    if (!clusterName || !work || work.metadata.deletionTimestamp) return;
    const cluster = clusters.get(clusterName) as (Cluster & KubeObject) | undefined;
    if (!cluster || !servesCluster(ctx, cluster)) return;
    // a suspended Work that never reached the member has nothing to reflect (helper.IsResourceApplied)
    if (work.spec?.suspendDispatching && findCondition(work.status?.conditions, WorkApplied)?.status !== 'True') return;
    // a Work not applied yet waits for the execution controller's handoff (Karmada's skips a Work not applied)
    const handed = handoff.peek(key);
    if (!handed && handoff.applying && !findCondition(freshest(ctx.client, work).status?.conditions, WorkApplied)) return;
    const client = await ctx.members.forCluster(cluster);

    const items: ObservedManifest[] = [];
    let synced = true;
    const manifests = work.spec?.workload?.manifests ?? [];
    for (const [ordinal, manifest] of manifests.entries()) {
      const info = await client.resolve({ apiVersion: manifest.apiVersion ?? '', kind: manifest.kind ?? '' });
      const inf = objects.informer(clusterName, client, { group: info.group, version: info.version, resource: info.resource });
      // an informer that has not listed yet calls us back (onAdd) when it has
      if (!inf.hasSynced) synced = false;
      const objKey = info.namespaced ? `${manifest.metadata?.namespace ?? 'default'}/${manifest.metadata?.name}` : manifest.metadata?.name ?? '';
      const observed = inf.get(objKey);
      items.push({ ordinal, resource: info.resource, observed: observed && workKeyOf(observed) === key ? observed : undefined });
    }
    if (!synced) return;

    for (const item of items) {
      if (!item.observed || !interpreter.prefetch) continue;
      await interpreter.prefetch({ operation: 'InterpretStatus', object: item.observed });
      await interpreter.prefetch({ operation: 'InterpretHealth', object: item.observed });
    }
    // Applied handed over by the execution controller waits (within its hold) for objects still on their way
    if (handed && !handed.due && items.some((i) => !i.observed || isProgressing(i.observed, interpreter))) return;
    const { statuses, failures, pending } = manifestStatuses(items, interpreter);
    // answers dropped meanwhile (the webhook configurations changed): keep the last status, ask again
    if (pending) return { requeueAfter: 100 };
    for (const f of failures) {
      ctx.events.record(work, 'Warning', EventReasonReflectStatusFailed, `Reflect status for object(${f.obj.kind}/${f.obj.metadata.namespace ?? ''}/${f.obj.metadata.name}) failed, err: ${f.message}.`);
    }
    // nothing to write (a restart's look at every Work, mostly): decided on the cached Work as it is,
    // before updateStatus copies its status to change it
    if (!handed && jsonEqual(statuses, freshest(ctx.client, work).status?.manifestStatuses ?? [])) return;
    // written from the cached Work (a stale one costs a 409) and skipped when the cache agrees: a
    // cache behind our own last write sees that write (freshest), and one behind another writer's
    // brings the Work back here when it catches up (see the update filter above)
    let reflected = false;
    const written = await updateStatus<Work>(
      ctx.client,
      workGVR,
      name,
      namespace,
      (w) => {
        if (w.metadata.deletionTimestamp) return false;
        reflected = !jsonEqual(statuses, w.status?.manifestStatuses ?? []);
        if (reflected) w.status = { ...(w.status ?? {}), manifestStatuses: statuses };
        const applied = handed?.conditions.apply(w) ?? false;
        return reflected || applied;
      },
      signal,
      work,
      { trustKnown: true },
    );
    if (handed) {
      handoff.settle(key, handed.conditions);
      if (written) handed.conditions.written();
    }
    if (written && reflected) {
      for (const s of statuses) {
        const id = s.identifier;
        ctx.events.record(work, 'Normal', EventReasonReflectStatusSucceed, `Reflect status for object(${id.kind}/${id.namespace ?? ''}/${id.name}) succeed.`);
      }
    }
  }

  return controller;
}
