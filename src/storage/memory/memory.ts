// MemoryStore: the contract kept in process memory (tests, simulated member clusters).
// Every key keeps its versions; a log of events serves watch replay; compaction trims both.
import { startCompactor, noCompaction, type CompactionOptions } from '../compactor.js';
import { hasPrefix, rangeStart } from '../keys.js';
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  NotFoundError,
  UnavailableError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type WatchEvent,
  type WatchHandlers,
  type WatchOptions,
  type Watcher,
} from '../store.js';
import { WatchHub } from '../watch-hub.js';

interface Version {
  revision: number;
  /** undefined: the key was deleted at this revision */
  kv: KeyValue | undefined;
}

export interface MemoryStoreOptions {
  /** automatic compaction; off unless given */
  compaction?: CompactionOptions;
}

export class MemoryStore implements Store {
  private revision = 0;
  private compacted = 0;
  private readonly versions = new Map<string, Version[]>();
  /** every key that has versions, sorted */
  private keys: string[] = [];
  private log: WatchEvent[] = [];
  private readonly hub = new WatchHub();
  private closed = false;
  private readonly stopCompactor: () => void;

  constructor(options: MemoryStoreOptions = {}) {
    this.stopCompactor = startCompactor(this, options.compaction ?? noCompaction);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    return this.latest(key);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.checkOpen();
    if (this.latest(key)) throw new KeyExistsError(key);
    const revision = this.revision + 1;
    const kv = { key, value, createRevision: revision, modRevision: revision };
    this.commit({ type: 'put', kv });
    return kv;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.checkOpen();
    const prev = this.latest(key);
    if (!prev) throw new NotFoundError(key);
    if (prev.modRevision !== expectedModRevision) throw new ConflictError(key, prev);
    const kv = { key, value, createRevision: prev.createRevision, modRevision: this.revision + 1 };
    this.commit({ type: 'put', kv, prevKv: prev });
    return kv;
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    this.checkOpen();
    const prev = this.latest(key);
    if (!prev) throw new NotFoundError(key);
    if (expectedModRevision !== undefined && prev.modRevision !== expectedModRevision) throw new ConflictError(key, prev);
    const kv = { ...prev, modRevision: this.revision + 1 };
    this.commit({ type: 'delete', kv, prevKv: prev });
    return kv;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const revision = this.readRevision(options.revision);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const items: KeyValue[] = [];
    let more = false;
    for (let i = lowerBound(this.keys, rangeStart(prefix, options.startKey)); i < this.keys.length; i++) {
      const key = this.keys[i]!;
      if (!hasPrefix(key, prefix)) break;
      const kv = this.at(key, revision);
      if (!kv) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(kv);
    }
    return { items, revision, more };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    let n = 0;
    for (let i = lowerBound(this.keys, prefix); i < this.keys.length && hasPrefix(this.keys[i]!, prefix); i++) {
      if (this.latest(this.keys[i]!)) n++;
    }
    return n;
  }

  watch(prefix: string, options: WatchOptions, handlers: WatchHandlers): Watcher {
    return this.hub.subscribe(prefix, options.afterRevision, handlers, {
      compactedRevision: this.compacted,
      replay: (p, after) => {
        if (this.closed) return [];
        const from = lowerBoundBy(this.log, after + 1, (e) => e.kv.modRevision);
        return this.log.slice(from).filter((e) => hasPrefix(e.kv.key, p));
      },
    });
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (revision <= this.compacted) return;
    if (revision > this.revision) throw new RangeError(`cannot compact to future revision ${revision} (current ${this.revision})`);
    for (const [key, versions] of this.versions) {
      const kept = compactVersions(versions, revision);
      if (kept.length === 0) this.versions.delete(key);
      else this.versions.set(key, kept);
    }
    this.keys = this.keys.filter((k) => this.versions.has(k));
    this.log = this.log.slice(lowerBoundBy(this.log, revision + 1, (e) => e.kv.modRevision));
    this.compacted = revision;
  }

  async healthy(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompactor();
    this.hub.failAll(new UnavailableError('store closed'));
  }

  private commit(event: WatchEvent): void {
    const revision = event.kv.modRevision;
    this.revision = revision;
    const key = event.kv.key;
    let versions = this.versions.get(key);
    if (!versions) {
      versions = [];
      this.versions.set(key, versions);
      this.keys.splice(lowerBound(this.keys, key), 0, key);
    }
    versions.push({ revision, kv: event.type === 'put' ? event.kv : undefined });
    this.log.push(event);
    this.hub.publish(event);
  }

  private latest(key: string): KeyValue | undefined {
    return this.versions.get(key)?.at(-1)?.kv;
  }

  private at(key: string, revision: number): KeyValue | undefined {
    const versions = this.versions.get(key) ?? [];
    for (let i = versions.length - 1; i >= 0; i--) {
      if (versions[i]!.revision <= revision) return versions[i]!.kv;
    }
    return undefined;
  }

  private readRevision(requested: number | undefined): number {
    if (!requested) return this.revision;
    if (requested < this.compacted) throw new CompactedError(requested, this.compacted);
    return Math.min(requested, this.revision);
  }

  private checkOpen(): void {
    if (this.closed) throw new UnavailableError('store closed');
  }
}

/** drops versions at or below revision except the latest one when it is a live value */
function compactVersions(versions: Version[], revision: number): Version[] {
  const firstNewer = lowerBoundBy(versions, revision + 1, (v) => v.revision);
  const kept = versions.slice(firstNewer);
  const last = versions[firstNewer - 1];
  if (last?.kv) kept.unshift(last);
  return kept;
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBoundBy<T>(sorted: T[], value: number, of: (item: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (of(sorted[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
