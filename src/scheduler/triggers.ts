// When a binding needs scheduling again (Karmada's doScheduleBinding checks), as pure functions
// the scheduler component calls on binding and cluster events.
import type { Cluster } from '../apis/karmada/cluster.js';
import { DefaultSchedulerName, PolicyPlacementAnnotation, type ResourceBinding } from '../apis/karmada/binding.js';
import { replicaSchedulingTypeOf } from '../apis/karmada/placement.js';
import { rescheduleRequired } from './core/assignment.js';

export type RescheduleReason =
  | 'PlacementChanged'
  | 'ReplicasChanged'
  | 'RescheduleTriggered'
  | 'Duplicated'
  | 'TargetClusterDeleting'
  | 'None'
  | 'SchedulingSuspended'
  | 'OtherScheduler'
  /** attached bindings (dependencies of a workload) follow their parents' clusters, not a placement */
  | 'NoPlacement';

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Is this binding for the scheduler called `schedulerName`? (spec.schedulerName defaults to default-scheduler) */
export function handledBy(binding: ResourceBinding, schedulerName = DefaultSchedulerName): boolean {
  return (binding.spec.schedulerName || DefaultSchedulerName) === schedulerName;
}

/**
 * Why (and whether) the binding must be scheduled now. `clusters` (optional) lets the check see
 * target clusters being deleted.
 */
export function needsReschedule(binding: ResourceBinding, opts: { schedulerName?: string; clusters?: Cluster[] } = {}): RescheduleReason {
  const spec = binding.spec;
  if (!handledBy(binding, opts.schedulerName)) return 'OtherScheduler';
  if (spec.suspension?.scheduling) return 'SchedulingSuspended';
  if (!spec.placement) return 'NoPlacement';
  const applied = binding.metadata.annotations?.[PolicyPlacementAnnotation];
  let appliedPlacement: unknown;
  try {
    appliedPlacement = applied === undefined ? undefined : JSON.parse(applied);
  } catch {
    appliedPlacement = undefined;
  }
  if (appliedPlacement === undefined || canonical(appliedPlacement) !== canonical(spec.placement ?? {})) return 'PlacementChanged';
  const rs = spec.placement?.replicaScheduling;
  const replicas = spec.replicas ?? 0;
  if (rs) {
    // IsBindingReplicasChanged: a component workload left without clusters (e.g. evicted) is placed again
    if ((spec.components ?? []).length > 0 && (spec.clusters ?? []).length === 0) return 'ReplicasChanged';
    if (rs.replicaSchedulingType === 'Duplicated') {
      if ((spec.clusters ?? []).some((c) => (c.replicas ?? 0) !== replicas)) return 'ReplicasChanged';
    } else {
      const sum = (spec.clusters ?? []).reduce((n, c) => n + (c.replicas ?? 0), 0);
      if (sum !== replicas) return 'ReplicasChanged';
    }
  }
  if (rescheduleRequired(spec.rescheduleTriggeredAt, binding.status?.lastScheduledTime)) return 'RescheduleTriggered';
  // Non-workloads and duplicated workloads follow every update.
  if (replicas === 0 || replicaSchedulingTypeOf(spec.placement) === 'Duplicated') return 'Duplicated';
  const targets = new Set((spec.clusters ?? []).map((c) => c.name));
  if ((opts.clusters ?? []).some((c) => c.metadata.deletionTimestamp && targets.has(c.metadata.name))) return 'TargetClusterDeleting';
  return 'None';
}

/** Does a cluster update matter to scheduling (labels, spec, status the filters read, deletion)? */
export function clusterChangeMatters(prev: Cluster, next: Cluster): boolean {
  if (!prev.metadata.deletionTimestamp !== !next.metadata.deletionTimestamp) return true;
  if (canonical(prev.metadata.labels ?? {}) !== canonical(next.metadata.labels ?? {})) return true;
  if (prev.metadata.generation !== undefined && prev.metadata.generation !== next.metadata.generation) return true;
  if (canonical(prev.spec) !== canonical(next.spec)) return true;
  return canonical(prev.status?.apiEnablements ?? []) !== canonical(next.status?.apiEnablements ?? []);
}
