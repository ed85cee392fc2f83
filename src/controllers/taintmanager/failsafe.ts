// Where an evicted binding's replicas would go, by the real scheduler's code (karmada-ts's fail
// safe, beyond Karmada): an eviction that leaves the replicas nowhere to go is held back, since the
// scheduler would clear every cluster of the binding on NoClusterFit. Also what `karmadactl
// failover what-if` prints.
import type { ResourceBinding, ResourceBindingSpec, TargetCluster } from '../../apis/karmada/binding.js';
import type { Cluster } from '../../apis/karmada/cluster.js';
import { scheduleBinding } from '../../scheduler/schedule.js';

export interface Destination {
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
