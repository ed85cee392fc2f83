// EtcdStore: the contract over etcd v3 (one-to-one: Range, Txn comparing mod_revision,
// Watch with prev_kv from a revision, Compact). Revisions are etcd's own.
// Every call has a deadline, so a lost cluster surfaces as UnavailableError, never a hang.
import { Etcd3, type IKeyValue, type IRangeRequest, type IRequestOp, type IResponseHeader, type ITxnResponse, type IEvent, type Watcher as EtcdWatcher } from 'etcd3';
import { startCompactor, defaultCompaction, type CompactionOptions } from '../compactor.js';
import { prefixEnd, rangeStart } from '../keys.js';
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  NotFoundError,
  StorageError,
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
import { QueuedWatcher } from '../watch-hub.js';

export interface EtcdStoreOptions {
  /** client URLs, e.g. http://127.0.0.1:2379 */
  endpoints: string[];
  /** deadline of every call in ms (default 4000) */
  callTimeoutMs?: number;
  compaction?: CompactionOptions;
}

const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';
/** a key outside /registry used for cheap probes (health, revision, compaction) */
const PROBE_KEY = Buffer.from('/karmada-ts-probe');
const ALL_KEYS_END = Buffer.from([0]);

export class EtcdStore implements Store {
  private readonly client: Etcd3;
  private readonly callTimeoutMs: number;
  private readonly watchers = new Set<QueuedWatcher>();
  /** reopen each running watch; used after an outage, since the client's own resume can stall */
  private readonly reopeners = new Map<QueuedWatcher, () => void>();
  private inOutage = false;
  /** a lower bound of etcd's compacted revision, raised whenever we learn more */
  private knownCompacted = 0;
  private closed = false;
  /** each request's attempts (the etcd3 client retries on a lost connection) and their common deadline */
  private readonly attempts = new WeakMap<object, { count: number; deadline: number }>();
  private readonly stopCompactor: () => void;

  constructor(options: EtcdStoreOptions) {
    this.callTimeoutMs = options.callTimeoutMs ?? 4000;
    this.client = new Etcd3({
      hosts: options.endpoints,
      dialTimeout: this.callTimeoutMs,
      defaultCallOptions: (ctx) => {
        if (ctx.isStream) return {};
        // Asked once per attempt with the same request object. The client retries a call that lost its
        // connection; with a fresh deadline per attempt a write could land seconds after call() reported
        // it unavailable (and after the caller retried, or deleted what it created: found by `npm run
        // chaos`). One deadline for all attempts of a request ends them all before call() gives up.
        const params = 'params' in ctx && ctx.params && typeof ctx.params === 'object' ? (ctx.params as object) : undefined;
        if (!params) return { deadline: Date.now() + this.callTimeoutMs };
        const seen = this.attempts.get(params) ?? { count: 0, deadline: Date.now() + this.callTimeoutMs };
        seen.count++;
        this.attempts.set(params, seen);
        return { deadline: seen.deadline };
      },
      faultHandling: { watchBackoff: new ReconnectBackoff(100) },
      // lists of many objects exceed gRPC's 4 MiB default; etcd3 would retry that "error" and open its breaker
      grpcOptions: { 'grpc.max_receive_message_length': -1 },
    });
    this.stopCompactor = startCompactor(this, options.compaction ?? defaultCompaction);
  }

