// The scheduler's backoff queue (Karmada's prioritySchedulingQueue backoffQ): a binding whose attempt
// failed waits 1 s, doubling per failed attempt up to 10 s; once a second, every binding whose wait
// is over goes back to the active queue in one flush, higher schedulePriority first, then the one
// that failed earlier — so a waiting worker takes the most important binding first.

const DefaultInitialBackoffMs = 1000;
const DefaultMaxBackoffMs = 10_000;
export const FlushIntervalMs = 1000;

interface Entry {
  key: string;
  attempts: number;
  /** when the last attempt failed */
  timestamp: number;
}

interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** schedulePriority of a key, read at flush time */
  priority: (key: string) => number;
  now?: () => number;
}

export class BackoffQueue {
  private readonly waiting = new Map<string, Entry>();
  private readonly attempts = new Map<string, number>();
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly priority: (key: string) => number;
  private readonly now: () => number;

  constructor(opts: BackoffOptions) {
    this.initialMs = opts.initialMs ?? DefaultInitialBackoffMs;
    this.maxMs = opts.maxMs ?? DefaultMaxBackoffMs;
    this.priority = opts.priority;
    this.now = opts.now ?? (() => performance.now());
  }

  get length(): number {
    return this.waiting.size;
  }

  /** calculateBackoffDuration: initial × 2^(attempts−1), capped */
  backoffMs(attempts: number): number {
    if (attempts <= 0) return 0;
    let d = this.initialMs;
    for (let i = 1; i < attempts; i++) {
      if (d > this.maxMs - d) return this.maxMs;
      d += d;
    }
    return Math.min(d, this.maxMs);
  }

  /** a failed attempt: the key waits out its backoff (a key already waiting keeps its place) */
  push(key: string): void {
    const attempts = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempts);
    if (!this.waiting.has(key)) this.waiting.set(key, { key, attempts, timestamp: this.now() });
  }

  /** a successful attempt (or a binding gone): its failures are forgotten */
  forget(key: string): void {
    this.attempts.delete(key);
    this.waiting.delete(key);
  }

  /** flushBackoffQCompleted: the keys whose backoff is over, in the order they go back */
  flush(): string[] {
    const now = this.now();
    const ready: { e: Entry; p: number }[] = [];
    for (const e of this.waiting.values()) {
      if (e.timestamp + this.backoffMs(e.attempts) <= now) ready.push({ e, p: this.priority(e.key) });
    }
    ready.sort((a, b) => b.p - a.p || a.e.timestamp - b.e.timestamp);
    for (const { e } of ready) this.waiting.delete(e.key);
    return ready.map(({ e }) => e.key);
  }
}
