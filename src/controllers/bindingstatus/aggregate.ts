// A binding's status from its Works (Karmada helper/workstatus.go): one aggregatedStatus item per
// Work — applied or not and why, the member object's status and health — and the FullyApplied
// condition, true once every cluster the binding targets has an applied Work. Pure.
import type { Condition } from '../../apimachinery/types.js';
import type { AggregatedStatusItem, ObjectReference, ResourceBindingSpec } from '../../apis/karmada/binding.js';
import { ConditionFullyApplied } from '../../apis/karmada/binding.js';
import { clusterOfExecutionSpace, WorkApplied, type ResourceIdentifier, type Work } from '../../apis/karmada/work.js';
import { manifestIndex } from '../execution/manifest.js';
import { findCondition } from '../execution/status.js';

const FullyAppliedSuccessReason = 'FullyAppliedSuccess';
const FullyAppliedFailedReason = 'FullyAppliedFailed';
const FullyAppliedSuccessMessage = 'All works have been successfully applied';
const FullyAppliedFailedMessage = 'Failed to apply all works, see status.aggregatedStatus for details';

function sameObject(id: ResourceIdentifier, ordinal: number, ref: ObjectReference): boolean {
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const version = slash < 0 ? ref.apiVersion : ref.apiVersion.slice(slash + 1);
  return id.ordinal === ordinal && (id.group ?? '') === group && id.version === version && id.kind === ref.kind && (id.namespace ?? '') === (ref.namespace ?? '') && id.name === ref.name;
}

/** aggregatedStatus items, sorted by cluster, for the Works of one binding whose template is `resource` */
export function assembleAggregatedStatus(works: readonly Work[], resource: ObjectReference): AggregatedStatusItem[] {
  const items: AggregatedStatusItem[] = [];
  for (const work of works) {
    if (work.metadata.deletionTimestamp) continue;
    const clusterName = clusterOfExecutionSpace(work.metadata.namespace);
    if (!clusterName) continue;
    const ordinal = manifestIndex(work.spec?.workload?.manifests ?? [], { apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.namespace, name: resource.name });
    if (ordinal < 0) continue;
    const applied = findCondition(work.status?.conditions, WorkApplied);
    if (applied?.status !== 'True') {
      const item: AggregatedStatusItem = { clusterName, applied: false, health: 'Unknown' };
      if (applied?.message) item.appliedMessage = applied.message;
      items.push(item);
      continue;
    }
    const item: AggregatedStatusItem = { clusterName, applied: true, health: 'Unknown' };
    const ms = work.status?.manifestStatuses?.find((s) => sameObject(s.identifier, ordinal, resource));
    if (ms) {
      if (ms.status !== undefined) item.status = ms.status;
      item.health = ms.health ?? 'Unknown';
    }
    items.push(item);
  }
  return items.sort((a, b) => (a.clusterName < b.clusterName ? -1 : a.clusterName > b.clusterName ? 1 : 0));
}

/** the clusters a binding has Works on: its schedule, the clusters of bindings that require it, and clusters being evicted from */
export function bindingClusters(spec: ResourceBindingSpec): Set<string> {
  const names = new Set((spec.clusters ?? []).map((c) => c.name));
  for (const r of spec.requiredBy ?? []) for (const c of r.clusters ?? []) names.add(c.name);
  for (const t of spec.gracefulEvictionTasks ?? []) names.add(t.fromCluster);
  return names;
}

export function fullyAppliedCondition(spec: ResourceBindingSpec, items: readonly AggregatedStatusItem[]): Condition {
  const clusters = bindingClusters(spec);
  const fully = clusters.size > 0 && clusters.size === items.length && items.every((i) => i.applied && clusters.has(i.clusterName));
  return fully
    ? { type: ConditionFullyApplied, status: 'True', reason: FullyAppliedSuccessReason, message: FullyAppliedSuccessMessage }
    : { type: ConditionFullyApplied, status: 'False', reason: FullyAppliedFailedReason, message: FullyAppliedFailedMessage };
}