  async currentRevision(): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: PROBE_KEY, count_only: true }));
    return revisionOf(res.header);
  }

  /** the oldest readable revision: found by probing reads at old revisions (0 when nothing was compacted) */
  async compactedRevision(): Promise<number> {
    let lo = Math.max(this.knownCompacted, 1);
    if (await this.readableAt(lo)) return this.knownCompacted;
    let hi = await this.currentRevision();
    // invariant: lo is not readable, hi is
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.readableAt(mid)) hi = mid;
      else lo = mid;
    }
    this.knownCompacted = Math.max(this.knownCompacted, hi);
    return hi;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.call(() => this.client.kv.range({ key: Buffer.from(key) }));
    return res.kvs[0] ? toKeyValue(res.kvs[0]) : undefined;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = Buffer.from(key);
    const res = await this.txn([{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }], [{ request_put: { key: k, value: Buffer.from(value) } }]);
    if (!res.succeeded) {
      const landed = res.retried ? landedEarlier(res, value) : undefined;
      if (landed) return landed;
      throw new KeyExistsError(key);
    }
    const revision = revisionOf(res.header);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const k = Buffer.from(key);
    const res = await this.txn(
      [
        { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
        { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
      ],
      [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
    );
    if (!res.succeeded) {
      const landed = res.retried ? landedEarlier(res, value) : undefined;
      if (landed && landed.modRevision > expectedModRevision) return landed;
      throw this.casFailure(key, res);
    }
    const prev = res.responses[0]?.response_put.prev_kv;
    return { key, value, createRevision: prev ? Number(prev.create_revision) : revisionOf(res.header), modRevision: revisionOf(res.header) };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const k = Buffer.from(key);
    const compare: NonNullable<Parameters<EtcdStore['txn']>[0]> = [{ key: k, target: 'Create', result: 'Greater', create_revision: 0 }];
    if (expectedModRevision !== undefined) compare.push({ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision });
    const res = await this.txn(compare, [{ request_delete_range: { key: k, prev_kv: true } }]);
    if (!res.succeeded) {
      // retried and gone: the first attempt deleted what this call meant to delete (it held expectedModRevision then)
      if (res.retried && expectedModRevision !== undefined && !res.responses[0]?.response_range.kvs[0]) {
        const then = await this.call(() => this.client.kv.range({ key: k, revision: expectedModRevision })).catch(() => undefined);
        const prev = then?.kvs[0];
        if (prev && Number(prev.mod_revision) === expectedModRevision) return { ...toKeyValue(prev), modRevision: revisionOf(res.header) };
      }
      throw this.casFailure(key, res);
    }
    const prev = res.responses[0]?.response_delete_range.prev_kvs[0];
    if (!prev) throw new NotFoundError(key);
    return { ...toKeyValue(prev), modRevision: revisionOf(res.header) };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const request: IRangeRequest = {
      key: Buffer.from(rangeStart(prefix, options.startKey)),
      range_end: rangeEndOf(prefix),
      limit: options.limit && options.limit > 0 ? options.limit : 0,
      revision: options.revision || 0,
    };
    try {
      const res = await this.call(() => this.client.kv.range(request), options.revision);
      return { items: res.kvs.map(toKeyValue), revision: options.revision || revisionOf(res.header), more: res.more };
    } catch (err) {
      // like the other backends: a revision ahead of the store reads the current state
      if (err instanceof UnavailableError && err.message.includes(FUTURE)) return this.list(prefix, { ...options, revision: 0 });
      throw err;
    }
  }

  async count(prefix: string): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: Buffer.from(prefix), range_end: rangeEndOf(prefix), count_only: true }));
    return Number(res.count);
  }

  watch(prefix: string, options: WatchOptions, handlers: WatchHandlers): Watcher {
    let etcdWatcher: EtcdWatcher | undefined;
    const watcher = new QueuedWatcher(prefix, options.afterRevision, handlers, (w) => {
      this.watchers.delete(w);
      this.reopeners.delete(w);
      etcdWatcher?.cancel().catch(() => {});
    });
    this.watchers.add(watcher);
    /** (re)opens the etcd watch after the last revision delivered; the queue drops anything seen twice */
    const open = (afterRevision: number) => {
      if (watcher.stopped) return;
      const previous = etcdWatcher;
      const builder = this.client.watch().inRange({ start: Buffer.from(prefix), end: rangeEndOf(prefix) });
      etcdWatcher = builder.withPreviousKV().startRevision(String(afterRevision + 1)).watcher();
      previous?.cancel().catch(() => {});
      const current = etcdWatcher;
      etcdWatcher.on('data', (res) => watcher.offerAll(res.events.map(toWatchEvent)));
      // The client resumes a dropped stream from the revision in the create response's header, which can
      // lie past events not yet delivered (they are then lost); resume from what was delivered instead.
      etcdWatcher.on('disconnected', () => setImmediate(() => etcdWatcher === current && open(watcher.revision)));
      // etcd cancels a watch that fell behind a compaction without saying why: probe for it
      etcdWatcher.on('error', (err) => {
        this.assertReadable(prefix, watcher.revision).then(
          () => watcher.fail(this.mapError(err, watcher.revision)),
          (probeErr: unknown) => watcher.fail(this.mapError(probeErr, watcher.revision)),
        );
      });
    };
    const start = async () => {
      // etcd would quietly start at the compacted revision when one below it is asked for by one; probe the exact rule
      if (options.afterRevision > 0) await this.assertReadable(prefix, options.afterRevision);
      open(options.afterRevision);
      this.reopeners.set(watcher, () => open(watcher.revision));
    };
    start().catch((err: unknown) => watcher.fail(this.mapError(err, options.afterRevision)));
    return watcher;
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.call(() => this.client.kv.compact({ revision, physical: false }));
      this.knownCompacted = Math.max(this.knownCompacted, revision);
    } catch (err) {
      if (err instanceof CompactedError) return; // already compacted at or past it
      if (err instanceof UnavailableError && err.message.includes(FUTURE)) throw new RangeError(`cannot compact to future revision ${revision}`);
      throw err;
    }
  }

  /** a linearizable read: it needs a leader, so it fails when quorum is lost */
  async healthy(): Promise<boolean> {
    if (this.closed) return false;
    try {
      await this.currentRevision();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompactor();
    for (const w of [...this.watchers]) w.fail(new UnavailableError('store closed'));
    this.client.close();
  }

  /** one txn; `retried` when the client sent it more than once, so a failed compare may be its own first attempt */
  private async txn(compare: NonNullable<Parameters<Etcd3['kv']['txn']>[0]['compare']>, success: IRequestOp[]): Promise<ITxnResponse & { retried: boolean }> {
    const request = { compare, success, failure: [{ request_range: { key: compare[0]!.key } }] };
    const res = await this.call(() => this.client.kv.txn(request));
    return Object.assign(res, { retried: (this.attempts.get(request)?.count ?? 0) > 1 });
  }

  private casFailure(key: string, res: ITxnResponse): StorageError {
    const current = res.responses[0]?.response_range.kvs[0];
    return current ? new ConflictError(key, toKeyValue(current)) : new NotFoundError(key);
  }

  private async readableAt(revision: number): Promise<boolean> {
    try {
      await this.call(() => this.client.kv.range({ key: PROBE_KEY, revision, count_only: true }), revision);
      return true;
    } catch (err) {
      if (err instanceof CompactedError) return false;
      throw err;
    }
  }

  private async assertReadable(prefix: string, revision: number): Promise<void> {
    try {
      await this.call(() => this.client.kv.range({ key: Buffer.from(prefix), range_end: rangeEndOf(prefix), revision, count_only: true }), revision);
    } catch (err) {
      if (err instanceof CompactedError) throw new CompactedError(revision, await this.compactedRevision().catch(() => this.knownCompacted));
      if (err instanceof UnavailableError && err.message.includes(FUTURE)) return; // watching from the future is fine
      throw err;
    }
  }

  /** runs one etcd call under the deadline, mapping failures to the contract's errors */
  private async call<T>(fn: () => Promise<T>, requestedRevision?: number): Promise<T> {
    if (this.closed) throw new UnavailableError('store closed');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnavailableError(`etcd: no answer within ${this.callTimeoutMs}ms`)), this.callTimeoutMs + 250);
    });
    try {
      const result = await Promise.race([fn(), deadline]);
      if (this.inOutage) {
        this.inOutage = false;
        for (const reopen of this.reopeners.values()) reopen();
      }
      return result;
    } catch (err) {
      const mapped = this.mapError(err, requestedRevision);
      if (mapped instanceof UnavailableError) this.inOutage = true;
      throw mapped;
    } finally {
      clearTimeout(timer);
    }
  }

  private mapError(err: unknown, requestedRevision: number | undefined): Error {
    if (err instanceof StorageError) return err;
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes(COMPACTED)) return new CompactedError(requestedRevision ?? 0, this.knownCompacted);
    // connection loss, deadlines, open circuits, no leader, closed client: all mean "cannot serve now"
    return new UnavailableError(`etcd: ${message}`);
  }
}

