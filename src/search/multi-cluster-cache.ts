// karmada-search's MultiClusterCache (pkg/search/proxy/store/multi_cluster_cache.go): one
// ResourceCache per member and resource, started and stopped as the wanted set changes; lists that
// walk the members in name order with one multi-cluster resourceVersion and continue token; gets
// that find the one member holding an object; watches that merge every member's events.
import { errors } from '../apimachinery/errors.js';
import type { GroupVersionResource, KubeClient } from '../runtime/client.js';
import { ResourceCache, type CachedEntry, type CacheEvent } from './resource-cache.js';
import { clusterRV, cloneMultiClusterRV, formatMultiClusterContinue, formatMultiClusterRV, parseMultiClusterContinue, parseMultiClusterRV, setClusterRV, type MultiClusterRV } from './versions.js';

export const gvrKey = (g: GroupVersionResource) => `${g.group}/${g.version}/${g.resource}`;

/** one resource a member should cache */
export interface WantedResource {
  gvr: GroupVersionResource;
  apiVersion: string;
  kind: string;
  /** undefined: every namespace */
  namespaces?: ReadonlySet<string>;
}

/** cluster -> gvrKey -> what to cache there */
export type WantedCaches = Map<string, Map<string, WantedResource>>;

const sameNamespaces = (a?: ReadonlySet<string>, b?: ReadonlySet<string>) => (!a || !b ? a === b : a.size === b.size && [...a].every((n) => b.has(n)));

interface ListQuery {
  resourceVersion?: string;
  continue?: string;
  limit?: number;
  keep: (e: CachedEntry) => boolean;
}

export interface ListResult {
  items: { cluster: string; entry: CachedEntry }[];
  resourceVersion: string;
  continue: string;
}

export class MultiClusterCache {
  private readonly clusters = new Map<string, { client: KubeClient; caches: Map<string, ResourceCache> }>();
  private registered = new Set<string>();
  private readonly invalidators = new Set<() => void>();

  constructor(private readonly syncTimeoutMs = 10_000) {}

  /** whether any ResourceRegistry names this resource (the proxy then serves it from the cache) */
  has(gvr: GroupVersionResource): boolean {
    return this.registered.has(gvrKey(gvr));
  }

  clusterNames(): string[] {
    return [...this.clusters.keys()].sort();
  }

  /** every cache, for status and measurements */
  all(): ResourceCache[] {
    return [...this.clusters.values()].flatMap((c) => [...c.caches.values()]);
  }

  /** the caches of one resource, by cluster name */
  cachesFor(gvr: GroupVersionResource): [string, ResourceCache][] {
    const key = gvrKey(gvr);
    const out: [string, ResourceCache][] = [];
    for (const name of this.clusterNames()) {
      const c = this.clusters.get(name)!.caches.get(key);
      if (c) out.push([name, c]);
    }
    return out;
  }

  /** brings the caches to `wanted`: new ones start, gone ones stop; a member that joins ends open watches (they re-watch and see it) */
  update(wanted: WantedCaches, registered: Set<string>, clients: Map<string, KubeClient>): void {
    let added = false;
    for (const [name, c] of this.clusters) {
      const want = wanted.get(name);
      const client = clients.get(name);
      if (!want || !client || client !== c.client) {
        for (const cache of c.caches.values()) cache.stop();
        this.clusters.delete(name);
      }
    }
    for (const [name, resources] of wanted) {
      const client = clients.get(name);
      if (!client) continue;
      let c = this.clusters.get(name);
      if (!c) {
        this.clusters.set(name, (c = { client, caches: new Map() }));
        added = true;
      }
      for (const [key, cache] of c.caches) {
        const w = resources.get(key);
        if (!w || !sameNamespaces(w.namespaces, cache.opts.namespaces)) {
          cache.stop();
          c.caches.delete(key);
        }
      }
      for (const [key, w] of resources) {
        if (c.caches.has(key)) continue;
        const cache = new ResourceCache({ cluster: name, gvr: w.gvr, apiVersion: w.apiVersion, kind: w.kind, namespaces: w.namespaces, client });
        c.caches.set(key, cache);
        cache.start();
        added = true;
      }
    }
    this.registered = registered;
    if (added) for (const invalidate of [...this.invalidators]) invalidate();
  }

  stop(): void {
    for (const c of this.clusters.values()) for (const cache of c.caches.values()) cache.stop();
    this.clusters.clear();
    for (const invalidate of [...this.invalidators]) invalidate();
  }

  /** waits (bounded) for the caches of a resource to hold their first list */
  async ready(gvr: GroupVersionResource): Promise<void> {
    await Promise.all(this.cachesFor(gvr).map(([, c]) => c.waitForSync(this.syncTimeoutMs)));
  }

