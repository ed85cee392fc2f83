// The loop of the API server's small in-process controllers over watch-fed copies (token Secrets,
// CSR signing, cluster-info signatures, ClusterRole aggregation): one pass at a time, a change during a
// pass asks for another, and a pass that could not finish is retried after a delay, as a work queue's
// backoff would, instead of waiting for the next change.

/** one pass over everything; resolves false when some write failed and the pass should run again */
export type SyncPass = (stopped: () => boolean) => Promise<boolean>;

export class SyncLoop {
  private running = false;
  private again = false;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly pass: SyncPass,
    private readonly retryMs = { min: 200, max: 10_000 },
  ) {}

  /** runs a pass now, or right after the one under way; resolves when the loop is idle */
  async trigger(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    clearTimeout(this.retry);
    let complete = true;
    try {
      do {
        this.again = false;
        complete = await this.pass(() => this.stopped).catch(() => false);
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
    }
    if (complete || this.stopped) {
      this.failures = 0;
      return;
    }
    const delay = Math.min(this.retryMs.max, this.retryMs.min * 2 ** this.failures++);
    this.retry = setTimeout(() => void this.trigger(), delay);
    this.retry.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }
}
