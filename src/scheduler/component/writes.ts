// What the scheduler writes for one schedule result, split the way Karmada writes it: a merge patch
// of the binding (spec.clusters and the applied-placement annotation), then a merge patch of the
// status subresource (the Scheduled condition; on success schedulerObservedGeneration and
// lastScheduledTime). Each is undefined when it would change nothing.
import { isDeepStrictEqual } from 'node:util';
import { PolicyPlacementAnnotation, type ResourceBinding, type ResourceBindingStatus, type TargetCluster } from '../../apis/karmada/binding.js';
import { applyScheduleResult, type ScheduleResult } from '../schedule.js';

interface SpecPatch {
  metadata?: { annotations: Record<string, string> };
  spec?: { clusters: TargetCluster[] | null };
}

/** the merge patch that puts the result into the binding, or undefined when it is already there */
export function specPatch(binding: ResourceBinding, result: ScheduleResult, now: Date): SpecPatch | undefined {
  const applied = applyScheduleResult(binding, result, now);
  const patch: SpecPatch = {};
  const placement = applied.metadata.annotations?.[PolicyPlacementAnnotation];
  if (placement !== undefined && placement !== binding.metadata.annotations?.[PolicyPlacementAnnotation]) {
    patch.metadata = { annotations: { [PolicyPlacementAnnotation]: placement } };
  }
  const before = binding.spec.clusters ?? [];
  const after = applied.spec.clusters ?? [];
  if (!sameTargets(before, after)) patch.spec = { clusters: after.length > 0 ? after : null };
  return patch.metadata || patch.spec ? patch : undefined;
}

/**
 * The same clusters with the same replicas, whatever the order: a result that only reorders ties
 * (scores equal, available replicas moving as pods land) is not worth a new generation, which
 * would schedule the binding again and again.
 */
export function sameTargets(a: readonly TargetCluster[], b: readonly TargetCluster[]): boolean {
  if (a.length !== b.length) return false;
  const byName = new Map(a.map((c) => [c.name, c]));
  return byName.size === a.length && b.every((c) => {
    const other = byName.get(c.name);
    return other !== undefined && isDeepStrictEqual(other, c);
  });
}

/**
 * The status merge patch (patchBindingStatusCondition). `generation` is the binding's generation
 * once the spec patch is in, so schedulerObservedGeneration names the spec that holds the result.
 */
export function statusPatch(binding: ResourceBinding, result: ScheduleResult, now: Date, generation: number | undefined): { status: ResourceBindingStatus } | undefined {
  const applied = applyScheduleResult({ ...binding, metadata: { ...binding.metadata, generation } }, result, now);
  const before = binding.status ?? {};
  const after = applied.status ?? {};
  const patch: ResourceBindingStatus = {};
  if (!isDeepStrictEqual(before.conditions ?? [], after.conditions ?? [])) patch.conditions = after.conditions;
  if (after.schedulerObservedGeneration !== before.schedulerObservedGeneration && after.schedulerObservedGeneration !== undefined) patch.schedulerObservedGeneration = after.schedulerObservedGeneration;
  if (after.schedulerObservingAffinityName !== before.schedulerObservingAffinityName && after.schedulerObservingAffinityName !== undefined) patch.schedulerObservingAffinityName = after.schedulerObservingAffinityName;
  if (after.lastScheduledTime !== before.lastScheduledTime && after.lastScheduledTime !== undefined) patch.lastScheduledTime = after.lastScheduledTime;
  return Object.keys(patch).length > 0 ? { status: patch } : undefined;
}

/**
 * A binding that needs no scheduling still gets schedulerObservedGeneration = generation (Karmada's
 * doScheduleBinding ends so): a spec change the scheduler has nothing to do for (the template's
 * resourceVersion, a label-driven field) would otherwise leave the binding looking unscheduled to
 * everyone who waits for the two to match (deploymentReplicasSyncer, kubectl wait, the dashboard).
 */
export function observedGenerationPatch(binding: ResourceBinding): { status: ResourceBindingStatus } | undefined {
  const generation = binding.metadata.generation;
  if (generation === undefined || binding.status?.schedulerObservedGeneration === generation) return undefined;
  return { status: { schedulerObservedGeneration: generation } };
}

/** targetClustersToString: `member1:2, member2:1` */
export function targetClustersString(clusters: TargetCluster[]): string {
  return clusters.map((c) => `${c.name}:${c.replicas ?? 0}`).join(', ');
}
