// The scheduler's entry point: schedule one (Cluster)ResourceBinding against a set of clusters and
// say what to write back: spec.clusters, the Scheduled condition, the affinity group in force.
// Pure: the caller reads the clusters and writes the binding (the scheduler component or the CLI).
import { deepCopyJson } from '../apimachinery/clone.js';
import type { Condition } from '../apimachinery/types.js';
import type { Cluster } from '../apis/karmada/cluster.js';
import {
  BindingReasonNoClusterFit,
  BindingReasonQuotaExceeded,
  BindingReasonSchedulerError,
  BindingReasonSuccess,
  BindingReasonUnschedulable,
  ConditionScheduled,
  PolicyPlacementAnnotation,
  type ResourceBinding,
  type ResourceBindingStatus,
  type TargetCluster,
} from '../apis/karmada/binding.js';
import type { ClusterAffinity, ClusterAffinityTerm } from '../apis/karmada/placement.js';
import { rescheduleRequired } from './core/assignment.js';
import { scheduleAttempt, type AttemptExplain, type StepObserver } from './core/generic.js';
import { generalEstimator, type ReplicaEstimator } from './estimator/index.js';
import { FitError, UnschedulableError, findCause } from './framework/errors.js';
import { isFilterPlugin, isScorePlugin, type Plugin, type WorkloadPeers } from './framework/types.js';
import { enabledPlugins } from './plugins/registry.js';

export const successfulSchedulingMessage = 'Binding has been scheduled successfully.';

interface ScheduleOptions {
  /** estimators whose minimum bounds each cluster; default: the general estimator */
  estimators?: ReplicaEstimator[];
  /** plugins as `--plugins` takes them (default `*`), or plugin objects */
  plugins?: string[] | Plugin[];
  /** run every filter on every cluster and keep per-plugin scores (slower; for --explain) */
  explain?: boolean;
  /** keep selected clusters that got 0 replicas in the result */
  enableEmptyWorkloadPropagation?: boolean;
  /** the clock for lastTransitionTime */
  now?: () => Date;
  /** the other bindings of workload (anti-)affinity groups */
  peers?: WorkloadPeers;
  /** how long each step took, for karmada_scheduler_scheduling_algorithm_duration_seconds */
  onStep?: StepObserver;
}

export interface Explain {
  attempts: AttemptExplain[];
}

export interface ScheduleResult {
  /** true when scheduling succeeded */
  ok: boolean;
  /** what spec.clusters should become (kept as it was when the failure leaves it alone) */
  clusters: TargetCluster[];
  condition: Condition;
  /** status.schedulerObservingAffinityName to write, with clusterAffinities */
  affinityName?: string;
  /** the error the attempt ended with */
  error?: Error;
  explain: Explain;
}

/** The Scheduled condition for an attempt's outcome (Karmada's getConditionByError). */
function conditionForError(err: Error | undefined): { reason: string; message: string; status: 'True' | 'False' } {
  if (!err) return { status: 'True', reason: BindingReasonSuccess, message: successfulSchedulingMessage };
  if (findCause(err, UnschedulableError)) return { status: 'False', reason: BindingReasonUnschedulable, message: err.message };
  if (findCause(err, FitError)) return { status: 'False', reason: BindingReasonNoClusterFit, message: err.message };
  return { status: 'False', reason: BindingReasonSchedulerError, message: err.message };
}

function resolvePlugins(p: ScheduleOptions['plugins']): Plugin[] {
  if (!p) return enabledPlugins();
  if (p.length > 0 && typeof p[0] === 'string') return enabledPlugins(p as string[]);
  return p as Plugin[];
}

function affinityIndex(terms: { affinityName: string }[], observed: string | undefined): number {
  if (!observed) return 0;
  const i = terms.findIndex((t) => t.affinityName === observed);
  return i < 0 ? 0 : i;
}