  /** MultiClusterCache.List: members in name order, `limit` across them, the position in one continue token */
  list(gvr: GroupVersionResource, q: ListQuery): ListResult {
    const caches = this.cachesFor(gvr);
    const token = parseMultiClusterContinue(q.continue);
    if (q.continue && !token) throw errors.badRequest(`invalid continue token: ${JSON.stringify(q.continue)}`);
    const mrv = parseMultiClusterRV(token ? token.rv : q.resourceVersion);
    const response = cloneMultiClusterRV(mrv);
    const items: ListResult['items'] = [];
    let remaining = q.limit && q.limit > 0 ? q.limit : 0;
    let startCluster = token?.cluster;
    let startAfter = token?.continue ?? '';
    let next: { cluster: string; continue?: string } | undefined;
    for (let i = 0; i < caches.length; i++) {
      const [cluster, cache] = caches[i]!;
      if (startCluster) {
        if (cluster < startCluster) continue;
        if (cluster !== startCluster) startAfter = '';
        startCluster = undefined;
      }
      const page = cache.list(q.keep, remaining, startAfter);
      startAfter = '';
      for (const entry of page.items) items.push({ cluster, entry });
      setClusterRV(response, cluster, cache.rv);
      if (q.limit && q.limit > 0) {
        remaining -= page.items.length;
        if (remaining <= 0) {
          if (page.more) next = { cluster, continue: page.more };
          else if (i + 1 < caches.length) next = { cluster: caches[i + 1]![0] };
          break;
        }
      }
    }
    // members the page did not reach still get their version, so the list's version names every one
    for (const [cluster, cache] of caches) if (!response.rvs.has(cluster) || response.zero) setClusterRV(response, cluster, cache.rv);
    const rv = formatMultiClusterRV(response);
    return { items, resourceVersion: rv, continue: next ? formatMultiClusterContinue({ rv, ...next }) : '' };
  }

  /** MultiClusterCache.Get: the object in exactly one member; none is NotFound, several a Conflict */
  get(gvr: GroupVersionResource, namespace: string | undefined, name: string): { cluster: string; entry: CachedEntry; resourceVersion: string } {
    const found: { cluster: string; entry: CachedEntry }[] = [];
    for (const [cluster, cache] of this.cachesFor(gvr)) {
      const entry = cache.get(namespace, name);
      if (entry) found.push({ cluster, entry });
    }
    if (found.length === 0) throw errors.notFound({ group: gvr.group, resource: gvr.resource }, name);
    if (found.length > 1) throw errors.conflict({ group: gvr.group, resource: gvr.resource }, name, `ambiguous objects in clusters [${found.map((f) => f.cluster).join(', ')}]`);
    const m: MultiClusterRV = { zero: false, rvs: new Map([[found[0]!.cluster, found[0]!.entry.rv]]) };
    return { ...found[0]!, resourceVersion: formatMultiClusterRV(m) };
  }

  /** every member that holds namespace/name (the search API lists them all) */
  findAll(gvr: GroupVersionResource, namespace: string | undefined, name: string): { cluster: string; entry: CachedEntry }[] {
    const out: { cluster: string; entry: CachedEntry }[] = [];
    for (const [cluster, cache] of this.cachesFor(gvr)) {
      const entry = cache.get(namespace, name);
      if (entry) out.push({ cluster, entry });
    }
    return out;
  }

  /**
   * MultiClusterCache.Watch: each member's events after its part of `resourceVersion`, each carrying
   * the merged version so far. Ends (onEnd) when members join, as Karmada's invalidation does, so
   * clients re-watch and see them. `gone` when a member's part is older than its history.
   */
  watch(gvr: GroupVersionResource, resourceVersion: string, keep: (e: CachedEntry) => boolean, onEvent: (e: CacheEvent, cluster: string, rv: string) => void, onEnd: () => void): { stop(): void; rv(): string } | { gone: string } {
    const start = parseMultiClusterRV(resourceVersion);
    const current = cloneMultiClusterRV(start);
    const subs: { stop(): void }[] = [];
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      for (const s of subs) s.stop();
      this.invalidators.delete(invalidate);
    };
    const invalidate = () => {
      stop();
      onEnd();
    };
    for (const [cluster, cache] of this.cachesFor(gvr)) {
      const from = clusterRV(start, cluster);
      const sub = cache.subscribe(from, (e) => {
        if (stopped) return;
        setClusterRV(current, cluster, e.at);
        if (keep(e.entry)) onEvent(e, cluster, formatMultiClusterRV(current));
      });
      if (!sub) {
        stop();
        return { gone: `too old resource version: ${from} (${cache.rv}) in cluster ${cluster}` };
      }
      subs.push(sub);
      if (!current.rvs.has(cluster) || current.zero) setClusterRV(current, cluster, cache.rv);
    }
    this.invalidators.add(invalidate);
    return { stop, rv: () => formatMultiClusterRV(current) };
  }
}
