// A template's propagation, step by step (the path Karmada's controllers take: detector, scheduler,
// binding controller, execution controller, work status): template created → policy matched →
// binding scheduled → a Work per cluster → applied there → healthy there; each step done, pending or
// failed, with its time, from the template's and binding's events and the objects' conditions.
import type { Condition, KubeObject } from '../../apimachinery/types.js';
import { ConditionScheduled, type ResourceBinding } from '../../apis/karmada/binding.js';
import { WorkApplied, clusterOfExecutionSpace, type Work } from '../../apis/karmada/work.js';
import { EventReasonApplyPolicyFailed, EventReasonApplyPolicySucceed } from '../../controllers/detector/match.js';
import { EventReasonAggregateStatusSucceed } from '../../interpreter/events.js';

type StepName = 'TemplateCreated' | 'PolicyMatched' | 'Scheduled' | 'WorkCreated' | 'Applied' | 'Healthy';

export interface TimelineStep {
  step: StepName;
  time: string;
  status: 'done' | 'pending' | 'failed';
  cluster?: string;
  message: string;
}

/** the parts of core/v1 Event the timeline reads */
export interface EventLike extends KubeObject {
  involvedObject?: { uid?: string; kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
}

export function eventTime(e: EventLike): string {
  return e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata.creationTimestamp || '';
}

/** the most recent event with one of the reasons */
function latest(events: readonly EventLike[], reasons: string[]): EventLike | undefined {
  let best: EventLike | undefined;
  for (const e of events) if (reasons.includes(e.reason ?? '') && (!best || eventTime(e) >= eventTime(best))) best = e;
  return best;
}

function condition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

interface TimelineInput {
  template?: KubeObject;
  binding?: ResourceBinding;
  /** events about the template or its binding */
  events: readonly EventLike[];
  /** the binding's Works */
  works: readonly Work[];
}

export function timelineOf(input: TimelineInput): TimelineStep[] {
  const { template, binding, events, works } = input;
  const steps: TimelineStep[] = [];
  steps.push({ step: 'TemplateCreated', time: template?.metadata.creationTimestamp ?? '', status: template || binding ? 'done' : 'pending', message: template ? `${template.kind} ${template.metadata.namespace ? `${template.metadata.namespace}/` : ''}${template.metadata.name}` : '' });

  const policyEvent = latest(events, [EventReasonApplyPolicySucceed, EventReasonApplyPolicyFailed]);
  if (binding && policyEvent?.reason !== EventReasonApplyPolicyFailed) {
    steps.push({ step: 'PolicyMatched', time: policyEvent ? eventTime(policyEvent) : binding.metadata.creationTimestamp ?? '', status: 'done', message: policyEvent?.message ?? `binding ${binding.metadata.name} created` });
  } else if (policyEvent?.reason === EventReasonApplyPolicyFailed) {
    steps.push({ step: 'PolicyMatched', time: eventTime(policyEvent), status: 'failed', message: policyEvent.message ?? '' });
  } else {
    steps.push({ step: 'PolicyMatched', time: '', status: 'pending', message: 'no PropagationPolicy or ClusterPropagationPolicy has claimed it' });
  }

  const scheduled = condition(binding?.status?.conditions, ConditionScheduled);
  if (!binding) steps.push({ step: 'Scheduled', time: '', status: 'pending', message: 'no binding' });
  else if (!scheduled) steps.push({ step: 'Scheduled', time: '', status: 'pending', message: 'waiting for the scheduler' });
  else steps.push({ step: 'Scheduled', time: scheduled.lastTransitionTime ?? '', status: scheduled.status === 'True' ? 'done' : 'failed', message: `${scheduled.reason ?? ''}: ${scheduled.message ?? ''}`.replace(/^: /, '') });

  const targets = (binding?.spec.clusters ?? []).map((c) => c.name).sort();
  const workOf = new Map<string, Work>();
  for (const w of works) {
    const cluster = clusterOfExecutionSpace(w.metadata.namespace);
    if (cluster) workOf.set(cluster, w);
  }
  const aggregated = new Map((binding?.status?.aggregatedStatus ?? []).map((a) => [a.clusterName, a]));
  for (const cluster of targets) {
    const w = workOf.get(cluster);
    steps.push(w ? { step: 'WorkCreated', cluster, time: w.metadata.creationTimestamp ?? '', status: 'done', message: `Work ${w.metadata.namespace}/${w.metadata.name}` } : { step: 'WorkCreated', cluster, time: '', status: 'pending', message: 'no Work yet' });
  }
  for (const cluster of targets) {
    const applied = condition(workOf.get(cluster)?.status?.conditions, WorkApplied);
    const agg = aggregated.get(cluster);
    if (applied) steps.push({ step: 'Applied', cluster, time: applied.lastTransitionTime ?? '', status: applied.status === 'True' ? 'done' : 'failed', message: applied.message ?? '' });
    else if (agg?.applied !== undefined) steps.push({ step: 'Applied', cluster, time: '', status: agg.applied ? 'done' : 'failed', message: agg.appliedMessage ?? '' });
    else steps.push({ step: 'Applied', cluster, time: '', status: 'pending', message: 'not applied yet' });
  }
  // members' health arrives with the binding's aggregated status: the latest aggregation dates it
  const aggregatedEvent = latest(events, [EventReasonAggregateStatusSucceed]);
  for (const cluster of targets) {
    const agg = aggregated.get(cluster);
    const status = agg?.health === 'Healthy' ? 'done' : agg?.health === 'Unhealthy' ? 'failed' : 'pending';
    const statusTime = aggregatedEvent ? eventTime(aggregatedEvent) : '';
    steps.push({ step: 'Healthy', cluster, time: status === 'pending' ? '' : statusTime, status, message: agg?.health ? `the member reports ${agg.health}` : 'no status from the member yet' });
  }
  return steps;
}
