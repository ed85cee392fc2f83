// WorkloadAffinity and WorkloadAntiAffinity (Karmada's workloadaffinity / workloadantiaffinity
// plugins, gate WorkloadAffinity): bindings of one affinity group go to the clusters the group's
// scheduled bindings use; bindings of one anti-affinity group avoid them. A cluster the binding
// already targets always passes, so these filters never take a placed workload away.
import type { ResourceBinding } from '../../../apis/karmada/binding.js';
import { generateBindingName } from '../../../controllers/binding/names.js';
import { success, unschedulable, type FilterPlugin, type WorkloadPeers } from '../../framework/types.js';

const AffinityName = 'WorkloadAffinity';
const AntiAffinityName = 'WorkloadAntiAffinity';

function targets(b: ResourceBinding, cluster: string): boolean {
  return (b.spec.clusters ?? []).some((c) => c.name === cluster);
}

/** obeyAffinityGroup: another scheduled binding of the group must already target the cluster */
export function obeysAffinityGroup(self: { name: string; namespace?: string }, group: string, cluster: string, other: ResourceBinding): boolean {
  const g = other.spec.workloadAffinityGroups?.affinityGroup;
  if (!g || g !== group || (other.metadata.namespace ?? '') !== (self.namespace ?? '')) return true;
  if ((other.spec.clusters ?? []).length === 0) return true;
  if (other.metadata.name === self.name) return true;
  return targets(other, cluster);
}

/** obeyAntiAffinityGroup: no other binding of the group may target the cluster */
export function obeysAntiAffinityGroup(self: { name: string; namespace?: string }, group: string, cluster: string, other: ResourceBinding): boolean {
  const g = other.spec.workloadAffinityGroups?.antiAffinityGroup;
  if (!g || g !== group || (other.metadata.namespace ?? '') !== (self.namespace ?? '')) return true;
  if (other.metadata.name === self.name) return true;
  return !targets(other, cluster);
}

export const workloadAffinity: FilterPlugin = {
  name: AffinityName,
  filter(state, cluster) {
    const group = state.spec.workloadAffinityGroups?.affinityGroup;
    if (state.scheduled.has(cluster.metadata.name) || !group) return success();
    const self = { name: generateBindingName(state.spec.resource.kind, state.spec.resource.name), namespace: state.spec.resource.namespace };
    for (const other of state.peers?.byAffinityGroup(group) ?? []) {
      if (!obeysAffinityGroup(self, group, cluster.metadata.name, other)) return unschedulable('ResourceBinding with the same affinity group does not target this cluster');
    }
    return success();
  },
};

export const workloadAntiAffinity: FilterPlugin = {
  name: AntiAffinityName,
  filter(state, cluster) {
    const group = state.spec.workloadAffinityGroups?.antiAffinityGroup;
    if (state.scheduled.has(cluster.metadata.name) || !group) return success();
    const self = { name: generateBindingName(state.spec.resource.kind, state.spec.resource.name), namespace: state.spec.resource.namespace };
    for (const other of state.peers?.byAntiAffinityGroup(group) ?? []) {
      if (!obeysAntiAffinityGroup(self, group, cluster.metadata.name, other)) return unschedulable('cluster already has workload with the same anti-affinity group');
    }
    return success();
  },
};

/** Peers from a list of bindings (the offline `karmada-ts schedule`, tests). */
export function peersOf(bindings: readonly ResourceBinding[]): WorkloadPeers {
  const by = (pick: (b: ResourceBinding) => string | undefined) => (group: string) => bindings.filter((b) => pick(b) === group);
  return { byAffinityGroup: by((b) => b.spec.workloadAffinityGroups?.affinityGroup), byAntiAffinityGroup: by((b) => b.spec.workloadAffinityGroups?.antiAffinityGroup) };
}
