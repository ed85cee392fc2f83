// One member's cache of one resource (karmada-search's resourceCache over a cacher): a reflector
// (paged list, then watch from its resourceVersion; relist on 410) keeps a compact copy of each
// object: its JSON, without managedFields and kubectl's last-applied annotation, with the
// cached-from-cluster annotation already in, in one Buffer, beside the few fields lists filter on
// (namespace, name, labels interned across objects). No parsed copy is kept: lists write the
// Buffers as they are. A short event history lets watches resume from a recent resourceVersion.
import type { KubeObject } from '../apimachinery/types.js';
import type { GroupVersionResource, KubeClient } from '../runtime/client.js';
import { CacheSourceAnnotation } from '../apis/karmada/wellknown.js';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
const pageSize = 500;
/** events kept for watches that resume from an older resourceVersion: the last 75 s, as the cacher's window, and at most this many */
const historySize = 1024;
const historyWindowMs = 75_000;

export interface CachedEntry {
  key: string;
  namespace?: string;
  name: string;
  rv: string;
  labels?: Readonly<Record<string, string>>;
  /** the object as served, cluster annotation included */
  json: Buffer;
}

type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface CacheEvent {
  type: CacheEventType;
  entry: CachedEntry;
  /** the cache's resourceVersion once the event took effect (a relist's diff: the list's) */
  at: string;
}

/**
 * A string of its own: JSON.parse may hand out slices of the whole response text, and keeping one
 * such slice (a name, a label value) would keep the page it came from (a megabyte per 500 pods).
 */
