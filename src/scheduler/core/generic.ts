// One scheduling attempt for one affinity term (Karmada's genericScheduler.Schedule):
// filter, score, select under spread constraints, assign replicas. Every step leaves its verdicts
// in the attempt record so --explain can show them.
import type { Cluster } from '../../apis/karmada/cluster.js';
import type { ResourceBindingSpec, ResourceBindingStatus, TargetCluster } from '../../apis/karmada/binding.js';
import type { ClusterAffinity, ClusterAffinityTerm } from '../../apis/karmada/placement.js';
import { FitError, wrap } from '../framework/errors.js';
import { runFilters, runScores, type FilterVerdict } from '../framework/runtime.js';
import type { CycleState, FilterPlugin, ScorePlugin, WorkloadPeers } from '../framework/types.js';
import { availableReplicas, isMultiTemplateScheduling, type ReplicaEstimator } from '../estimator/index.js';
import { assignReplicas, overflowOrderOf, type AssignmentMode, type StrategyType, type TierExplain } from './assignment.js';
import { buildDetails, selectBestClusters, shouldIgnoreSpreadConstraint } from './spread.js';
import type { WebsterRound } from './webster.js';

interface ClusterExplain {
  name: string;
  /** why the cluster was not even filtered */
  skipped?: string;
  filters: FilterVerdict[];
  feasible: boolean;
  score?: number;
  scores?: Record<string, number>;
  /** estimated replicas that still fit (before adding what it already runs) */
  availableReplicas?: number;
  /** with overflowAffinities: 0 for the term's own clusters, i for the i-th overflow tier */
  overflowOrder?: number;
  selected?: boolean;
  replicas?: number;
}

export interface AttemptExplain {
  affinityName?: string;
  strategy?: StrategyType;
  mode?: AssignmentMode;
  clusters: ClusterExplain[];
  /** why the placement's spreadConstraints played no part (static weighted division, as in Karmada) */
  spreadConstraintsIgnored?: string;
  /** with overflowAffinities: what each tier could hold and received */
  tiers?: TierExplain[];
  /** the seats the Webster method handed out, in order (with --explain; the first MaxExplainedRounds) */
  rounds?: WebsterRound[];
  /** seats handed out beyond those listed */
  roundsOmitted?: number;
  error?: string;
}

interface AttemptInput {
  spec: ResourceBindingSpec;
  status: ResourceBindingStatus;
  clusters: Cluster[];
  affinity?: ClusterAffinity;
  /** the clusterAffinities term being tried, whose overflowAffinities widen it for workloads */
  term?: ClusterAffinityTerm;
  filters: FilterPlugin[];
  scores: ScorePlugin[];
  estimators: ReplicaEstimator[];
  explain: boolean;
  enableEmptyWorkloadPropagation: boolean;
  peers?: WorkloadPeers;
  /** how long each step took (karmada_scheduler_scheduling_algorithm_duration_seconds) */
  onStep?: StepObserver;
}

/** Karmada's schedule steps (pkg/scheduler/metrics ScheduleStep*) */
type ScheduleStep = 'Filter' | 'Score' | 'Select' | 'AssignReplicas';
export type StepObserver = (step: ScheduleStep, seconds: number) => void;

/** runs fn, telling onStep how long it took, also when it throws (as Karmada's deferred ScheduleStep) */
function step<T>(onStep: StepObserver | undefined, name: ScheduleStep, fn: () => T): T {
  if (!onStep) return fn();
  const started = performance.now();
  try {
    return fn();
  } finally {
    onStep(name, (performance.now() - started) / 1000);
  }
}

const SpreadIgnoredMessage =
  'static weighted division (replicaDivisionPreference Weighted without weightPreference.dynamicWeight) ignores spreadConstraints, as in Karmada; use dynamicWeight or Aggregated to have them limit the clusters';

/** --explain lists this many Webster rounds at most (a 10,000-replica split would drown the rest) */
const MaxExplainedRounds = 200;

/** ResourceBindingSpec.IsWorkload */
export function isWorkload(spec: ResourceBindingSpec): boolean {
  return (spec.replicas ?? 0) > 0 || spec.replicaRequirements !== undefined || (spec.components ?? []).length >= 1;
}

