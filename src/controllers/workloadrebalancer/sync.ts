// WorkloadRebalancer bookkeeping (Karmada's pkg/controllers/workloadrebalancer), pure: the
// observed workloads after a spec change, whether a binding still needs its reschedule trigger,
// and how long a finished rebalancer lives (ttlSecondsAfterFinished).
export interface WorkloadRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ObservedWorkload {
  workload: WorkloadRef;
  result?: 'Successful' | 'Failed';
  reason?: string;
}

const refKey = (w: WorkloadRef) => `${w.apiVersion} ${w.kind} ${w.namespace ?? ''} ${w.name}`;

/**
 * The status list for the current spec: listed workloads keep their result, new ones come in
 * without one, unlisted ones stay only if they succeeded; sorted by apiVersion, kind, namespace, name.
 */
export function syncObservedWorkloads(workloads: readonly WorkloadRef[], observed: readonly ObservedWorkload[]): ObservedWorkload[] {
  const wanted = new Map(workloads.map((w) => [refKey(w), w]));
  const out: ObservedWorkload[] = [];
  for (const o of observed) {
    const k = refKey(o.workload);
    if (wanted.has(k)) {
      out.push(o);
      wanted.delete(k);
    } else if (o.result === 'Successful') out.push(o);
  }
  for (const w of wanted.values()) out.push({ workload: w });
  return out.sort((a, b) => refKey(a.workload).localeCompare(refKey(b.workload)));
}

/** a binding triggered before the rebalancer was created (or never) is triggered again */
export function needsTrigger(createdAt: string, triggeredAt: string | undefined): boolean {
  return !triggeredAt || Date.parse(createdAt) > Date.parse(triggeredAt);
}

/** ms until a finished rebalancer is deleted (<= 0: now), or undefined without a TTL or before it finished */
export function ttlLeftMs(finishTime: string | undefined, ttlSeconds: number | undefined, now: number): number | undefined {
  if (ttlSeconds === undefined || !finishTime) return undefined;
  return Date.parse(finishTime) + ttlSeconds * 1000 - now;
}
