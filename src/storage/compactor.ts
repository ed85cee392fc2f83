// The default compaction window every backend keeps (like kine's compact-min-retain and
// the apiserver's 5-minute compactor): periodically compact to current - minRetain.
import type { Store } from './store.js';

export interface CompactionOptions {
  /** how often to compact; 0 turns automatic compaction off */
  intervalMs: number;
  /** revisions always kept for watch resume and paginated lists */
  minRetain: number;
}

export const defaultCompaction: CompactionOptions = { intervalMs: 5 * 60_000, minRetain: 1000 };
export const noCompaction: CompactionOptions = { intervalMs: 0, minRetain: 1000 };

/** the revision to compact to, or undefined when nothing falls outside the window */
export function compactionTarget(current: number, compacted: number, minRetain: number): number | undefined {
  const target = current - minRetain;
  return target > compacted ? target : undefined;
}

async function compactOnce(store: Pick<Store, 'currentRevision' | 'compactedRevision' | 'compact'>, minRetain: number): Promise<number | undefined> {
  const target = compactionTarget(await store.currentRevision(), await store.compactedRevision(), minRetain);
  if (target !== undefined) await store.compact(target);
  return target;
}

/** starts the periodic compactor; returns the function that stops it */
export function startCompactor(store: Pick<Store, 'currentRevision' | 'compactedRevision' | 'compact'>, options: CompactionOptions): () => void {
  if (options.intervalMs <= 0) return () => {};
  const timer = setInterval(() => {
    compactOnce(store, options.minRetain).catch(() => {
      // an unreachable backend is retried at the next tick; reads report it themselves
    });
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
