// The descheduler's decision (Karmada's pkg/descheduler with the accurate estimator's
// GetUnschedulableReplicas), pure: a workload's pods that a member has left Pending with
// PodScheduled=False/Unschedulable for longer than the threshold are replicas that cluster cannot
// run; they are taken off its assignment so the scheduler places them elsewhere. Only bindings
// divided by dynamic weight are descheduled, as in Karmada.
import type { KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding, TargetCluster } from '../../apis/karmada/binding.js';

/** Karmada's --unschedulable-threshold default */
export const DefaultUnschedulableThresholdMs = 5 * 60_000;

/** pods Pending and Unschedulable for at least `thresholdMs` */
export function unschedulableReplicas(pods: readonly KubeObject[], now: number, thresholdMs: number): number {
  let n = 0;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    const s = (p.status ?? {}) as { phase?: string; conditions?: { type: string; status: string; reason?: string; lastTransitionTime?: string }[] };
    if (s.phase !== 'Pending') continue;
    const c = s.conditions?.find((x) => x.type === 'PodScheduled');
    if (c?.status !== 'False' || c.reason !== 'Unschedulable') continue;
    const since = Date.parse(c.lastTransitionTime ?? '');
    if (!Number.isNaN(since) && now - since >= thresholdMs) n++;
  }
  return n;
}

/** bindings the descheduler looks at: Divided with dynamic weight, scheduled, not being deleted */
export function deschedulable(b: ResourceBinding): boolean {
  const rs = b.spec.placement?.replicaScheduling;
  return !b.metadata.deletionTimestamp && rs?.replicaSchedulingType === 'Divided' && rs.replicaDivisionPreference === 'Weighted' && !!rs.weightPreference?.dynamicWeight && (b.spec.clusters ?? []).length > 0;
}

/** spec.clusters with the unschedulable replicas taken off (clusters left with none dropped), or undefined when nothing changes */
export function descheduleClusters(clusters: readonly TargetCluster[], unschedulable: ReadonlyMap<string, number>): TargetCluster[] | undefined {
  let changed = false;
  const out: TargetCluster[] = [];
  for (const c of clusters) {
    const take = Math.min(unschedulable.get(c.name) ?? 0, c.replicas ?? 0);
    if (take <= 0) {
      out.push(c);
      continue;
    }
    changed = true;
    const left = (c.replicas ?? 0) - take;
    if (left > 0) out.push({ ...c, replicas: left });
  }
  return changed ? out : undefined;
}
