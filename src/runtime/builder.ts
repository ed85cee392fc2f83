// How every controller is put together, after controller-runtime's builder: `for` the resource it
// reconciles, `owns` what it creates (owner references lead back), `watches` anything else through
// a map to keys, predicates that drop events early, then `complete(reconcile)`. Sources are shared
// informers: a GroupVersionResource (over HTTP with the builder's client) or an Informer made
// elsewhere (in-process over an API server's store, member informers).
import type { KubeObject } from '../apimachinery/types.js';
import type { KubeClient } from './client.js';
import { ownerKeys, type Controller, type InformerRequest, type Logger, type Manager, type OwnerMatch, type Reconciler } from './controller.js';
import { Informer, objectKey, type InformerHandlers } from './informer.js';
import { LowPriority, type WorkQueueOptions } from './workqueue.js';

/** where events come from: a resource of the builder's client, or a ready informer */
export type Source = InformerRequest | Informer;

/** controller-runtime's predicate: events it turns down are not enqueued */
export interface Predicate {
  /** every object (on update: the new and the old one, each on its own) */
  filter?(obj: KubeObject): boolean;
  /** creates (and objects first seen by a list) */
  create?(obj: KubeObject): boolean;
  /** updates: whether this change matters at all */
  update?(obj: KubeObject, old: KubeObject): boolean;
  deleted?(obj: KubeObject): boolean;
}

/** only this kind of event */
export const onlyDeletes: Predicate = { create: () => false, update: () => false };

/** updates that change metadata.generation (spec changes; not status or metadata-only writes) */
export const generationChanged: Predicate = { update: (obj, old) => obj.metadata.generation !== old.metadata.generation };

type KeysOf = (obj: KubeObject) => string | string[] | undefined;

interface Watch {
  source: Source;
  keysOf?: KeysOf;
  owner?: OwnerMatch;
  predicates: Predicate[];
}

export class ControllerBuilder {
  private readonly watchList: Watch[] = [];
  private readonly filters: Predicate[] = [];
  private workerCount = 1;
  private queue: WorkQueueOptions = {};
  private log?: Logger;
  private built?: Controller;

  constructor(
    private readonly manager: Manager,
    private readonly name: string,
    private readonly client?: KubeClient,
  ) {}

  /** the resource this controller reconciles: its events enqueue the object's own key */
  for(source: Source, ...predicates: Predicate[]): this {
    return this.add({ source, predicates });
  }

  /** objects this controller creates: their events enqueue the owner's key (by ownerReferences) */
  owns(source: Source, owner: OwnerMatch, ...predicates: Predicate[]): this {
    return this.add({ source, owner, predicates });
  }

  /** anything else: `map` turns an object into the keys to reconcile */
  watches(source: Source, map: KeysOf, ...predicates: Predicate[]): this {
    return this.add({ source, keysOf: map, predicates });
  }

  // after complete(), a watch starts at once: resources found later (discovery, dependencies) join
  private add(w: Watch): this {
    this.watchList.push(w);
    if (this.built) this.attach(this.built, w);
    return this;
  }

  private attach(controller: Controller, w: Watch): void {
    this.informer(w.source).addHandlers(handlersFor(controller, w, [...this.filters, ...w.predicates]));
  }

  /** predicates applied to every watch */
  withEventFilter(...predicates: Predicate[]): this {
    this.filters.push(...predicates);
    return this;
  }

  /** concurrent reconciles (controller-runtime's MaxConcurrentReconciles; default 1) */
  workers(n: number): this {
    this.workerCount = n;
    return this;
  }

  /** keys with a higher priority are handed out first (equal ones in arrival order) */
  priority(of: (key: string) => number): this {
    this.queue = { ...this.queue, priority: of };
    return this;
  }

  /** per-key retry backoff */
  backoff(baseDelayMs: number, maxDelayMs: number): this {
    this.queue = { ...this.queue, baseDelayMs, maxDelayMs };
    return this;
  }

  logger(log: Logger): this {
    this.log = log;
    return this;
  }

  /** the informer behind a source (shared with every other user of the same source) */
  informer(source: Source): Informer {
    if (source instanceof Informer) return source;
    if (!this.client) throw new Error(`controller ${this.name}: a resource source needs a client`);
    return this.manager.informer(this.client, source);
  }

  /** adds the controller to the manager, with a handler on each watched informer */
  complete(reconcile: Reconciler): Controller {
    if (this.built) throw new Error(`controller ${this.name} is already complete`);
    const controller = this.manager.controller({ name: this.name, reconcile, workers: this.workerCount, queue: this.queue, logger: this.log });
    for (const w of this.watchList) this.attach(controller, w);
    this.built = controller;
    return controller;
  }
}

function handlersFor(controller: Controller, w: Watch, predicates: Predicate[]): InformerHandlers {
  const owner = w.owner;
  const keysOf: KeysOf = owner ? (obj) => ownerKeys(obj, owner) : w.keysOf ?? objectKey;
  const all = <A extends unknown[]>(pick: (p: Predicate) => ((...a: A) => boolean) | undefined, ...args: A) => predicates.every((p) => pick(p)?.(...args) ?? true);
  const enqueue = (obj: KubeObject, priority?: number) => {
    if (!all((p) => p.filter, obj)) return;
    const keys = keysOf(obj);
    for (const k of keys === undefined ? [] : Array.isArray(keys) ? keys : [keys]) controller.enqueue(k, priority);
  };
  return {
    // after a restart the informers' initial lists wait behind fresh changes (Karmada v1.17's priority queue)
    onAdd: (obj, initial) => all((p) => p.create, obj) && enqueue(obj, initial ? LowPriority : undefined),
    onUpdate: (obj, old) => {
      // the filters first: they are cheap, and an update neither version passes enqueues nothing
      // whatever the update predicates say (some compare specs whole, on every binding's status write)
      if (!all((p) => p.filter, obj) && !all((p) => p.filter, old)) return;
      if (!all((p) => p.update, obj, old)) return;
      enqueue(obj);
      enqueue(old);
    },
    onDelete: (obj) => all((p) => p.deleted, obj) && enqueue(obj),
  };
}

/** controller-runtime's NewControllerManagedBy: a builder for a controller named `name` on `manager` */
export function newControllerManagedBy(manager: Manager, name: string, client?: KubeClient): ControllerBuilder {
  return new ControllerBuilder(manager, name, client);
}
