// Replica assignment (Karmada's core/assignment.go and division_algorithm.go): Duplicated, static
// weights, dynamic weights by available replicas, and Aggregated. Dynamic modes are Steady: on
// scale-up only the extra replicas are placed, on scale-down the previous result is shrunk in
// proportion; a rescheduleTriggeredAt newer than lastScheduledTime asks for a Fresh recalculation.
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ResourceBindingSpec, ResourceBindingStatus, TargetCluster } from '../../apis/karmada/binding.js';
import type { StaticClusterWeight } from '../../apis/karmada/placement.js';
import { replicaSchedulingTypeOf } from '../../apis/karmada/placement.js';
import { UnschedulableError, wrap } from '../framework/errors.js';
import { matchesClusterAffinity } from '../plugins/clusteraffinity/index.js';
import { takeByWeight, type ClusterWeight } from './dispenser.js';

export type StrategyType = 'Duplicated' | 'Aggregated' | 'StaticWeight' | 'DynamicWeight';
export type AssignmentMode = 'Steady' | 'Fresh';

/** Available replicas for each of the given clusters (same order). */
export type AvailableCalculator = (clusters: Cluster[]) => number[];

export function strategyTypeOf(spec: ResourceBindingSpec): StrategyType {
  const placement = spec.placement;
  if (replicaSchedulingTypeOf(placement) === 'Duplicated') return 'Duplicated';
  const rs = placement?.replicaScheduling;
  if (rs?.replicaDivisionPreference === 'Aggregated') return 'Aggregated';
  // Divided without a preference divides by (equal) static weights, as Weighted without weightPreference does.
  if (rs?.weightPreference?.dynamicWeight) return 'DynamicWeight';
  return 'StaticWeight';
}

/** util.RescheduleRequired: a manual reschedule was requested after the last schedule. */
export function rescheduleRequired(rescheduleTriggeredAt: string | undefined, lastScheduledTime: string | undefined): boolean {
  if (!rescheduleTriggeredAt) return false;
  if (!lastScheduledTime) return true;
  return Date.parse(rescheduleTriggeredAt) > Date.parse(lastScheduledTime);
}

function sumReplicas(tcs: TargetCluster[]): number {
  let n = 0;
  for (const c of tcs) n += c.replicas ?? 0;
  return n;
}

/** Stable sort by replicas, most first (Karmada's TargetClustersList order). */
function byReplicasDesc(tcs: TargetCluster[]): TargetCluster[] {
  return tcs.map((c, i) => ({ c, i })).sort((a, b) => (b.c.replicas ?? 0) - (a.c.replicas ?? 0) || a.i - b.i).map((x) => x.c);
}

export function staticWeightList(candidates: Cluster[], rules: StaticClusterWeight[], last: TargetCluster[]): ClusterWeight[] {
  const lastByName = new Map(last.map((c) => [c.name, c.replicas ?? 0]));
  const list: ClusterWeight[] = [];
  for (const cluster of candidates) {
    let weight = 0;
    for (const rule of rules) {
      if (matchesClusterAffinity(cluster, rule.targetCluster)) weight = Math.max(weight, rule.weight);
    }
    if (weight > 0) list.push({ name: cluster.metadata.name, weight, lastReplicas: lastByName.get(cluster.metadata.name) ?? 0 });
  }
  // Weights that select no candidate fall back to an even split.
  if (list.length === 0) return candidates.map((c) => ({ name: c.metadata.name, weight: 1, lastReplicas: 0 }));
  return list;
}

function assignByStaticWeight(candidates: Cluster[], spec: ResourceBindingSpec): TargetCluster[] {
  const wp = spec.placement?.replicaScheduling?.weightPreference;
  const rules: StaticClusterWeight[] = wp
    ? wp.staticWeightList ?? []
    : candidates.map((c) => ({ targetCluster: { clusterNames: [c.metadata.name] }, weight: 1 }));
  return takeByWeight(spec.replicas ?? 0, staticWeightList(candidates, rules, spec.clusters ?? []));
}

interface DynamicState {
  strategy: 'Aggregated' | 'DynamicWeight';
  target: number;
  available: TargetCluster[];
  scheduled: TargetCluster[];
}

