// Which graceful eviction tasks a binding keeps (Karmada's gracefuleviction assessEvictionTasks):
// a task with suppressDeletion stays while it is true and goes once it is false; otherwise it goes
// when its grace period (task gracePeriodSeconds, else --graceful-eviction-timeout) has passed or
// when every scheduled cluster reports the workload Healthy.
import type { GracefulEvictionTask, ResourceBinding } from '../../apis/karmada/binding.js';

interface Assessment {
  kept: GracefulEvictionTask[];
  removed: { task: GracefulEvictionTask; why: string }[];
  /** ms until the next kept task times out, when one can */
  nextCheckMs?: number;
}

/** every scheduled cluster has aggregated status, applied and Healthy, for the current schedule */
function scheduledHealthy(binding: ResourceBinding): boolean {
  const scheduled = binding.spec.clusters ?? [];
  if (scheduled.length === 0) return false;
  if (binding.metadata.generation !== undefined && binding.status?.schedulerObservedGeneration !== binding.metadata.generation) return false;
  const byCluster = new Map((binding.status?.aggregatedStatus ?? []).map((s) => [s.clusterName, s]));
  return scheduled.every((c) => {
    const s = byCluster.get(c.name);
    return !!s && s.applied !== false && s.health === 'Healthy';
  });
}

export function assessEvictionTasks(binding: ResourceBinding, now: number, defaultTimeoutMs: number): Assessment {
  const out: Assessment = { kept: [], removed: [] };
  const healthy = scheduledHealthy(binding);
  for (const task of binding.spec.gracefulEvictionTasks ?? []) {
    if (task.suppressDeletion !== undefined) {
      if (task.suppressDeletion) out.kept.push(task);
      else out.removed.push({ task, why: 'suppressDeletion was cleared' });
      continue;
    }
    const timeout = task.gracePeriodSeconds !== undefined ? task.gracePeriodSeconds * 1000 : defaultTimeoutMs;
    const created = Date.parse(task.creationTimestamp ?? '');
    const left = (Number.isNaN(created) ? now : created) + timeout - now;
    if (left <= 0) out.removed.push({ task, why: 'the grace period ended' });
    else if (healthy) out.removed.push({ task, why: 'the workload is healthy on every scheduled cluster' });
    else {
      out.kept.push(task);
      out.nextCheckMs = Math.min(out.nextCheckMs ?? Infinity, left);
    }
  }
  return out;
}
