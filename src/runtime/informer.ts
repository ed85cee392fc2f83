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
  onAdd?(obj: KubeObject): void;
  onUpdate?(obj: KubeObject, old: KubeObject): void;
  onDelete?(obj: KubeObject): void;
}

export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name!;
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
  /** relists after a 410, for tests and metrics */
  relists = 0;

  constructor(
    private readonly source: ListWatchSource,
    private readonly opts: { retryDelayMs?: number } = {},
  ) {}

  addHandlers(h: InformerHandlers): void {
    this.handlers.push(h);
    if (this.synced) for (const obj of this.cache.values()) h.onAdd?.(obj);
  }

  get(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  list(filter?: (obj: KubeObject) => boolean): KubeObject[] {
    const all = [...this.cache.values()];
    return filter ? all.filter(filter) : all;
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

  private retry(fn: () => Promise<void>): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => void fn().catch(() => this.retry(fn)), this.opts.retryDelayMs ?? 500);
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
    const fresh = new Map(listed.items.map((o) => [objectKey(o), o]));
    // replace the cache, telling handlers what changed while we were not watching
    for (const [key, old] of this.cache) {
      if (!fresh.has(key)) {
        this.cache.delete(key);
        for (const h of this.handlers) h.onDelete?.(old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) for (const h of this.handlers) h.onAdd?.(obj);
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
          this.retry(() => this.watch());
        }
      });
      if (this.stopped) this.current.stop();
    } catch {
      this.retry(() => this.relist());
    }
  }

  private apply(type: WatchEventType, obj: KubeObject): void {
    if (obj.metadata?.resourceVersion) this.lastRv = obj.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (type === 'DELETED') {
      this.cache.delete(key);
      for (const h of this.handlers) h.onDelete?.(obj);
      return;
    }
    this.cache.set(key, obj);
    if (old) for (const h of this.handlers) h.onUpdate?.(obj, old);
    else for (const h of this.handlers) h.onAdd?.(obj);
  }
}