function dynamicDivide(s: DynamicState): TargetCluster[] {
  const availableSum = sumReplicas(s.available);
  if (availableSum < s.target) throw new UnschedulableError(`Clusters available replicas ${availableSum} are not enough to schedule.`);
  let available = s.available;
  if (s.strategy === 'Aggregated') {
    // Clusters that already run replicas come first so new replicas join them; then as few clusters as fit.
    const prior = new Set(s.scheduled.filter((c) => (c.replicas ?? 0) > 0).map((c) => c.name));
    if (prior.size > 0) available = [...available.filter((c) => prior.has(c.name)), ...available.filter((c) => !prior.has(c.name))];
    let sum = 0;
    for (let i = 0; i < available.length; i++) {
      sum += available[i].replicas ?? 0;
      if (sum >= s.target) {
        available = available.slice(0, i + 1);
        break;
      }
    }
  }
  const lastByName = new Map(s.scheduled.map((c) => [c.name, c.replicas ?? 0]));
  const weights: ClusterWeight[] = available.map((c) => ({ name: c.name, weight: c.replicas ?? 0, lastReplicas: lastByName.get(c.name) ?? 0 }));
  return takeByWeight(s.target, weights, s.scheduled);
}

function assignByDynamic(
  strategy: 'Aggregated' | 'DynamicWeight',
  candidates: Cluster[],
  spec: ResourceBindingSpec,
  status: ResourceBindingStatus,
  calc: AvailableCalculator,
): TargetCluster[] {
  const replicas = spec.replicas ?? 0;
  const candidateNames = new Set(candidates.map((c) => c.metadata.name));
  // Replicas on clusters that are no longer candidates count as not assigned: they are placed anew.
  const scheduled = (spec.clusters ?? []).filter((c) => candidateNames.has(c.name));
  const assigned = sumReplicas(scheduled);
  const estimated = (): TargetCluster[] => {
    const avail = calc(candidates);
    return candidates.map((c, i) => ({ name: c.metadata.name, replicas: avail[i] }));
  };

  if (rescheduleRequired(spec.rescheduleTriggeredAt, status.lastScheduledTime)) {
    try {
      const prev = new Map(scheduled.map((c) => [c.name, c.replicas ?? 0]));
      const available = byReplicasDesc(estimated().map((c) => ({ name: c.name, replicas: (c.replicas ?? 0) + (prev.get(c.name) ?? 0) })));
      return dynamicDivide({ strategy, target: replicas, available, scheduled: [] });
    } catch (e) {
      throw wrap('failed to do fresh scale', e);
    }
  }
  if (assigned > replicas) {
    try {
      // Shrink in proportion to the previous result, as if scheduling it for the first time.
      return dynamicDivide({ strategy, target: replicas, available: byReplicasDesc((spec.clusters ?? []).map((c) => ({ ...c }))), scheduled: [] });
    } catch (e) {
      throw wrap('failed to scale down', e);
    }
  }
  if (assigned < replicas) {
    try {
      return dynamicDivide({ strategy, target: replicas - assigned, available: byReplicasDesc(estimated()), scheduled });
    } catch (e) {
      throw wrap('failed to scale up', e);
    }
  }
  return scheduled.map((c) => ({ ...c }));
}

export interface AssignOutcome {
  strategy: StrategyType;
  mode: AssignmentMode;
  clusters: TargetCluster[];
}

/** AssignReplicas: the target clusters with replicas; clusters left with 0 replicas are dropped. */
export function assignReplicas(
  candidates: Cluster[],
  spec: ResourceBindingSpec,
  status: ResourceBindingStatus,
  calc: AvailableCalculator,
): AssignOutcome {
  if (candidates.length === 0) throw new Error('no clusters available to schedule');
  const strategy = strategyTypeOf(spec);
  const mode: AssignmentMode = rescheduleRequired(spec.rescheduleTriggeredAt, status.lastScheduledTime) ? 'Fresh' : 'Steady';
  const replicas = spec.replicas ?? 0;
  if (replicas <= 0) {
    // Not a workload: every candidate gets the resource, without replicas.
    return { strategy, mode, clusters: candidates.map((c) => ({ name: c.metadata.name })) };
  }
  let result: TargetCluster[];
  switch (strategy) {
    case 'Duplicated':
      result = candidates.map((c) => ({ name: c.metadata.name, replicas }));
      break;
    case 'StaticWeight':
      result = assignByStaticWeight(candidates, spec);
      break;
    default:
      result = assignByDynamic(strategy, candidates, spec, status, calc);
  }
  return { strategy, mode, clusters: result.filter((c) => (c.replicas ?? 0) > 0).map((c) => ({ name: c.name, replicas: c.replicas })) };
}
