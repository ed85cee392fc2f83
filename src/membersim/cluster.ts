// What every simulated controller of one member shares: the member's object store, the resource
// definitions, one in-process informer per resource (started once, read by all), the builder every
// controller is put together with (runtime/builder.ts, as Karmada's are), and small write helpers.
import { isDeepStrictEqual } from 'node:util';
import type { ResourceDef } from '../apis/resource.js';
import type { ApiServer } from '../apiserver/server.js';
import { internalContext, type RequestContext } from '../apiserver/rest/context.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import { isConflict, isNotFound } from '../apimachinery/errors.js';
import type { KubeObject, OwnerReference } from '../apimachinery/types.js';
import { Manager, type Controller, type Reconciler } from '../runtime/controller.js';
import { objectKey, type Informer } from '../runtime/informer.js';
import { newControllerManagedBy, type ControllerBuilder } from '../runtime/builder.js';
import type { SimTiming } from './config.js';
import { ObjectStoreSource } from '../apiserver/controllers/sources.js';

export const resources = {
  pods: ['', 'pods'],
  nodes: ['', 'nodes'],
  services: ['', 'services'],
  namespaces: ['', 'namespaces'],
  endpointslices: ['discovery.k8s.io', 'endpointslices'],
  replicasets: ['apps', 'replicasets'],
  deployments: ['apps', 'deployments'],
  statefulsets: ['apps', 'statefulsets'],
  daemonsets: ['apps', 'daemonsets'],
  jobs: ['batch', 'jobs'],
  cronjobs: ['batch', 'cronjobs'],
  poddisruptionbudgets: ['policy', 'poddisruptionbudgets'],
  horizontalpodautoscalers: ['autoscaling', 'horizontalpodautoscalers'],
  resourcequotas: ['', 'resourcequotas'],
} as const;

export type ResourceName = keyof typeof resources;

/**
 * the context of a simulated controller's write: it only reads what a write returns (it keeps it as
 * its cache would, never changing it), so the store hands that object to the informers' read-only
 * watch instead of decoding the stored value again
 */
export function controllerContext(manager: string): RequestContext {
  return { ...internalContext(manager), readsResultOnly: true };
}

export class SimCluster {
  readonly objects: ObjectStore;
  private readonly defs = new Map<ResourceName, ResourceDef>();
  /** the informers, started (and synced) before the controllers */
  private readonly informers = new Manager({ retryDelayMs: 200 });
  /** the controllers' queues and workers, started once the member's nodes exist (no metrics: a member serves none) */
  private readonly controllers = new Manager({ metrics: false });
  private readonly lastErrors = new Map<string, unknown>();
  private stopped = false;
  /** caughtUp's pending checks per resource, run on each of its informer's events */
  private readonly waiters = new Map<ResourceName, Set<() => void>>();
  /** caughtUp's waits, released at once by stop() */
  private readonly stopping = new Set<() => void>();

  constructor(
    server: ApiServer,
    readonly memberName: string,
    readonly timing: SimTiming,
  ) {
    this.objects = server.objects;
    for (const [name, [group, resource]] of Object.entries(resources) as [ResourceName, readonly [string, string]][]) {
      const def = server.registry.versionsOf(group, resource)[0];
      if (!def) throw new Error(`the API server does not serve ${resource}.${group}`);
      this.defs.set(name, def);
    }
  }

  def(name: ResourceName): ResourceDef {
    return this.defs.get(name)!;
  }

  informer(name: ResourceName): Informer {
    return this.informers.sharedInformer(name, () => new ObjectStoreSource(this.objects, this.def(name), undefined, { readOnly: true }));
  }

  /**
   * the builder of one of the member's controllers: sources are this member's informers
   * (`.for(c.informer('pods'))`), retries back off from 20 ms to 5 s, reconcile errors are kept for errors()
   */
  controller(name: string): ControllerBuilder {
    return newControllerManagedBy(this.controllers, name)
      .backoff(20, 5000)
      .logger({ error: ({ err }: { err?: unknown }) => this.lastErrors.set(name, err) });
  }

  /** queues `key` on the controller named `controller` (a fault or a changed image list pokes it from outside) */
  enqueue(controller: string, key: string): void {
    this.controllers.controllerNamed(controller)?.enqueue(key);
  }

  /** the last reconcile error of each controller that had one */
  errors(): Map<string, unknown> {
    return this.lastErrors;
  }

  /** starts the informers and waits until each has listed */
  async startInformers(): Promise<void> {
    await this.informers.start();
  }

  /** starts the controllers' workers (the member's nodes exist by then) */
  async startControllers(): Promise<void> {
    await this.controllers.start();
  }

  /** stops every controller (waiting for reconciles under way) and informer */
  async stop(): Promise<void> {
    // first, so reconciles waiting for the cache to catch up give up at once
    this.stopped = true;
    for (const release of [...this.stopping]) release();
    await this.controllers.stop();
    await this.informers.stop();
  }

  /** the cached pods bound to `node` (an index, not a scan) */
  podsOnNode(node: string): KubeObject[] {
    const inf = this.informer('pods');
    inf.addIndex(nodeNameIndex, (p) => {
      const n = (p.spec as { nodeName?: string } | undefined)?.nodeName;
      return n ? [n] : [];
    });
    return inf.byIndex(nodeNameIndex, node);
  }

  /** the cached objects whose controlling owner is `owner` (an index, not a scan) */
  owned(name: ResourceName, owner: KubeObject): KubeObject[] {
    const inf = this.informer(name);
    inf.addIndex(controllerUidIndex, (o) => {
      const uid = controllerOf(o)?.uid;
      return uid ? [uid] : [];
    });
    return owner.metadata.uid ? inf.byIndex(controllerUidIndex, owner.metadata.uid) : [];
  }

