// An informer: a local cache of one resource kept current by list + watch, with handlers for
// changes. The source is pluggable: over HTTP with the Kubernetes client (member clusters may be
// real clusters) or in-process over an API server's object store (the member simulator).
// Level-triggered users read the cache; handlers only say which keys to look at.
import type { KubeObject } from '../apimachinery/types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface ListWatchSource {
  /** a consistent list and the resourceVersion it was read at */
  list(): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /**
   * events after resourceVersion, in order. onEnd(err) when the watch ends: with `gone` true for
   * 410 (the informer then relists), otherwise it re-watches from the last seen resourceVersion.
   */
  watch(
    resourceVersion: string,
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
    onEnd: (err?: { gone?: boolean; message?: string }) => void,
  ): Promise<{ stop(): void }>;
}

export interface InformerHandlers {
  /** isInInitialList: the object came with the informer's first list (or the replay to a late handler), as client-go says */
  onAdd?(obj: KubeObject, isInInitialList?: boolean): void;
  onUpdate?(obj: KubeObject, old: KubeObject): void;
  onDelete?(obj: KubeObject): void;
}

export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name!;
}

export interface InformerOptions {
  /** wait before retrying a failed list or watch (default 500 ms); it doubles with each failure in a row */
  retryDelayMs?: number;
  /**
   * the longest wait between failed tries (default 5 s). client-go's reflector backs off to 30 s; an
   * informer of a member that went away retries here within 5 s of its return, before the cluster
   * status controller's next probe (10 s) can call it Ready, so nothing reads a cache left behind.
   */
  maxRetryDelayMs?: number;
  /** the cache key of an object (default `namespace/name`); a source spanning resources keys by uid */
  keyOf?: (obj: KubeObject) => string;
  /**
   * client-go's SetTransform: what the cache keeps of each listed or watched object, before handlers
   * see it (the fields its users read: a member's pods for a resource summary are mostly not those)
   */
  transform?: (obj: KubeObject) => KubeObject;
}

