// Replica assignment (Karmada's core/common.go, assignment.go and division_algorithm.go): Duplicated,
// static weights, dynamic weights by available replicas, and Aggregated, every weighted split by the
// Webster method. Dynamic modes are Steady: on scale-up only the extra replicas are placed, on
// scale-down the previous result is shrunk in proportion; a rescheduleTriggeredAt newer than
// lastScheduledTime asks for a Fresh recalculation. With overflowAffinities, replicas fill each tier
// up to its available replicas before the next tier gets any.
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ResourceBindingSpec, ResourceBindingStatus, TargetCluster } from '../../apis/karmada/binding.js';
import { clusterMatches } from '../../apis/karmada/clusteraffinity.js';
import type { ClusterAffinityTerm, StaticClusterWeight } from '../../apis/karmada/placement.js';
import { replicaSchedulingTypeOf } from '../../apis/karmada/placement.js';
import { UnschedulableError, wrap } from '../framework/errors.js';
import { dispenseByWeight, mergeTargetClusters, type ClusterWeight } from './dispenser.js';
import type { WebsterRound } from './webster.js';

export type StrategyType = 'Duplicated' | 'Aggregated' | 'StaticWeight' | 'DynamicWeight';
export type AssignmentMode = 'Steady' | 'Fresh';

/** Estimated replicas that still fit on each of the given clusters (same order), without what they run. */
type AvailableCalculator = (clusters: Cluster[]) => number[];

