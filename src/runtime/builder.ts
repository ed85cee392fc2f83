// How every controller is put together, after controller-runtime's builder: `for` the resource it
// reconciles, `owns` what it creates (owner references lead back), `watches` anything else through
// a map to keys, predicates that drop events early, then `complete(reconcile)`. Sources are shared
// informers: a GroupVersionResource (over HTTP with the builder's client) or an Informer made
// elsewhere (in-process over an API server's store, member informers).
import type { KubeObject } from '../apimachinery/types.js';
import type { KubeClient } from './client.js';
import { type Controller, type InformerRequest, type Logger, type Manager, type OwnerMatch, type Reconciler } from './controller.js';
import { Informer } from './informer.js';
import type { WorkQueueOptions } from './workqueue.js';

/** where events come from: a resource of the builder's client, or a ready informer */
export type Source = InformerRequest | Informer;

/** controller-runtime's predicate: events of objects it turns down are not enqueued */
export interface Predicate {
  /** every object (on update: the new and the old one, each on its own) */
  filter?(obj: KubeObject): boolean;
  /** updates only: whether this change matters at all */
  update?(obj: KubeObject, old: KubeObject): boolean;
}

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

  constructor(
    private readonly manager: Manager,
    private readonly name: string,
    private readonly client?: KubeClient,
  ) {}

  /** the resource this controller reconciles: its events enqueue the object's own key */
  for(source: Source, ...predicates: Predicate[]): this {
    this.watchList.push({ source, predicates });
    return this;
  }

  /** objects this controller creates: their events enqueue the owner's key (by ownerReferences) */
  owns(source: Source, owner: OwnerMatch, ...predicates: Predicate[]): this {
    this.watchList.push({ source, owner, predicates });
    return this;
  }

  /** anything else: `map` turns an object into the keys to reconcile */
  watches(source: Source, map: KeysOf, ...predicates: Predicate[]): this {
    this.watchList.push({ source, keysOf: map, predicates });
    return this;
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
    const controller = this.manager.controller({ name: this.name, reconcile, workers: this.workerCount, queue: this.queue, logger: this.log });
    for (const w of this.watchList) {
      const predicates = [...this.filters, ...w.predicates];
      const filter = (obj: KubeObject) => predicates.every((p) => !p.filter || p.filter(obj));
      const updateFilter = (obj: KubeObject, old: KubeObject) => predicates.every((p) => !p.update || p.update(obj, old));
      const opts = { filter, updateFilter };
      const handlers = w.owner ? controller.ownerHandlers(w.owner, opts) : w.keysOf ? controller.mappedHandlers(w.keysOf, opts) : controller.handlers(opts);
      this.informer(w.source).addHandlers(handlers);
    }
    return controller;
  }
}

/** controller-runtime's NewControllerManagedBy: a builder for a controller named `name` on `manager` */
export function newControllerManagedBy(manager: Manager, name: string, client?: KubeClient): ControllerBuilder {
  return new ControllerBuilder(manager, name, client);
}