export function ownString(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** label maps shared by every object that has the same ones (a Deployment's pods all do) */
class LabelInterner {
  private readonly sets = new Map<string, { labels: Readonly<Record<string, string>>; refs: number }>();
  take(labels: Record<string, string> | undefined): Readonly<Record<string, string>> | undefined {
    if (!labels || Object.keys(labels).length === 0) return undefined;
    const key = JSON.stringify(labels);
    let hit = this.sets.get(key);
    if (!hit) this.sets.set(key, (hit = { labels: Object.freeze(Object.fromEntries(Object.entries(labels).map(([k, v]) => [ownString(k), ownString(v)]))), refs: 0 }));
    hit.refs++;
    return hit.labels;
  }
  release(labels: Readonly<Record<string, string>> | undefined): void {
    if (!labels) return;
    const key = JSON.stringify(labels);
    const hit = this.sets.get(key);
    if (hit && --hit.refs <= 0) this.sets.delete(key);
  }
}

/** the compact form of a member's object; pure */
export function compactObject(obj: KubeObject, cluster: string, apiVersion: string, kind: string): KubeObject {
  const { managedFields: _drop, ...metadata } = obj.metadata;
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations[lastApplied];
  annotations[CacheSourceAnnotation] = cluster;
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersion, kind: obj.kind ?? kind, metadata: { ...metadata, annotations } };
}

export const entryKey = (namespace: string | undefined, name: string) => (namespace ? `${namespace}/${name}` : name);

/** numeric order of resourceVersions (opaque to clients, but kube's are integers, as here) */
function rvNumber(rv: string): bigint | undefined {
  return /^\d+$/.test(rv) ? BigInt(rv) : undefined;
}

interface ResourceCacheOptions {
  cluster: string;
  gvr: GroupVersionResource;
  apiVersion: string;
  kind: string;
  /** undefined: every namespace; one: watched alone; several: every namespace, filtered */
  namespaces?: ReadonlySet<string>;
  client: KubeClient;
  retryDelayMs?: number;
}

export class ResourceCache {
  private readonly entries = new Map<string, CachedEntry>();
  private sortedKeys?: string[];
  private readonly history: (CacheEvent & { time: number })[] = [];
  private readonly watchers = new Set<(e: CacheEvent) => void>();
  private readonly interner = new LabelInterner();
  private readonly namespaceNames = new Map<string, string>();
  private stopped = false;
  private watchHandle?: { stop(): void };
  private timer?: NodeJS.Timeout;
  private syncWaiters: (() => void)[] = [];
  /** the version the cache is current at: the last list's, then each event's */
  rv = '';
  synced = false;
  /** the last list or watch failure, for status and errors */
  lastError?: string;

  constructor(readonly opts: ResourceCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /** bytes of the serialised objects held (measurements) */
  bytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.json.length;
    return n;
  }

  start(): void {
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.watchHandle?.stop();
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.syncWaiters.splice(0)) w();
    this.watchers.clear();
  }

  waitForSync(timeoutMs: number): Promise<boolean> {
    if (this.synced || this.stopped) return Promise.resolve(this.synced);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(this.synced), timeoutMs);
      this.syncWaiters.push(() => {
        clearTimeout(t);
        resolve(this.synced);
      });
    });
  }

  get(namespace: string | undefined, name: string): CachedEntry | undefined {
    return this.entries.get(entryKey(namespace, name));
  }

  /** entries in key order (namespace/name), from after `startAfter`, those `keep` accepts, at most limit (0: all) */
  list(keep: (e: CachedEntry) => boolean, limit = 0, startAfter = ''): { items: CachedEntry[]; more?: string } {
    const keys = (this.sortedKeys ??= [...this.entries.keys()].sort());
    let i = 0;
    if (startAfter) {
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keys[mid]! <= startAfter) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    const items: CachedEntry[] = [];
    for (; i < keys.length; i++) {
      const e = this.entries.get(keys[i]!);
      if (!e || !keep(e)) continue;
      if (limit > 0 && items.length === limit) return { items, more: items[items.length - 1]!.key };
      items.push(e);
    }
    return { items };
  }

  /**
   * Events after `rv` then live ones, to `onEvent`; '' or '0' first replays the current objects as
   * ADDED. Returns undefined when `rv` is older than the history holds (the client gets 410).
   */
  subscribe(rv: string, onEvent: (e: CacheEvent) => void): { stop(): void } | undefined {
    if (!rv || rv === '0') {
      for (const e of this.list(() => true).items) onEvent({ type: 'ADDED', entry: e, at: this.rv });
    } else if (rv !== this.rv) {
      const want = rvNumber(rv);
      const now = rvNumber(this.rv);
      if (want === undefined || now === undefined) return undefined;
      if (want > now) {
        // newer than the cache: its events will come
      } else {
        const first = this.history[0];
        const oldest = first ? rvNumber(first.at) : undefined;
        if (oldest === undefined || want < oldest - 1n) return undefined;
        for (const e of this.history) if ((rvNumber(e.at) ?? 0n) > want) onEvent(e);
      }
    }
    this.watchers.add(onEvent);
    return { stop: () => this.watchers.delete(onEvent) };
  }

  private emit(type: CacheEventType, entry: CachedEntry, at: string): void {
    const e = { type, entry, at };
    // the first list is no history: a watch from before it starts over
    if (this.synced) {
      const now = Date.now();
      this.history.push({ ...e, time: now });
      let drop = Math.max(0, this.history.length - historySize);
      while (drop < this.history.length && this.history[drop]!.time < now - historyWindowMs) drop++;
      if (drop) this.history.splice(0, drop);
    }
    for (const w of this.watchers) w(e);
  }

  private keeps(obj: KubeObject): boolean {
    const ns = this.opts.namespaces;
    return !ns || ns.size <= 1 || ns.has(obj.metadata.namespace ?? '');
  }

  private toEntry(obj: KubeObject): CachedEntry {
    const c = compactObject(obj, this.opts.cluster, this.opts.apiVersion, this.opts.kind);
    const name = ownString(c.metadata.name!);
    let namespace = c.metadata.namespace;
    if (namespace !== undefined) {
      let shared = this.namespaceNames.get(namespace);
      if (shared === undefined) this.namespaceNames.set((shared = ownString(namespace)), shared);
      namespace = shared;
    }
    return { key: entryKey(namespace, name), namespace, name, rv: ownString(c.metadata.resourceVersion ?? ''), labels: this.interner.take(c.metadata.labels), json: Buffer.from(JSON.stringify(c)) };
  }

  private put(entry: CachedEntry): CachedEntry | undefined {
    const old = this.entries.get(entry.key);
    if (old) this.interner.release(old.labels);
    else this.sortedKeys = undefined;
    this.entries.set(entry.key, entry);
    return old;
  }

  private remove(key: string): CachedEntry | undefined {
    const old = this.entries.get(key);
    if (!old) return undefined;
    this.interner.release(old.labels);
    this.entries.delete(key);
    this.sortedKeys = undefined;
    return old;
  }

  private retry(fn: () => Promise<void>): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void fn(), this.opts.retryDelayMs ?? 1000);
  }

  private get namespace(): string | undefined {
    const ns = this.opts.namespaces;
    return ns && ns.size === 1 ? [...ns][0] : undefined;
  }

  /** a paged list, each page compacted as it comes (the member's full objects never pile up), then the diff against the cache */
  private async relist(): Promise<void> {
    if (this.stopped) return;
    const seen = new Set<string>();
    const diff: [CacheEventType, CachedEntry][] = [];
    let listRv = '';
    try {
      let token: string | undefined;
      do {
        const page = await this.opts.client.list(this.opts.gvr, { namespace: this.namespace, limit: pageSize, continue: token });
        if (this.stopped) return;
        if (!token) listRv = page.metadata?.resourceVersion ?? '';
        for (const obj of page.items) {
          if (!this.keeps(obj)) continue;
          const entry = this.toEntry(obj);
          seen.add(entry.key);
          const old = this.put(entry);
          if (!old) diff.push(['ADDED', entry]);
          else if (old.rv !== entry.rv) diff.push(['MODIFIED', entry]);
        }
        token = page.metadata?.continue || undefined;
      } while (token);
    } catch (err) {
      this.lastError = (err as Error).message;
      return this.retry(() => this.relist());
    }
    for (const key of [...this.entries.keys()]) {
      if (seen.has(key)) continue;
      const old = this.remove(key)!;
      diff.push(['DELETED', old]);
    }
    this.rv = listRv;
    for (const [type, entry] of diff) this.emit(type, entry, listRv);
    this.lastError = undefined;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
    await this.watch();
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    let ended = false;
    const end = (gone: boolean, message?: string) => {
      if (ended) return;
      ended = true;
      this.watchHandle?.stop();
      if (message) this.lastError = message;
      if (gone) this.retry(() => this.relist());
      else this.retry(() => this.watch());
    };
    try {
      this.watchHandle = await this.opts.client.watch(
        this.opts.gvr,
        { namespace: this.namespace, resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(Math.random() * 300) },
        (type, obj) => {
          if (ended || this.stopped) return;
          if (type === 'ERROR') {
            const status = obj as unknown as { code?: number; message?: string };
            return end(status.code === 410, status.message);
          }
          const rv = obj.metadata?.resourceVersion;
          if (type === 'BOOKMARK') {
            if (rv) this.rv = rv;
            return;
          }
          if (!this.keeps(obj)) return;
          const entry = this.toEntry(obj);
          if (rv) this.rv = rv;
          if (type === 'DELETED') {
            this.interner.release(entry.labels);
            if (this.remove(entry.key)) this.emit('DELETED', entry, this.rv);
          } else {
            const old = this.put(entry);
            this.emit(old ? 'MODIFIED' : 'ADDED', entry, this.rv);
          }
        },
        (err) => end(err?.statusCode === 410, err?.message),
      );
      if (this.stopped) this.watchHandle.stop();
    } catch (err) {
      end(false, (err as Error).message);
    }
  }
}
