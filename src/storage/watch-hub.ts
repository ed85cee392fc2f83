// In-process watch fan-out for backends that commit synchronously (memory, sqlite).
// A watcher registers atomically with its replay (no await between reading history and
// joining the live stream), so nothing is missed or repeated. Delivery runs on a later
// tick from a per-watcher queue, so writers never wait for handlers.
import { CompactedError, type WatchEvent, type WatchHandlers, type Watcher } from './store.js';

export interface WatchSnapshot {
  compactedRevision: number;
  /** events with revision > afterRevision under prefix, read synchronously now */
  replay(prefix: string, afterRevision: number): WatchEvent[];
}

/** one watch's delivery queue: drops events at or below the last delivered revision, delivers batches on a later tick */
export class QueuedWatcher implements Watcher {
  private queue: WatchEvent[] = [];
  private scheduled = false;
  stopped = false;

  constructor(
    readonly prefix: string,
    private lastRevision: number,
    private readonly handlers: WatchHandlers,
    private readonly onStop: (w: QueuedWatcher) => void,
  ) {}

  /** the revision of the last event queued (or the watch's afterRevision) */
  get revision(): number {
    return this.lastRevision;
  }

  offer(event: WatchEvent): void {
    if (this.stopped || event.kv.modRevision <= this.lastRevision || !event.kv.key.startsWith(this.prefix)) return;
    this.lastRevision = event.kv.modRevision;
    this.queue.push(event);
    this.schedule();
  }

  offerAll(events: WatchEvent[]): void {
    for (const e of events) this.offer(e);
  }

  /** ends the watch and reports err on a later tick */
  fail(err: Error): void {
    if (this.stopped) return;
    this.stop();
    setImmediate(() => this.handlers.onError(err));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue = [];
    this.onStop(this);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.stopped || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    try {
      this.handlers.onEvents(batch);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

export class WatchHub {
  private readonly watchers = new Set<QueuedWatcher>();

  get size(): number {
    return this.watchers.size;
  }

  /** call synchronously right after the write committed, in revision order */
  publish(event: WatchEvent): void {
    for (const w of this.watchers) w.offer(event);
  }

  /** snapshot must be taken in the same synchronous step as this call */
  subscribe(prefix: string, afterRevision: number, handlers: WatchHandlers, snapshot: WatchSnapshot): Watcher {
    const watcher = new QueuedWatcher(prefix, afterRevision, handlers, (w) => this.watchers.delete(w));
    if (afterRevision < snapshot.compactedRevision) {
      watcher.fail(new CompactedError(afterRevision, snapshot.compactedRevision));
      return watcher;
    }
    for (const event of snapshot.replay(prefix, afterRevision)) watcher.offer(event);
    this.watchers.add(watcher);
    return watcher;
  }

  /** end every watch with err (store closed) */
  failAll(err: Error): void {
    for (const w of [...this.watchers]) w.fail(err);
  }
}