/**
 * Watch-stream reconnect delays: 100 ms doubling to at most 2 s (the client's default grows to 30 s,
 * which slows recovery after an outage and keeps a closed client's process alive that long).
 */
class ReconnectBackoff {
  constructor(readonly duration: number) {}
  next(): ReconnectBackoff {
    return new ReconnectBackoff(Math.min(this.duration * 2, 2000));
  }
}

function revisionOf(header: IResponseHeader): number {
  return Number(header.revision);
}

function rangeEndOf(prefix: string): Buffer {
  const end = prefixEnd(prefix);
  return end === undefined ? ALL_KEYS_END : Buffer.from(end);
}

/**
 * The etcd3 client retries a call that failed on a lost connection (an etcd member killed), a txn
 * included, so a write whose first attempt committed comes back from a retry as a failed compare: 409s
 * for creates and updates that had worked (404s for deletes), found by `npm run chaos`. After a retry, the key holding
 * exactly the bytes this write sent means that attempt landed (the API server's values carry a uid,
 * timestamps and managed fields); undefined otherwise.
 */
export function landedEarlier(res: Pick<ITxnResponse, 'responses'>, value: string): KeyValue | undefined {
  const current = res.responses[0]?.response_range?.kvs[0];
  if (!current || !Buffer.from(value).equals(current.value)) return undefined;
  return toKeyValue(current);
}

function toKeyValue(kv: IKeyValue): KeyValue {
  return { key: kv.key.toString('utf8'), value: kv.value.toString('utf8'), createRevision: Number(kv.create_revision), modRevision: Number(kv.mod_revision) };
}

function toWatchEvent(ev: IEvent): WatchEvent {
  const prevKv = ev.prev_kv ? toKeyValue(ev.prev_kv) : undefined;
  if (ev.type === 'Delete') {
    const last = prevKv ?? { key: ev.kv.key.toString('utf8'), value: '', createRevision: 0, modRevision: 0 };
    return { type: 'delete', kv: { ...last, modRevision: Number(ev.kv.mod_revision) }, ...(prevKv ? { prevKv } : {}) };
  }
  return { type: 'put', kv: toKeyValue(ev.kv), ...(prevKv ? { prevKv } : {}) };
}