export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private stopped = false;
  private current?: { stop(): void };
  private lastRv = '';
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private retryTimer?: NodeJS.Timeout;
  /** lists or watches failed in a row (reset by a list or a watch that succeeds) */
  private failures = 0;
  /** relists after a 410, for tests and metrics */
  relists = 0;
  /** client-go's indexers: index name -> value -> keys of the objects with that value */
  private readonly indexers = new Map<string, (obj: KubeObject) => string[]>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  private readonly keyOf: (obj: KubeObject) => string;

  constructor(
    private readonly source: ListWatchSource,
    private readonly opts: InformerOptions = {},
  ) {
    this.keyOf = opts.keyOf ?? objectKey;
  }

  addHandlers(h: InformerHandlers): void {
    this.handlers.push(h);
    if (this.synced) for (const obj of this.cache.values()) h.onAdd?.(obj, true);
  }

  get(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  list(filter?: (obj: KubeObject) => boolean): KubeObject[] {
    if (!filter) return [...this.cache.values()];
    const out: KubeObject[] = [];
    for (const obj of this.cache.values()) if (filter(obj)) out.push(obj);
    return out;
  }

  /** an index over the cache (client-go's AddIndexers); `valuesOf` gives the values an object is filed under */
  addIndex(name: string, valuesOf: (obj: KubeObject) => string[]): void {
    if (this.indexers.has(name)) return;
    this.indexers.set(name, valuesOf);
    this.indices.set(name, new Map());
    for (const [key, obj] of this.cache) this.fileUnder(name, valuesOf, key, obj, true);
  }

  /** the cached objects filed under `value` in the index `name` (client-go's ByIndex) */
  byIndex(name: string, value: string): KubeObject[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`no index named ${JSON.stringify(name)}`);
    const out: KubeObject[] = [];
    for (const key of index.get(value) ?? []) {
      const obj = this.cache.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  private fileUnder(name: string, valuesOf: (obj: KubeObject) => string[], key: string, obj: KubeObject, add: boolean): void {
    const index = this.indices.get(name)!;
    for (const v of valuesOf(obj)) {
      let keys = index.get(v);
      if (add) {
        if (!keys) index.set(v, (keys = new Set()));
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) index.delete(v);
      }
    }
  }

  /** puts obj in the cache (undefined: removes the key), keeping the indices in step */
  private store(key: string, obj: KubeObject | undefined): void {
    const old = this.cache.get(key);
    for (const [name, valuesOf] of this.indexers) {
      // values an update keeps are left in place, so index order stays the order objects arrived in
      const before = old ? valuesOf(old) : [];
      const after = obj ? valuesOf(obj) : [];
      // most updates (every status write) keep every value: nothing to move
      if (before.length === after.length && before.every((v, i) => v === after[i])) continue;
      this.fileUnder(name, () => before.filter((v) => !after.includes(v)), key, old!, false);
      this.fileUnder(name, () => after.filter((v) => !before.includes(v)), key, obj!, true);
    }
    if (obj) this.cache.set(key, obj);
    else this.cache.delete(key);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** resolves once the first list is in the cache */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncWaiters.push(r));
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.current?.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const w of this.syncWaiters.splice(0)) w();
  }

  /** runs fn again after a wait: the base one after a watch that ended, a growing one after failures */
  private retry(fn: () => Promise<void>, failed = true): void {
    if (this.stopped) return;
    const base = this.opts.retryDelayMs ?? 500;
    const delay = failed ? Math.min(base * 2 ** this.failures, Math.max(base, this.opts.maxRetryDelayMs ?? 5000)) : base;
    if (failed) this.failures++;
    this.retryTimer = setTimeout(() => void fn().catch(() => this.retry(fn)), delay);
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    let listed: { items: KubeObject[]; resourceVersion: string };
    try {
      listed = await this.source.list();
    } catch {
      return this.retry(() => this.relist());
    }
    if (this.stopped) return;
    this.failures = 0;
    const transform = this.opts.transform;
    const fresh = new Map(listed.items.map((o) => [this.keyOf(o), transform ? transform(o) : o]));
    const initial = !this.synced;
    // replace the cache, telling handlers what changed while we were not watching
    for (const [key, old] of this.cache) {
      if (!fresh.has(key)) {
        this.store(key, undefined);
        for (const h of this.handlers) h.onDelete?.(old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.cache.get(key);
      this.store(key, obj);
      if (!old) for (const h of this.handlers) h.onAdd?.(obj, initial);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) for (const h of this.handlers) h.onUpdate?.(obj, old);
    }
    this.lastRv = listed.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
    await this.watch();
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    try {
      this.current = await this.source.watch(this.lastRv, (type, obj) => this.apply(type, obj), (err) => {
        if (this.stopped) return;
        if (err?.gone) {
          this.relists++;
          this.retry(() => this.relist());
        } else {
          this.retry(() => this.watch(), err !== undefined);
        }
      });
      this.failures = 0;
      if (this.stopped) this.current.stop();
    } catch {
      this.retry(() => this.relist());
    }
  }

  /** the resourceVersion of the last list or event seen (client-go's LastSyncResourceVersion) */
  lastSyncResourceVersion(): string {
    return this.lastRv;
  }

  private apply(type: WatchEventType, watched: KubeObject): void {
    if (watched.metadata?.resourceVersion) this.lastRv = watched.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const obj = this.opts.transform ? this.opts.transform(watched) : watched;
    const key = this.keyOf(obj);
    const old = this.cache.get(key);
    if (type === 'DELETED') {
      this.store(key, undefined);
      for (const h of this.handlers) h.onDelete?.(obj);
      return;
    }
    this.store(key, obj);
    if (old) for (const h of this.handlers) h.onUpdate?.(obj, old);
    else for (const h of this.handlers) h.onAdd?.(obj, false);
  }
}
