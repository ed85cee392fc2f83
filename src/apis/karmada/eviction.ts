// Graceful eviction on a binding spec (Karmada's work/v1alpha2 binding_types_helper.go:
// GracefulEvictCluster, ObtainBindingSpecExistingClusters): names, producers, reasons and the
// clusters whose Works stay while an eviction task lasts.
import type { GracefulEvictionTask, PurgeMode, ResourceBindingSpec } from './binding.js';

export const EvictionProducerTaintManager = 'TaintManager';
export const EvictionProducerApplicationFailover = 'ApplicationFailover';
export const EvictionReasonTaintUntolerated = 'TaintUntolerated';
export const EvictionReasonApplicationFailure = 'ApplicationFailure';

export const EventReasonEvictWorkloadFromClusterSucceed = 'EvictWorkloadFromClusterSucceed';
export const EventReasonEvictWorkloadFromClusterFailed = 'EvictWorkloadFromClusterFailed';
/** karmada-ts: an eviction held back because no other cluster can take the replicas */
export const EventReasonEvictionBlocked = 'EvictionBlocked';
/** karmada-ts: binding condition saying an eviction waits (fail safe) */
export const ConditionEvictionBlocked = 'EvictionBlocked';

/** v1.19 names; Immediately and Graciously are read as Directly and Gracefully */
export function normalizePurgeMode(mode: PurgeMode | string | undefined, fallback: 'Directly' | 'Gracefully' | 'Never' = 'Gracefully'): 'Directly' | 'Gracefully' | 'Never' {
  switch (mode) {
    case 'Directly':
    case 'Immediately':
      return 'Directly';
    case 'Gracefully':
    case 'Graciously':
      return 'Gracefully';
    case 'Never':
      return 'Never';
    default:
      return fallback;
  }
}

interface EvictOptions {
  purgeMode: 'Directly' | 'Gracefully' | 'Never';
  producer: string;
  reason: string;
  message?: string;
  gracePeriodSeconds?: number;
  suppressDeletion?: boolean;
  preservedLabelState?: Record<string, string>;
  clustersBeforeFailover?: string[];
  now: string;
}

/**
 * GracefulEvictCluster: the cluster leaves spec.clusters and a task remembers it (with the replicas
 * it had) until the graceful eviction controller ends it. A cluster with a task already keeps it.
 * Returns a new spec; the input is not changed. Unchanged when the cluster is not scheduled.
 */
export function gracefullyEvictCluster(spec: ResourceBindingSpec, cluster: string, o: EvictOptions): ResourceBindingSpec {
  const target = (spec.clusters ?? []).find((c) => c.name === cluster);
  if (!target) return spec;
  const clusters = (spec.clusters ?? []).filter((c) => c.name !== cluster);
  if ((spec.gracefulEvictionTasks ?? []).some((t) => t.fromCluster === cluster)) return { ...spec, clusters };
  const task: GracefulEvictionTask = {
    fromCluster: cluster,
    purgeMode: o.purgeMode,
    ...(target.replicas !== undefined ? { replicas: target.replicas } : {}),
    reason: o.reason,
    ...(o.message ? { message: o.message } : {}),
    producer: o.producer,
    ...(o.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: o.gracePeriodSeconds } : {}),
    ...(o.suppressDeletion !== undefined ? { suppressDeletion: o.suppressDeletion } : {}),
    ...(o.preservedLabelState && Object.keys(o.preservedLabelState).length ? { preservedLabelState: o.preservedLabelState } : {}),
    ...(o.clustersBeforeFailover?.length ? { clustersBeforeFailover: o.clustersBeforeFailover } : {}),
    creationTimestamp: o.now,
  };
  return { ...spec, clusters, gracefulEvictionTasks: [...(spec.gracefulEvictionTasks ?? []), task] };
}

/** the clusters whose Works stay during their eviction task: every task but a Directly one */
export function clustersKeptByEviction(spec: ResourceBindingSpec): string[] {
  return (spec.gracefulEvictionTasks ?? []).filter((t) => normalizePurgeMode(t.purgeMode) !== 'Directly').map((t) => t.fromCluster);
}

/**
 * The preserved state to inject as labels into the copy on `cluster` (Karmada's
 * injectReservedLabelState): only for a workload on one cluster, from the last eviction task, when
 * the cluster is a new one (not in clustersBeforeFailover). Karmada injects for purgeMode Directly
 * only; karmada-ts also for Gracefully and Never, so a graceful failover keeps its state too.
 */
export function preservedLabelsFor(spec: ResourceBindingSpec, cluster: string): Record<string, string> {
  if ((spec.clusters ?? []).length > 1) return {};
  const last = (spec.gracefulEvictionTasks ?? []).at(-1);
  if (!last?.preservedLabelState || (last.clustersBeforeFailover ?? []).includes(cluster)) return {};
  return { ...last.preservedLabelState };
}