export function scheduleBinding(binding: ResourceBinding, clusters: Cluster[], options: ScheduleOptions = {}): ScheduleResult {
  const spec = binding.spec;
  const status: ResourceBindingStatus = binding.status ?? {};
  const plugins = resolvePlugins(options.plugins);
  const common = {
    spec,
    clusters,
    filters: plugins.filter(isFilterPlugin),
    scores: plugins.filter(isScorePlugin),
    estimators: options.estimators ?? [generalEstimator],
    explain: options.explain ?? false,
    enableEmptyWorkloadPropagation: options.enableEmptyWorkloadPropagation ?? false,
    ...(options.peers ? { peers: options.peers } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
  };
  const explain: Explain = { attempts: [] };
  const previous = spec.clusters ?? [];
  const terms = spec.placement?.clusterAffinities;

  const attempt = (affinity: ClusterAffinity | undefined, attemptStatus: ResourceBindingStatus, term?: ClusterAffinityTerm) => {
    const record: AttemptExplain = term === undefined ? { clusters: [] } : { affinityName: term.affinityName, clusters: [] };
    explain.attempts.push(record);
    try {
      return { result: scheduleAttempt({ ...common, status: attemptStatus, affinity, ...(term ? { term } : {}) }, record) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      record.error = err.message;
      return { error: err };
    }
  };

  let outcome: { result?: TargetCluster[]; error?: Error };
  let affinityName: string | undefined;
  if (terms && terms.length > 0) {
    // Ordered groups: start from the group in force (the first after a requested reschedule) and
    // fall back to the next one when it cannot fit.
    let firstError: Error | undefined;
    outcome = {};
    const start = rescheduleRequired(spec.rescheduleTriggeredAt, status.lastScheduledTime) ? 0 : affinityIndex(terms, status.schedulerObservingAffinityName);
    for (let i = start; i < terms.length; i++) {
      const term = terms[i];
      const o = attempt(term, { ...status, schedulerObservingAffinityName: term.affinityName }, term);
      if (o.result) {
        outcome = o;
        affinityName = term.affinityName;
        break;
      }
      firstError ??= o.error;
    }
    if (!outcome.result) {
      outcome = { error: firstError ?? new Error('no cluster affinity term to schedule with') };
      affinityName = status.schedulerObservingAffinityName;
    }
  } else {
    outcome = attempt(spec.placement?.clusterAffinity, status);
  }

  const c = conditionForError(outcome.error);
  const condition = scheduledCondition(binding, c, options.now ?? (() => new Date()));
  // A fit error clears the old result (the clusters no longer fit); other errors leave it in place.
  const newClusters = outcome.result ?? (outcome.error && findCause(outcome.error, FitError) ? [] : previous);
  const result: ScheduleResult = { ok: !outcome.error, clusters: newClusters, condition, explain };
  if (affinityName !== undefined) result.affinityName = affinityName;
  if (outcome.error) result.error = outcome.error;
  return result;
}

/**
 * The result after the API server refused to store it because a FederatedResourceQuota would be
 * exceeded (getConditionByError's QuotaExceeded case): spec.clusters stays as it was, and the
 * Scheduled condition says QuotaExceeded with the refusal's message.
 */
export function quotaRefusedResult(binding: ResourceBinding, result: ScheduleResult, refusal: Error, now: () => Date = () => new Date()): ScheduleResult {
  const condition = scheduledCondition(binding, { status: 'False', reason: BindingReasonQuotaExceeded, message: refusal.message }, now);
  return { ...result, ok: false, clusters: binding.spec.clusters ?? [], condition, error: refusal };
}

function scheduledCondition(
  binding: ResourceBinding,
  c: { reason: string; message: string; status: 'True' | 'False' },
  now: () => Date,
): Condition {
  const prev = binding.status?.conditions?.find((x) => x.type === ConditionScheduled);
  const lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now());
  return { type: ConditionScheduled, status: c.status, reason: c.reason, message: c.message, lastTransitionTime };
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The binding as the scheduler leaves it: spec.clusters, the applied-placement annotation, the
 * Scheduled condition, and on success schedulerObservedGeneration and lastScheduledTime.
 */
export function applyScheduleResult(binding: ResourceBinding, result: ScheduleResult, now: Date = new Date()): ResourceBinding {
  const out: ResourceBinding = deepCopyJson(binding);
  out.spec.clusters = result.clusters;
  if (out.spec.clusters.length === 0) delete out.spec.clusters;
  if (result.ok || result.error instanceof FitError || findCause(result.error, FitError)) {
    out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [PolicyPlacementAnnotation]: JSON.stringify(binding.spec.placement ?? {}) };
  }
  const status: ResourceBindingStatus = { ...(out.status ?? {}) };
  const conditions = (status.conditions ?? []).filter((x) => x.type !== ConditionScheduled);
  conditions.push(result.condition);
  status.conditions = conditions;
  if (result.affinityName !== undefined) status.schedulerObservingAffinityName = result.affinityName;
  if (result.ok) {
    if (out.metadata.generation !== undefined) status.schedulerObservedGeneration = out.metadata.generation;
    status.lastScheduledTime = rfc3339(now);
  }
  out.status = status;
  return out;
}
