// What a controller's own writes returned a moment ago, standing in for its informer's copy until the
// informer shows them (Karmada's AssigningResourceBindingCache; controller-runtime's cached reads have
// the same gap): a reconcile right after a write neither meets a 409 nor repeats the write. Entries
// live ttlMs, at most maxEntries, the oldest going first.
import { compareResourceVersions } from '../apimachinery/meta.js';
import type { KubeObject } from '../apimachinery/types.js';

export class RecentWrites<T extends KubeObject = KubeObject> {
  private readonly entries = new Map<string, { obj: T; at: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  remember(key: string, obj: T): void {
    const at = this.now();
    this.entries.delete(key);
    this.entries.set(key, { obj, at });
    // oldest first: stop at the first one still fresh
    for (const [k, v] of this.entries) {
      if (at - v.at <= this.ttlMs && this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
    }
  }

  /** our last write of key, while fresh */
  get(key: string): T | undefined {
    const e = this.entries.get(key);
    return e && this.now() - e.at <= this.ttlMs ? e.obj : undefined;
  }

  /** our last write of key when its resourceVersion is past `than` (an informer copy's, or how far the informer has seen) */
  newerThan(key: string, than: string | undefined): T | undefined {
    const written = this.get(key);
    return written && (compareResourceVersions(written.metadata.resourceVersion, than) ?? 0) > 0 ? written : undefined;
  }

  /** the cached copy, or our write of key where that is newer */
  freshest<U extends T>(key: string, cached: U): U {
    return (this.newerThan(key, cached.metadata.resourceVersion) as U | undefined) ?? cached;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** one RecentWrites per client (each client is one writer: its answers are its own writes) */
export function recentWritesPerClient<T extends KubeObject>(): (client: object) => RecentWrites<T> {
  const byClient = new WeakMap<object, RecentWrites<T>>();
  return (client) => {
    let r = byClient.get(client);
    if (!r) byClient.set(client, (r = new RecentWrites<T>()));
    return r;
  };
}
