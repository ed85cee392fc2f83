// A de-duplicating, rate-limited work queue (client-go's workqueue is the model): a key is queued at
// most once; a key being processed is not handed out again until done(), and if it was re-added
// meanwhile it is queued again after. Failures back off exponentially per key. Keys can be added
// with a priority (controller-runtime's priority queue, which Karmada v1.17 turns on): higher first,
// and a key added again with a higher priority moves up.

/** controller-runtime's handler.LowPriority: what the informers' initial list is queued at */
export const LowPriority = -100;

export interface WorkQueueOptions<K = string> {
  /** first retry delay for a failing key */
  baseDelayMs?: number;
  /** cap on the per-key retry delay */
  maxDelayMs?: number;
  /**
   * Optional ordering: keys with a higher priority (read when a key is queued) are handed out
   * first, keys of equal priority in the order they were queued. Unset: plain FIFO.
   */
  priority?: (key: K) => number;
}

/**
 * One priority's keys in the order queued, each with the ticket it was queued under; a key moved up
 * leaves its old entry behind, skipped when reached (its ticket is no longer the key's). A head index,
 * not Array.shift: a shift copies the whole array once it outgrows V8's in-place trimming (a restart's
 * backlog of 180,000 Works drained in 36 s of shifts alone).
 */
class Bucket<K> {
  keys: K[] = [];
  tickets: number[] = [];
  head = 0;

  push(key: K, ticket: number): void {
    this.keys.push(key);
    this.tickets.push(ticket);
  }

  get empty(): boolean {
    return this.head >= this.keys.length;
  }

  /** drops what was handed out once it is most of the arrays */
  compact(): void {
    if (this.head < 1024 || this.head * 2 < this.keys.length) return;
    this.keys = this.keys.slice(this.head);
    this.tickets = this.tickets.slice(this.head);
    this.head = 0;
  }
}

