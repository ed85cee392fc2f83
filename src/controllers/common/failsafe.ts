// Where an evicted binding's replicas would go, by the real scheduler's code (karmada-ts's fail
// safe, beyond Karmada): an eviction that leaves the replicas nowhere to go is held back, since the
// scheduler would clear every cluster of the binding on NoClusterFit. Also what `karmadactl
// failover what-if` prints.
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { Condition, KubeObject } from '../../apimachinery/types.js';
import type { ResourceBinding, ResourceBindingSpec, TargetCluster } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { ConditionEvictionBlocked, EventReasonEvictionBlocked } from '../../apis/karmada/eviction.js';
import type { KubeClient } from '../../runtime/client.js';
import type { EventRecorder } from '../../runtime/events.js';
import { scheduleBinding } from '../../scheduler/schedule.js';

interface Destination {
  cluster: string;
  /** replicas added there (0 for a non-divided workload that is simply kept there) */
  replicas: number;
}

export type Placement = { ok: true; destinations: Destination[]; clusters: TargetCluster[] } | { ok: false; message: string };

/** what the scheduler would do with the binding once its spec is `evicted` */
export function placeAfterEviction(binding: ResourceBinding, evicted: ResourceBindingSpec, clusters: Cluster[]): Placement {
  const result = scheduleBinding({ ...binding, spec: evicted }, clusters);
  if (!result.ok || result.clusters.length === 0) return { ok: false, message: result.condition.message || 'no cluster fits' };
  const before = new Map((evicted.clusters ?? []).map((c) => [c.name, c.replicas ?? 0]));
  const destinations = result.clusters
    .map((c) => ({ cluster: c.name, replicas: (c.replicas ?? 0) - (before.get(c.name) ?? 0) }))
    .filter((d) => d.replicas > 0 || !before.has(d.cluster));
  return { ok: true, destinations, clusters: result.clusters };
}

/** `member2 (+2), member3 (+1)`, or what stays when nothing new is added */
export function describeDestinations(p: Extract<Placement, { ok: true }>): string {
  if (p.destinations.length === 0) return `the remaining clusters ${p.clusters.map((c) => c.name).join(', ')}`;
  return p.destinations.map((d) => (d.replicas > 0 ? `${d.cluster} (+${d.replicas})` : d.cluster)).join(', ');
}

/** the template a binding stands for, as an event's involved object */
export function templateOf(binding: ResourceBinding): KubeObject {
  const r = binding.spec.resource;
  return { apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}), ...(r.uid ? { uid: r.uid } : {}) } };
}

/** the EvictionBlocked condition (True, NoClusterFit) and a Warning event on binding and template; once per message */
export async function setEvictionBlocked(client: KubeClient, events: EventRecorder, binding: ResourceBinding, message: string): Promise<void> {
  const prev = binding.status?.conditions?.find((c) => c.type === ConditionEvictionBlocked);
  if (prev?.status === 'True' && prev.message === message) return;
  const condition: Condition = { type: ConditionEvictionBlocked, status: 'True', reason: 'NoClusterFit', message, lastTransitionTime: prev?.status === 'True' ? (prev.lastTransitionTime ?? rfc3339Now()) : rfc3339Now() };
  const conditions = [...(binding.status?.conditions ?? []).filter((c) => c.type !== ConditionEvictionBlocked), condition];
  await client.updateStatus({ ...binding, status: { ...(binding.status ?? {}), conditions } });
  events.record(binding, 'Warning', EventReasonEvictionBlocked, message);
  events.record(templateOf(binding), 'Warning', EventReasonEvictionBlocked, message);
}

/** drops the EvictionBlocked condition once nothing waits */
export async function clearEvictionBlocked(client: KubeClient, binding: ResourceBinding): Promise<void> {
  if (!binding.status?.conditions?.some((c) => c.type === ConditionEvictionBlocked)) return;
  const conditions = (binding.status.conditions ?? []).filter((c) => c.type !== ConditionEvictionBlocked);
  await client.updateStatus({ ...binding, status: { ...binding.status, conditions } });
}
