// The cluster controller's health monitor (Karmada's monitorClusterHealth) for Pull clusters,
// whose status comes from karmada-agent: an agent that stops posting status and renewing its
// Lease (karmada-cluster/<cluster>) for the grace period leaves the cluster Ready=Unknown. Push
// clusters are probed by the cluster status controller itself and are not monitored here.
import type { Condition } from '../../apimachinery/types.js';
import { ClusterConditionReady, type Cluster } from '../../apis/karmada/cluster.js';

export interface HealthRecord {
  /** when a sign of life was last seen (ms, local clock) */
  probeTimestamp: number;
  /** the Ready condition as last seen, to notice new posts */
  readyCondition: string;
  leaseRenewTime?: string;
}

interface MonitorTimings {
  gracePeriodMs: number;
  startupGracePeriodMs: number;
}

const ReasonClusterStatusUnknown = 'ClusterStatusUnknown';
const MessageClusterStatusUnknown = 'Cluster status controller stopped posting cluster status.';
const ReasonClusterStatusNeverUpdated = 'ClusterStatusNeverUpdated';
const MessageClusterStatusNeverUpdated = 'Cluster status controller never posted cluster status.';

/**
 * One look at a cluster: the new record, and the Ready condition to write when the cluster has been
 * silent for longer than its grace period (undefined: leave it).
 */
export function monitorHealth(cluster: Cluster, saved: HealthRecord | undefined, leaseRenewTime: string | undefined, now: number, t: MonitorTimings, nowText: string): { record: HealthRecord; ready?: Condition } {
  const current = cluster.status?.conditions?.find((c) => c.type === ClusterConditionReady);
  const seen = JSON.stringify(current ?? null);
  const created = Date.parse(cluster.metadata.creationTimestamp ?? '') || now;
  let record: HealthRecord = saved ?? { probeTimestamp: current ? now : created, readyCondition: seen };
  if (saved && saved.readyCondition !== seen) record = { probeTimestamp: now, readyCondition: seen, leaseRenewTime: saved.leaseRenewTime };
  if (leaseRenewTime && leaseRenewTime !== record.leaseRenewTime) record = { ...record, probeTimestamp: now, leaseRenewTime };
  const grace = current ? t.gracePeriodMs : t.startupGracePeriodMs;
  if (now <= record.probeTimestamp + grace) return { record };
  if (!current) return { record, ready: { type: ClusterConditionReady, status: 'Unknown', reason: ReasonClusterStatusNeverUpdated, message: MessageClusterStatusNeverUpdated, lastTransitionTime: nowText } };
  if (current.status === 'Unknown') return { record };
  return { record, ready: { ...current, status: 'Unknown', reason: ReasonClusterStatusUnknown, message: MessageClusterStatusUnknown, lastTransitionTime: nowText } };
}