export function scheduleAttempt(input: AttemptInput, record: AttemptExplain): TargetCluster[] {
  const { spec, status } = input;
  const state: CycleState = {
    spec,
    status,
    affinity: input.affinity,
    ...(input.term?.overflowAffinities && isWorkload(spec) ? { overflow: input.term.overflowAffinities } : {}),
    scheduled: new Set((spec.clusters ?? []).map((c) => c.name)),
    evicting: new Set((spec.gracefulEvictionTasks ?? []).map((t) => t.fromCluster)),
    ...(input.peers ? { peers: input.peers } : {}),
  };
  const filtered = step(input.onStep, 'Filter', () => runFilters(input.filters, state, input.clusters, { allVerdicts: input.explain }));
  const byName = new Map<string, ClusterExplain>();
  for (const o of filtered.outcomes) {
    const e: ClusterExplain = { name: o.cluster, filters: o.verdicts, feasible: o.feasible };
    if (o.skipped) e.skipped = o.skipped;
    record.clusters.push(e);
    byName.set(o.cluster, e);
  }
  if (filtered.feasible.length === 0) throw new FitError(input.clusters.length, filtered.diagnosis);

  const scored = step(input.onStep, 'Score', () => runScores(input.scores, state, filtered.feasible, { allVerdicts: input.explain }));
  // Estimate once per attempt; selection and assignment both read it.
  const estimates = new Map<string, number>();
  const calc = (clusters: Cluster[]): number[] => {
    const missing = clusters.filter((c) => !estimates.has(c.metadata.name));
    if (missing.length > 0) {
      const values = availableReplicas(missing, spec, input.estimators);
      missing.forEach((c, i) => estimates.set(c.metadata.name, values[i]));
    }
    return clusters.map((c) => estimates.get(c.metadata.name)!);
  };
  const available = calc(filtered.feasible);
  const tiered = !!input.term && !spec.placement?.clusterAffinity;
  const orders = scored.map((s) => (tiered ? overflowOrderOf(s.cluster, spec, status) : 0));
  scored.forEach((s, i) => {
    const e = byName.get(s.cluster.metadata.name)!;
    e.score = s.score;
    if (s.byPlugin) e.scores = s.byPlugin;
    e.availableReplicas = available[i];
    if (input.term?.overflowAffinities) e.overflowOrder = orders[i];
  });

  let selected: Cluster[];
  try {
    // a component workload is scheduled as a whole: one set must fit
    const need = isMultiTemplateScheduling(spec) ? 1 : spec.replicas ?? 0;
    selected = step(input.onStep, 'Select', () => selectBestClusters(spec.placement, buildDetails(scored, available, spec, orders), need));
  } catch (e) {
    throw wrap('failed to select clusters', e);
  }
  for (const c of selected) byName.get(c.metadata.name)!.selected = true;
  if ((spec.placement?.spreadConstraints ?? []).length > 0 && shouldIgnoreSpreadConstraint(spec.placement)) record.spreadConstraintsIgnored = SpreadIgnoredMessage;

  let result: TargetCluster[];
  try {
    const rounds: WebsterRound[] | undefined = input.explain ? [] : undefined;
    const overflowOrders = selected.map((c) => byName.get(c.metadata.name)!.overflowOrder ?? 0);
    const outcome = step(input.onStep, 'AssignReplicas', () => assignReplicas(selected, spec, status, calc, { rounds, ...(input.term?.overflowAffinities ? { overflowOrders } : {}) }));
    if (outcome.strategy) record.strategy = outcome.strategy;
    record.mode = outcome.mode;
    if (outcome.tiers) record.tiers = outcome.tiers;
    if (rounds && rounds.length > 0) {
      record.rounds = rounds.slice(0, MaxExplainedRounds);
      if (rounds.length > MaxExplainedRounds) record.roundsOmitted = rounds.length - MaxExplainedRounds;
    }
    result = outcome.clusters;
  } catch (e) {
    throw wrap('failed to assign replicas', e);
  }
  if (input.enableEmptyWorkloadPropagation) {
    const have = new Set(result.map((c) => c.name));
    for (const c of selected) if (!have.has(c.metadata.name)) result.push({ name: c.metadata.name, replicas: 0 });
  }
  for (const tc of result) {
    const e = byName.get(tc.name);
    if (e) e.replicas = tc.replicas ?? 0;
  }
  return result;
}
