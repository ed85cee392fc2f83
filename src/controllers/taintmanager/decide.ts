// When the taint manager evicts a binding from a cluster (Karmada's taint_manager needEviction and
// helper.GetMinTolerationTime): a NoExecute taint no toleration covers evicts now; covered ones
// evict when the shortest tolerationSeconds, counted from the taint's timeAdded, runs out; covered
// without a limit, never.
import type { Taint } from '../../apis/karmada/cluster.js';
import type { Toleration } from '../../apis/karmada/placement.js';
import { toleratesTaint, taintToString } from '../../scheduler/util/taints.js';

export type TaintDecision = { action: 'keep' } | { action: 'evict'; reason: string } | { action: 'wait'; ms: number };

export function noExecuteDecision(taints: readonly Taint[], tolerations: readonly Toleration[], now: number): TaintDecision {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return { action: 'keep' };
  let deadline = Infinity;
  let earliest: Taint | undefined;
  for (const taint of noExecute) {
    const used = tolerations.filter((t) => toleratesTaint(t, taint));
    if (used.length === 0) return { action: 'evict', reason: `taint ${taintToString(taint)} is not tolerated` };
    const limits = used.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
    if (limits.length === 0) continue;
    const added = Date.parse(taint.timeAdded ?? '');
    const at = (Number.isNaN(added) ? now : added) + Math.max(0, Math.min(...limits)) * 1000;
    if (at < deadline) {
      deadline = at;
      earliest = taint;
    }
  }
  if (!earliest) return { action: 'keep' };
  if (deadline <= now) return { action: 'evict', reason: `taint ${taintToString(earliest)} was tolerated for its tolerationSeconds only` };
  return { action: 'wait', ms: deadline - now };
}

/** a token bucket per failed cluster: how many bindings one cluster failure may evict per second */
export class EvictionLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    /** bindings per second per cluster; 0 or less: no limit */
    private readonly ratePerSecond: number,
    private readonly burst = Math.max(1, Math.ceil(ratePerSecond)),
  ) {}

  /** 0 when an eviction from `cluster` may go now (and takes the token), else ms to wait */
  take(cluster: string, now: number): number {
    if (this.ratePerSecond <= 0) return 0;
    const b = this.buckets.get(cluster) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    this.buckets.set(cluster, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / this.ratePerSecond) * 1000);
  }
}
