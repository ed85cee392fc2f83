// A de-duplicating, rate-limited work queue (client-go's workqueue is the model): a key is queued at
// most once; a key being processed is not handed out again until done(), and if it was re-added
// meanwhile it is queued again after. Failures back off exponentially per key.

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

export class WorkQueue<K = string> {
  private queue: K[] = [];
  /** priorities of `queue`'s keys, same order (only with opts.priority) */
  private priorities: number[] = [];
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

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.priority = opts.priority;
  }

  get length(): number {
    return this.queue.length;
  }

  add(key: K): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.queued.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.enqueue(key);
    }
  }

  private enqueue(key: K): void {
    if (!this.priority) {
      this.queue.push(key);
      return;
    }
    const p = this.priority(key);
    // after every key of the same or a higher priority
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.priorities[mid] >= p) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, key);
    this.priorities.splice(lo, 0, p);
  }

  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    // as client-go's delaying queue: a key already waiting keeps the earlier of the two times
    const due = performance.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing) {
      if (existing.due <= due) return;
      clearTimeout(existing.timer);
    }
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
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
    if (this.queue.length) {
      const key = this.queue.shift()!;
      this.priorities.shift();
      this.queued.delete(key);
      this.processing.add(key);
      return key;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.add(key);
  }

  shutdown(): void {
    this.shuttingDown = true;
    this.queue = [];
    this.priorities = [];
    this.queued.clear();
    for (const d of this.delayed.values()) clearTimeout(d.timer);
    this.delayed.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
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
    }
  };
  return Promise.all(Array.from({ length: workers }, worker)).then(() => undefined);
}