/** newAssignState's strategy; undefined for a combination Karmada has no strategy for. */
function strategyTypeOf(spec: ResourceBindingSpec): StrategyType | undefined {
  const type = replicaSchedulingTypeOf(spec.placement);
  if (type === 'Duplicated') return 'Duplicated';
  if (type !== 'Divided') return undefined;
  const rs = spec.placement?.replicaScheduling;
  if (rs?.replicaDivisionPreference === 'Aggregated') return 'Aggregated';
  if (rs?.replicaDivisionPreference === 'Weighted') return rs.weightPreference?.dynamicWeight ? 'DynamicWeight' : 'StaticWeight';
  return undefined;
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

/** getStaticWeightInfoList: the largest matching weight per candidate; none at all means equal weights. */
export function staticWeightList(candidates: Cluster[], rules: StaticClusterWeight[]): ClusterWeight[] {
  const list: ClusterWeight[] = [];
  let sum = 0;
  for (const cluster of candidates) {
    let weight = 0;
    for (const rule of rules) {
      if (clusterMatches(cluster, rule.targetCluster)) weight = Math.max(weight, rule.weight);
    }
    if (weight > 0) {
      list.push({ name: cluster.metadata.name, weight });
      sum += weight;
    }
  }
  if (sum === 0) return candidates.map((c) => ({ name: c.metadata.name, weight: 1 }));
  return list;
}

/** One assignment over one set of clusters (assignReplicasToClusters). */
interface AssignInput {
  candidates: Cluster[];
  /** estimated replicas that still fit, by cluster name */
  allocatable: ReadonlyMap<string, number>;
  spec: ResourceBindingSpec;
  /** spec.replicas, or a tier's share of it */
  replicas: number;
  status: ResourceBindingStatus;
  rounds?: WebsterRound[];
}

function assignByStaticWeight(input: AssignInput): TargetCluster[] {
  const { candidates, spec } = input;
  const wp = spec.placement?.replicaScheduling?.weightPreference;
  const rules: StaticClusterWeight[] = wp
    ? wp.staticWeightList ?? []
    : candidates.map((c) => ({ targetCluster: { clusterNames: [c.metadata.name] }, weight: 1 }));
  return dispenseByWeight(input.replicas, staticWeightList(candidates, rules), [], spec.resource.uid, input.rounds);
}

interface DynamicState {
  strategy: 'Aggregated' | 'DynamicWeight';
  target: number;
  available: TargetCluster[];
  scheduled: TargetCluster[];
  uid: string | undefined;
  rounds?: WebsterRound[];
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
  // The delta is divided alone (weights are what still fits) and then added onto the previous result.
  const weights: ClusterWeight[] = available.map((c) => ({ name: c.name, weight: c.replicas ?? 0 }));
  return mergeTargetClusters(s.scheduled, dispenseByWeight(s.target, weights, [], s.uid, s.rounds));
}

function assignByDynamic(strategy: 'Aggregated' | 'DynamicWeight', input: AssignInput): TargetCluster[] {
  const { candidates, spec, status, replicas } = input;
  const candidateNames = new Set(candidates.map((c) => c.metadata.name));
  // Replicas on clusters that are no longer candidates count as not assigned: they are placed anew.
  const scheduled = (spec.clusters ?? []).filter((c) => candidateNames.has(c.name));
  const assigned = sumReplicas(scheduled);
  const estimated = (): TargetCluster[] => candidates.map((c) => ({ name: c.metadata.name, replicas: input.allocatable.get(c.metadata.name) ?? 0 }));
  const base = { strategy, uid: spec.resource.uid, rounds: input.rounds };

  if (rescheduleRequired(spec.rescheduleTriggeredAt, status.lastScheduledTime)) {
    try {
      const prev = new Map(scheduled.map((c) => [c.name, c.replicas ?? 0]));
      const available = byReplicasDesc(estimated().map((c) => ({ name: c.name, replicas: (c.replicas ?? 0) + (prev.get(c.name) ?? 0) })));
      return dynamicDivide({ ...base, target: replicas, available, scheduled: [] });
    } catch (e) {
      throw wrap('failed to do fresh scale', e);
    }
  }
  if (assigned > replicas) {
    try {
      // Shrink in proportion to the previous result, as if scheduling it for the first time.
      return dynamicDivide({ ...base, target: replicas, available: byReplicasDesc(scheduled.map((c) => ({ ...c }))), scheduled: [] });
    } catch (e) {
      throw wrap('failed to scale down', e);
    }
  }
  if (assigned < replicas) {
    try {
      return dynamicDivide({ ...base, target: replicas - assigned, available: byReplicasDesc(estimated()), scheduled });
    } catch (e) {
      throw wrap('failed to scale up', e);
    }
  }
  return scheduled.map((c) => ({ ...c }));
}

function assignToClusters(input: AssignInput): TargetCluster[] {
  const strategy = strategyTypeOf(input.spec);
  let result: TargetCluster[];
  switch (strategy) {
    case 'Duplicated':
      result = input.candidates.map((c) => ({ name: c.metadata.name, replicas: input.replicas }));
      break;
    case 'StaticWeight':
      result = assignByStaticWeight(input);
      break;
    case 'Aggregated':
    case 'DynamicWeight':
      result = assignByDynamic(strategy, input);
      break;
    default: {
      const placement = input.spec.placement;
      throw new Error(
        `unsupported replica scheduling strategy, replicaSchedulingType: ${replicaSchedulingTypeOf(placement)}, ` +
          `replicaDivisionPreference: ${placement?.replicaScheduling?.replicaDivisionPreference ?? ''}, please try another scheduling strategy`,
      );
    }
  }
  return result.filter((c) => (c.replicas ?? 0) > 0).map((c) => ({ name: c.name, replicas: c.replicas }));
}

/** The term in force and its overflowAffinities, when overflow applies (enableOverflow). */
function overflowTerm(spec: ResourceBindingSpec, status: ResourceBindingStatus): ClusterAffinityTerm | undefined {
  const placement = spec.placement;
  if (!placement || placement.clusterAffinity || !placement.clusterAffinities || !status.schedulerObservingAffinityName) return undefined;
  const term = placement.clusterAffinities.find((t) => t.affinityName === status.schedulerObservingAffinityName);
  return term?.overflowAffinities ? term : undefined;
}

/**
 * getClusterOverflowOrder: 0 for the term's own clusters, i for the i-th overflow affinity, 1000 for
 * a cluster none matches; 0 when there are no tiers.
 */
export function overflowOrderOf(cluster: Cluster, spec: ResourceBindingSpec, status: ResourceBindingStatus): number {
  const placement = spec.placement;
  if (!placement || placement.clusterAffinity || !placement.clusterAffinities?.length) return 0;
  const term = placement.clusterAffinities.find((t) => t.affinityName === status.schedulerObservingAffinityName);
  if (!term) return 1000;
  if (clusterMatches(cluster, term)) return 0;
  const i = (term.overflowAffinities ?? []).findIndex((a) => clusterMatches(cluster, a));
  return i < 0 ? 1000 : i + 1;
}

/** Replicas a tier received, for --explain. */
export interface TierExplain {
  order: number;
  /** the overflow affinity's name (the term's own name for tier 0) */
  affinityName?: string;
  clusters: string[];
  /** the tier's available replicas, counting what its clusters already run */
  available: number;
  replicas: number;
}

interface AssignOutcome {
  strategy?: StrategyType;
  mode: AssignmentMode;
  clusters: TargetCluster[];
  tiers?: TierExplain[];
}

interface AssignOptions {
  /** the overflow order of each candidate (same order); default all 0 */
  overflowOrders?: number[];
  /** collects every Webster seat handed out */
  rounds?: WebsterRound[];
}

/** AssignReplicas: the target clusters with replicas; clusters left with 0 replicas are dropped. */
export function assignReplicas(
  candidates: Cluster[],
  spec: ResourceBindingSpec,
  status: ResourceBindingStatus,
  calc: AvailableCalculator,
  options: AssignOptions = {},
): AssignOutcome {
  if (candidates.length === 0) throw new Error('no clusters available to schedule');
  const strategy = strategyTypeOf(spec);
  const mode: AssignmentMode = rescheduleRequired(spec.rescheduleTriggeredAt, status.lastScheduledTime) ? 'Fresh' : 'Steady';
  const replicas = spec.replicas ?? 0;
  const isWorkload = (replicas > 0 || spec.replicaRequirements !== undefined) && (spec.components ?? []).length <= 1;
  // Not a workload (or several components): every candidate gets the resource, without replicas.
  if (!isWorkload) return { strategy, mode, clusters: candidates.map((c) => ({ name: c.metadata.name })) };

  const allocatableList = strategy === 'Aggregated' || strategy === 'DynamicWeight' || overflowTerm(spec, status) ? calc(candidates) : [];
  const allocatable = new Map(candidates.map((c, i) => [c.metadata.name, allocatableList[i] ?? 0]));
  const base = { spec, status, rounds: options.rounds, allocatable };
  const term = overflowTerm(spec, status);
  if (!term) return { strategy, mode, clusters: assignToClusters({ ...base, candidates, replicas }) };

  const orders = options.overflowOrders ?? candidates.map((c) => overflowOrderOf(c, spec, status));
  const assignedTo = new Map((spec.clusters ?? []).map((c) => [c.name, c.replicas ?? 0]));
  const tiers = new Map<number, Cluster[]>();
  candidates.forEach((c, i) => tiers.set(orders[i], [...(tiers.get(orders[i]) ?? []), c]));
  const explain: TierExplain[] = [];
  const result: TargetCluster[] = [];
  let remaining = replicas;
  for (const order of [...tiers.keys()].sort((a, b) => a - b)) {
    const members = tiers.get(order)!;
    let available = 0;
    for (const c of members) available += (allocatable.get(c.metadata.name) ?? 0) + (assignedTo.get(c.metadata.name) ?? 0);
    const share = Math.min(remaining, available);
    const got = assignToClusters({ ...base, candidates: members, replicas: share });
    const name = order === 0 ? term.affinityName : term.overflowAffinities?.[order - 1]?.affinityName;
    explain.push({ order, ...(name ? { affinityName: name } : {}), clusters: members.map((c) => c.metadata.name), available, replicas: share });
    result.push(...got);
    remaining -= share;
    if (remaining <= 0) break;
  }
  if (remaining > 0) throw new UnschedulableError('Clusters available replicas are not enough to schedule.');
  return { strategy, mode, clusters: result, tiers: explain };
}
