// Karmada's controller-manager metrics (pkg/metrics: resource.go, cluster.go, and the object
// watcher's counters), under Karmada's names and labels, so its dashboards and performance harness
// read ours unchanged. One set per prom-client registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type Result = 'success' | 'error';

interface KarmadaMetrics {
  matchPolicyDuration: Histogram<string>;
  applyPolicyDuration: Histogram<'result'>;
  policyApplyAttempts: Counter<'result'>;
  syncWorkDuration: Histogram<'result'>;
  syncWorkloadDuration: Histogram<'result'>;
  createResourceToCluster: Counter<'result' | 'apiversion' | 'kind' | 'member_cluster' | 'recreate'>;
  updateResourceToCluster: Counter<'result' | 'apiversion' | 'kind' | 'member_cluster'>;
  deleteResourceFromCluster: Counter<'result' | 'apiversion' | 'kind' | 'member_cluster'>;
  clusterReadyState: Gauge<'member_cluster'>;
  clusterSyncStatusDuration: Histogram<'member_cluster'>;
}

/** prometheus.ExponentialBuckets(0.001, 2, 12), as Karmada's resource histograms */
const exponentialBuckets = Array.from({ length: 12 }, (_, i) => 0.001 * 2 ** i);

const perRegistry = new WeakMap<Registry, KarmadaMetrics>();

export function karmadaMetrics(registry: Registry): KarmadaMetrics {
  const existing = perRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const resultHistogram = (name: string, help: string) => new Histogram({ name, help, labelNames: ['result'], buckets: exponentialBuckets, registers });
  const objectCounter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers });
  const m: KarmadaMetrics = {
    matchPolicyDuration: new Histogram({ name: 'resource_match_policy_duration_seconds', help: 'Duration in seconds to find a matched PropagationPolicy or ClusterPropagationPolicy for the resource templates.', buckets: exponentialBuckets, registers }),
    applyPolicyDuration: resultHistogram('resource_apply_policy_duration_seconds', "Duration in seconds to apply a PropagationPolicy or ClusterPropagationPolicy for the resource templates. By the result, 'error' means a resource template failed to apply the policy. Otherwise 'success'."),
    policyApplyAttempts: new Counter({ name: 'policy_apply_attempts_total', help: "Number of attempts to be applied for a PropagationPolicy or ClusterPropagationPolicy. By the result, 'error' means a resource template failed to apply the policy. Otherwise 'success'.", labelNames: ['result'], registers }),
    syncWorkDuration: resultHistogram('binding_sync_work_duration_seconds', "Duration in seconds to sync works for ResourceBinding and ClusterResourceBinding objects. By the result, 'error' means a binding failed to sync works. Otherwise 'success'."),
    syncWorkloadDuration: resultHistogram('work_sync_workload_duration_seconds', "Duration in seconds to sync the workload to a target cluster. By the result, 'error' means a work failed to sync workloads. Otherwise 'success'."),
    createResourceToCluster: objectCounter('create_resource_to_cluster', "Number of creation operations against a target member cluster. The 'result' label indicates outcome ('success' or 'error'), 'recreate' is always false (deprecated in Karmada v1.19).", ['result', 'apiversion', 'kind', 'member_cluster', 'recreate']),
    updateResourceToCluster: objectCounter('update_resource_to_cluster', "Number of updating operation of the resource to a target member cluster. By the result, 'error' means a resource updated failed. Otherwise 'success'.", ['result', 'apiversion', 'kind', 'member_cluster']),
    deleteResourceFromCluster: objectCounter('delete_resource_from_cluster', "Number of deletion operations against a target member cluster. By the result, 'error' means a resource deletion failed. Otherwise 'success'.", ['result', 'apiversion', 'kind', 'member_cluster']),
    clusterReadyState: new Gauge({ name: 'cluster_ready_state', help: 'State of the cluster (1 if ready, 0 otherwise).', labelNames: ['member_cluster'], registers }),
    clusterSyncStatusDuration: new Histogram({ name: 'cluster_sync_status_duration_seconds', help: 'Duration in seconds for syncing the status of the cluster once.', labelNames: ['member_cluster'], registers }),
  };
  perRegistry.set(registry, m);
  return m;
}

const resultOf = (err: unknown): Result => (err ? 'error' : 'success');

/** seconds since a performance.now() reading */
export const since = (start: number) => (performance.now() - start) / 1000;

/** runs op and observes its duration with result success/error */
export async function timed<T>(histogram: Histogram<'result'>, op: () => Promise<T>, counter?: Counter<'result'>): Promise<T> {
  const start = performance.now();
  let err: unknown;
  try {
    return await op();
  } catch (e) {
    err = e ?? new Error('failed');
    throw e;
  } finally {
    histogram.observe({ result: resultOf(err) }, since(start));
    counter?.inc({ result: resultOf(err) });
  }
}

/** runs op and counts it under labels, with result 'error' when it throws (unless `uncounted` says the failure is expected) */
export async function counted<L extends string, T>(counter: Counter<L>, labels: Partial<Record<L, string>> & { result: string }, op: () => Promise<T>, uncounted?: (err: unknown) => boolean): Promise<T> {
  try {
    const out = await op();
    counter.inc(labels as Partial<Record<L, string | number>>);
    return out;
  } catch (err) {
    if (!uncounted?.(err)) counter.inc({ ...labels, result: 'error' } as Partial<Record<L, string | number>>);
    throw err;
  }
}
