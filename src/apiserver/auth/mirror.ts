// A watch-fed, in-memory copy of one resource inside the API server (what an informer is to a
// controller), so that authentication and authorization read memory, not the store, per request.
// A broken watch is reopened with a fresh list that replaces the copy only once complete.
import type { ResourceDef } from '../../apis/resource.js';
import type { KubeObject } from '../../apimachinery/types.js';
import type { Watcher } from '../../storage/store.js';
import type { ObjectStore } from '../rest/object-store.js';

export class Mirror<T = KubeObject> {
  /** namespace ('' for cluster-scoped) -> name -> object */
  private items = new Map<string, Map<string, T>>();
  private watcher?: Watcher;
  private stopped = false;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly objects: ObjectStore,
    private readonly def: () => ResourceDef,
    private readonly filter?: (obj: KubeObject) => boolean,
  ) {}

  async start(): Promise<void> {
    const fresh = new Map<string, Map<string, T>>();
    const apply = (type: string, obj: KubeObject) => {
      const ns = obj.metadata.namespace ?? '';
      const name = obj.metadata.name!;
      if (type === 'DELETED') {
        fresh.get(ns)?.delete(name);
        if (fresh.get(ns)?.size === 0) fresh.delete(ns);
      } else {
        let m = fresh.get(ns);
        if (!m) fresh.set(ns, (m = new Map()));
        m.set(name, obj as T);
      }
    };
    let ready = false;
    this.watcher = await this.objects.watch(this.def(), undefined, { filter: this.filter }, {
      onEvent: (type, obj) => {
        apply(type, obj);
        if (ready) this.changed();
      },
      onError: () => {
        if (!this.stopped) setTimeout(() => void this.start().catch(() => {}), 200).unref();
      },
    });
    ready = true;
    this.items = fresh;
    this.changed();
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(namespace ?? '')?.get(name);
  }

  inNamespace(namespace: string | undefined): Iterable<T> {
    return this.items.get(namespace ?? '')?.values() ?? [];
  }

  *all(): Iterable<T> {
    for (const m of this.items.values()) yield* m.values();
  }
}