  get(name: ResourceName, key: string): KubeObject | undefined {
    return this.informer(name).get(key);
  }

  // ---- writes, as the controller named `manager` ----

  async create(name: ResourceName, obj: KubeObject, manager: string): Promise<KubeObject> {
    return this.objects.create(this.def(name), obj.metadata.namespace, obj, controllerContext(manager));
  }

  /**
   * sets status through the status subresource unless it is already what we want, in the cache or
   * in the store: a controller working from a cache that lags its own last write computes the
   * status it already wrote, and neither a real controller nor kube-apiserver writes that again.
   * `ifCurrent`: only over the very version `current` is (a real controller's UpdateStatus with the
   * cached resourceVersion): a status computed from a stale copy is dropped, as a Conflict would
   * drop it, and the newer version's event brings the controller back to compute it afresh. Only
   * for a controller that every change of `current` requeues. `annotations`: set with the status,
   * as the status endpoints of built-in kinds take metadata too (kube's deployment controller writes
   * its revision annotation through UpdateStatus).
   */
  async updateStatus(name: ResourceName, current: KubeObject, status: unknown, manager: string, opts: { ifCurrent?: boolean; annotations?: Record<string, string> } = {}): Promise<void> {
    const annotated = (o: KubeObject) => !opts.annotations || Object.entries(opts.annotations).every(([k, v]) => o.metadata.annotations?.[k] === v);
    if (isDeepStrictEqual(current.status, status) && annotated(current)) return;
    // the cache already holds a newer version (the store's revisions are numbers): its event brings us back
    if (opts.ifCurrent && Number(this.get(name, objectKey(current))?.metadata.resourceVersion) > Number(current.metadata.resourceVersion)) return;
    try {
      // the status endpoint takes only the status of what we return (and copies it): the stored object
      // is read, never changed, so it needs no private deep copy first (readsCurrent)
      await this.objects.guaranteedUpdate(this.def(name), current.metadata.namespace, current.metadata.name!, controllerContext(manager), (o) => {
        if (o.metadata.uid !== current.metadata.uid) throw new GoneAway();
        if (opts.ifCurrent && o.metadata.resourceVersion !== current.metadata.resourceVersion) throw new Unchanged(o);
        if (isDeepStrictEqual(o.status, status) && annotated(o)) throw new Unchanged(o);
        if (annotated(o)) return { ...o, status };
        return { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, ...opts.annotations } }, status };
      }, { subresource: 'status', readsCurrent: true });
    } catch (err) {
      if (err instanceof GoneAway || err instanceof Unchanged || isNotFound(err)) return;
      throw err;
    }
  }

  /** read-modify-write of the whole object; `mutate` returns false to skip the write */
  async update(name: ResourceName, current: KubeObject, manager: string, mutate: (o: KubeObject) => boolean | void): Promise<KubeObject | undefined> {
    try {
      const { object } = await this.objects.guaranteedUpdate(this.def(name), current.metadata.namespace, current.metadata.name!, controllerContext(manager), (o) => {
        if (o.metadata.uid !== current.metadata.uid) throw new GoneAway();
        if (mutate(o) === false) throw new Unchanged(o);
        return o;
      });
      return object;
    } catch (err) {
      if (err instanceof Unchanged) return err.obj;
      if (err instanceof GoneAway || isNotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(name: ResourceName, obj: KubeObject, manager: string): Promise<void> {
    try {
      await this.objects.delete(this.def(name), obj.metadata.namespace, obj.metadata.name!, { preconditions: { uid: obj.metadata.uid }, propagationPolicy: 'Background' }, internalContext(manager));
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /**
   * waits (briefly) until the informer reflects our own writes, as client-go's expectations do: the
   * check runs again on each of the informer's events, not on a timer
   */
  async caughtUp(name: ResourceName, check: (inf: Informer) => boolean, timeoutMs = 5000): Promise<void> {
    const inf = this.informer(name);
    if (this.stopped || check(inf)) return;
    let waiters = this.waiters.get(name);
    if (!waiters) {
      const all = new Set<() => void>();
      const wake = () => {
        for (const w of all) w();
      };
      inf.addHandlers({ onAdd: wake, onUpdate: wake, onDelete: wake });
      this.waiters.set(name, (waiters = all));
    }
    const set = waiters;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        set.delete(waiter);
        this.stopping.delete(done);
        resolve();
      };
      const waiter = () => {
        if (check(inf)) done();
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(waiter);
      // stopped informers never catch up: a stopping member must not wait out every deadline
      this.stopping.add(done);
    });
  }
}

const controllerUidIndex = 'controller-uid';
const nodeNameIndex = 'spec.nodeName';

// thrown through guaranteedUpdate to leave it without writing; not Errors: nothing reads a stack
class GoneAway {}
class Unchanged {
  constructor(readonly obj: KubeObject) {}
}

/** one of the member's controllers: built on the cluster's manager by its constructor */
export interface MemberController {
  readonly controller: Controller;
}

/** a reconcile that answers with the milliseconds to look again after (or nothing), as a runtime Reconciler */
export function requeueAfterMs(reconcile: (key: string) => Promise<number | void>): Reconciler {
  return async (key) => {
    const ms = await reconcile(key);
    return typeof ms === 'number' ? { requeueAfter: Math.max(1, ms) } : undefined;
  };
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

export function ownerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function isOwnedBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}
