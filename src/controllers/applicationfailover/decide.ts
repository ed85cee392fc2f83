// Application failover decisions (Karmada's pkg/controllers/applicationfailover), pure: how long
// each scheduled cluster has reported the workload Unhealthy, which ones are past the toleration,
// and the state (statePreservation rules, JSONPath over the failed copy's status) kept as labels.
import { jsonPathFind } from '../../apimachinery/meta.js';
import type { ResourceBinding } from '../../apis/karmada/binding.js';
import type { StatePreservationRule } from '../../apis/karmada/policy.js';

/** Karmada's default decisionConditions.tolerationSeconds */
export const DefaultApplicationTolerationSeconds = 300;

/** the next unhealthy-since record: scheduled clusters reporting Unhealthy keep (or start) their time; others leave */
export function trackUnhealthy(binding: ResourceBinding, previous: ReadonlyMap<string, number>, now: number): Map<string, number> {
  const scheduled = new Set((binding.spec.clusters ?? []).map((c) => c.name));
  const next = new Map<string, number>();
  for (const s of binding.status?.aggregatedStatus ?? []) {
    if (!scheduled.has(s.clusterName) || s.health !== 'Unhealthy') continue;
    next.set(s.clusterName, previous.get(s.clusterName) ?? now);
  }
  return next;
}

/** clusters unhealthy for at least the toleration, and the ms until the next one would be */
export function dueClusters(unhealthy: ReadonlyMap<string, number>, tolerationSeconds: number, now: number): { due: string[]; nextMs?: number } {
  const due: string[] = [];
  let nextMs: number | undefined;
  for (const [cluster, since] of unhealthy) {
    const left = since + tolerationSeconds * 1000 - now;
    if (left <= 0) due.push(cluster);
    else nextMs = Math.min(nextMs ?? Infinity, left);
  }
  return { due: due.sort(), ...(nextMs !== undefined ? { nextMs } : {}) };
}

/**
 * The labels to carry to the new copy: each rule's JSONPath read from the failed copy's status
 * (`{.replicas}` or `.replicas`), the first value as a string. A rule that finds nothing is an
 * error, as in Karmada (the eviction waits rather than lose the state).
 */
export function preservedLabelState(status: unknown, rules: readonly StatePreservationRule[]): { labels: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  for (const r of rules) {
    let found: unknown[];
    try {
      found = jsonPathFind(status ?? {}, r.jsonPath);
    } catch (err) {
      return { error: `statePreservation rule ${r.aliasLabelName}: ${(err as Error).message}` };
    }
    const v = found.find((x) => x !== undefined && x !== null);
    if (v === undefined) return { error: `statePreservation rule ${r.aliasLabelName}: ${r.jsonPath} found nothing in the status of the failed copy` };
    labels[r.aliasLabelName] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return { labels };
}