export class WorkQueue<K = string> {
  /** waiting keys by priority; `levels` lists the priorities that have a bucket, highest first */
  private buckets = new Map<number, Bucket<K>>();
  private levels: number[] = [];
  /** the ticket of each waiting key's live entry */
  private tickets = new Map<K, number>();
  private nextTicket = 0;
  private queued = new Set<K>();
  private processing = new Set<K>();
  private dirty = new Set<K>();
  private failures = new Map<K, number>();
  private delayed = new Map<K, { timer: NodeJS.Timeout; due: number }>();
  private waiters: ((key: K | undefined) => void)[] = [];
  private shuttingDown = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly priority?: (key: K) => number;
  /** priorities given to add() for keys being processed, for when they are queued again */
  private readonly pending = new Map<K, number>();
  /** the priority each queued key waits at */
  private readonly queuedPriority = new Map<K, number>();

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.priority = opts.priority;
  }

  get length(): number {
    return this.queued.size;
  }

  /** whether key waits to be handed out (queued, not being processed: a reconcile of it is still to start) */
  isWaiting(key: K): boolean {
    return this.queued.has(key);
  }

  /** keys being processed now */
  get active(): number {
    return this.processing.size;
  }

  /** keys waiting out a delay or a retry backoff */
  get delayedCount(): number {
    return this.delayed.size;
  }

  /** queues key; `priority` (default 0; ignored when opts.priority orders the queue) places it among the waiting keys */
  add(key: K, priority?: number): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      const p = this.effective(key, priority);
      this.pending.set(key, Math.max(p, this.pending.get(key) ?? p));
      return;
    }
    if (this.queued.has(key)) {
      this.raise(key, this.effective(key, priority));
      return;
    }
    this.queued.add(key);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.queued.delete(key);
      this.pending.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.enqueue(key, priority);
    }
  }

  private priorityOf(key: K, given: number | undefined): number {
    const held = this.pending.get(key);
    this.pending.delete(key);
    // a queue with its own ordering (the scheduler's schedulePriority) keeps it for every key
    const p = this.effective(key, given);
    return held === undefined ? p : Math.max(p, held);
  }

  /**
   * The priority a key waits at: the given one (default 0), or the queue's own ordering when it has
   * one, with a key from an informer's initial list (given LowPriority) behind fresh keys of the same
   * ordering value, so a restarted scheduler too handles a fresh change before its backlog.
   */
  private effective(key: K, given: number | undefined): number {
    if (!this.priority) return given ?? 0;
    return this.priority(key) - (given !== undefined && given <= LowPriority ? 0.5 : 0);
  }

  private enqueue(key: K, given?: number): void {
    const p = this.priorityOf(key, given);
    // after every key of the same or a higher priority (plain FIFO when all are equal)
    let bucket = this.buckets.get(p);
    if (!bucket) {
      this.buckets.set(p, (bucket = new Bucket()));
      let i = 0;
      while (i < this.levels.length && this.levels[i]! > p) i++;
      this.levels.splice(i, 0, p);
    }
    const ticket = this.nextTicket++;
    bucket.push(key, ticket);
    this.tickets.set(key, ticket);
    this.queuedPriority.set(key, p);
  }

  /** a waiting key added again with a higher priority moves up (never down) */
  private raise(key: K, p: number): void {
    if ((this.queuedPriority.get(key) ?? Infinity) >= p) return;
    this.enqueue(key, p);
  }

  /** the waiting key first in line, taken out of the queue */
  private pop(): K | undefined {
    while (this.levels.length) {
      const p = this.levels[0]!;
      const bucket = this.buckets.get(p)!;
      while (!bucket.empty) {
        const key = bucket.keys[bucket.head]!;
        const ticket = bucket.tickets[bucket.head]!;
        bucket.head++;
        if (this.tickets.get(key) !== ticket) continue; // moved up since
        bucket.compact();
        this.tickets.delete(key);
        return key;
      }
      this.buckets.delete(p);
      this.levels.shift();
    }
    return undefined;
  }

  addAfter(key: K, delayMs: number, priority?: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key, priority);
    // as client-go's delaying queue: a key already waiting keeps the earlier of the two times
    const due = performance.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing) {
      if (existing.due <= due) return;
      clearTimeout(existing.timer);
    }
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key, priority);
    }, delayMs);
    timer.unref();
    this.delayed.set(key, { timer, due });
  }

  /** re-queue after a failure, with per-key exponential backoff */
  addRateLimited(key: K): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** n));
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** the next key, or undefined once the queue is shut down (keys still queued are dropped, not drained) */
  async get(): Promise<K | undefined> {
    if (this.shuttingDown) return undefined;
    const key = this.pop();
    if (key !== undefined) {
      this.queuedPriority.delete(key);
      this.queued.delete(key);
      this.processing.add(key);
      return key;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.add(key, this.pending.get(key));
  }

  shutdown(): void {
    this.shuttingDown = true;
    this.buckets.clear();
    this.levels = [];
    this.tickets.clear();
    this.queued.clear();
    this.pending.clear();
    this.queuedPriority.clear();
    for (const d of this.delayed.values()) clearTimeout(d.timer);
    this.delayed.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}

/**
 * How long workers may run reconciles back to back before they let the event loop read its sockets.
 * A reconcile that finds nothing to write resolves without I/O, so a worker's loop over a backlog is
 * one chain of microtasks: without a pause, a restart's tens of thousands of cache-only reconciles
 * kept every watch event (a user's fresh change among them) unread for seconds, and with it the
 * priority queue's promise (Go's goroutines are preempted; a Node.js loop has to step aside itself).
 */
export const workerTurnMs = 10;

/** shared by every worker of the process: the starvation is of the one event loop */
let turnStartedAt = performance.now();

/** resolves at once, or, past workerTurnMs of back-to-back work, after the event loop has polled for I/O */
export function stepAsideIfLong(): Promise<void> | undefined {
  if (performance.now() - turnStartedAt < workerTurnMs) return undefined;
  return new Promise((resolve) =>
    setImmediate(() => {
      turnStartedAt = performance.now();
      resolve();
    }),
  );
}

/**
 * Runs `reconcile` for queued keys with `workers` concurrent workers until the queue shuts down.
 * reconcile returns a delay in ms to requeue after, or nothing; a throw requeues with backoff.
 */
export function runWorkers<K>(
  queue: WorkQueue<K>,
  workers: number,
  reconcile: (key: K) => Promise<number | void>,
  onError: (key: K, err: unknown) => void = () => {},
): Promise<void> {
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const requeueAfter = await reconcile(key);
        queue.forget(key);
        if (typeof requeueAfter === 'number') queue.addAfter(key, requeueAfter);
      } catch (err) {
        onError(key, err);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
      await stepAsideIfLong();
    }
  };
  return Promise.all(Array.from({ length: workers }, worker)).then(() => undefined);
}
