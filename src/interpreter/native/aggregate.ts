// AggregateStatus for the native kinds (Karmada default/native/aggregatestatus.go): the template's
// .status is rebuilt from the statuses the member clusters reported. Each function returns the
// template itself when the status would not change, and a new object otherwise.
import type { KubeObject } from '../../apimachinery/types.js';
import type { AggregatedStatusItem } from '../../apis/karmada/binding.js';
import { arrAt, clone, intAt, isObject, jsonEqual, objAt, objectsAt, setCount, strAt, timeValue, valueAt, type JsonObject } from './object.js';

export interface AggregateOptions {
  /** The time written into Job conditions (metav1.Now()); RFC 3339, seconds precision. */
  now?: () => string;
}

type AggregateStatusInterpreter = (obj: KubeObject, items: AggregatedStatusItem[], opts: AggregateOptions) => KubeObject;

function statusOf(obj: KubeObject): JsonObject {
  return objAt(obj, 'status');
}

function withStatus(obj: KubeObject, status: JsonObject): KubeObject {
  const out = clone(obj);
  out.status = status;
  return out;
}

function reported(items: AggregatedStatusItem[]): { clusterName: string; status: JsonObject }[] {
  return items.filter((i) => isObject(i.status)).map((i) => ({ clusterName: i.clusterName, status: i.status as JsonObject }));
}

interface CounterSpec {
  /** status fields summed across members */
  fields: string[];
  /** fields Go always serialises (no omitempty) */
  required?: string[];
}

/**
 * The replica-counting workloads. observedGeneration only moves to the template's generation
 * once every member has both seen the manifest of that generation (resourceTemplateGeneration)
 * and finished reconciling it (its own observedGeneration >= generation), so GitOps tools that
 * read observedGeneration do not see a rollout as done too early.
 */
function counters(counter: CounterSpec): AggregateStatusInterpreter {
  return (obj, items) => {
    const generation = intAt(obj, 'metadata', 'generation');
    const old = statusOf(obj);
    const sums: Record<string, number> = Object.fromEntries(counter.fields.map((f) => [f, 0]));
    let observedLatest = 0;
    for (const { status } of reported(items)) {
      for (const f of counter.fields) sums[f] += intAt(status, f);
      const memberGeneration = intAt(status, 'generation');
      if (intAt(status, 'observedGeneration') >= memberGeneration && intAt(status, 'resourceTemplateGeneration') >= generation) {
        observedLatest++;
      }
    }
    const observedGeneration = observedLatest === items.length ? generation : intAt(old, 'observedGeneration');
    const unchanged = intAt(old, 'observedGeneration') === observedGeneration && counter.fields.every((f) => intAt(old, f) === sums[f]);
    if (unchanged) return obj;
    const status = clone(old);
    setCount(status, 'observedGeneration', observedGeneration);
    for (const f of counter.fields) setCount(status, f, sums[f], counter.required?.includes(f));
    return withStatus(obj, status);
  };
}

const aggregateDeployment = counters({ fields: ['replicas', 'readyReplicas', 'updatedReplicas', 'availableReplicas', 'unavailableReplicas'] });
const aggregateStatefulSet = counters({
  fields: ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'],
  required: ['replicas', 'availableReplicas'],
});
const aggregateReplicaSet = counters({ fields: ['replicas', 'readyReplicas', 'availableReplicas'], required: ['replicas'] });
const aggregateDaemonSet = counters({
  fields: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'],
  required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
});

function optionalString(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// helper.sortServicePortStatus: port, protocol, then error (a port without an error first).
function comparePorts(a: JsonObject, b: JsonObject): number {
  const pa = Number(a.port ?? 0);
  const pb = Number(b.port ?? 0);
  if (pa !== pb) return pa - pb;
  const c = compareStrings(strAt(a, 'protocol'), strAt(b, 'protocol'));
  if (c !== 0) return c;
  const ea = optionalString(a, 'error');
  const eb = optionalString(b, 'error');
  if (ea === undefined) return eb === undefined ? 0 : -1;
  if (eb === undefined) return 1;
  return compareStrings(ea, eb);
}

// helper.sortServiceLoadBalancerIngress: hostnames first (ascending), then IP, then ipMode (unset last).
function compareIngress(a: JsonObject, b: JsonObject): number {
  const ha = strAt(a, 'hostname');
  const hb = strAt(b, 'hostname');
  if (ha !== hb) return ha === '' ? 1 : hb === '' ? -1 : compareStrings(ha, hb);
  const c = compareStrings(strAt(a, 'ip'), strAt(b, 'ip'));
  if (c !== 0) return c;
  const ma = optionalString(a, 'ipMode');
  const mb = optionalString(b, 'ipMode');
  if (ma === undefined) return mb === undefined ? 0 : 1;
  if (mb === undefined) return -1;
  return compareStrings(ma, mb);
}

/**
 * helper.DedupeAndSort(Service|Ingress)LoadBalancerIngress: the members' entries as they are, one per
 * hostname/IP(/ipMode) with their ports merged and de-duplicated, sorted.
 */
function dedupeAndSortLBIngress(entries: JsonObject[], withIPMode: boolean): JsonObject[] {
  const byKey = new Map<string, { entry: JsonObject; ports: Map<string, JsonObject> }>();
  for (const e of entries) {
    const key = JSON.stringify([strAt(e, 'hostname'), strAt(e, 'ip'), withIPMode ? optionalString(e, 'ipMode') ?? null : null]);
    let slot = byKey.get(key);
    if (!slot) {
      const entry = clone(e);
      delete entry.ports;
      slot = { entry, ports: new Map() };
      byKey.set(key, slot);
    } else {
      // the last entry of a key wins for its other fields, as in Karmada's map
      const entry = clone(e);
      delete entry.ports;
      slot.entry = entry;
    }
    for (const p of objectsAt(e, 'ports')) {
      const port = { port: p.port, protocol: p.protocol, ...(p.error !== undefined ? { error: p.error } : {}) } as JsonObject;
      slot.ports.set(JSON.stringify([port.port, port.protocol, port.error ?? null]), port);
    }
  }
  const out: JsonObject[] = [];
  for (const { entry, ports } of byKey.values()) {
    if (ports.size > 0) entry.ports = [...ports.values()].sort(comparePorts);
    out.push(entry);
  }
  return out.sort(compareIngress);
}

function loadBalancerStatus(items: AggregatedStatusItem[], withIPMode: boolean): JsonObject {
  const all: JsonObject[] = [];
  for (const { status } of reported(items)) all.push(...objectsAt(status, 'loadBalancer', 'ingress'));
  const ingress = dedupeAndSortLBIngress(all, withIPMode);
  return { loadBalancer: ingress.length > 0 ? { ingress } : {} };
}

function aggregateService(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
  if (strAt(obj, 'spec', 'type') !== 'LoadBalancer') return obj;
  const status = loadBalancerStatus(items, true);
  return jsonEqual(normalizedLB(statusOf(obj)), status) ? obj : withStatus(obj, status);
}

function aggregateIngress(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
  const status = loadBalancerStatus(items, false);
  return jsonEqual(normalizedLB(statusOf(obj)), status) ? obj : withStatus(obj, status);
}

/** A status as Go's typed struct sees it: an absent loadBalancer is the empty struct. */
function normalizedLB(status: JsonObject): JsonObject {
  const out = clone(status);
  const lb = objAt(status, 'loadBalancer');
  out.loadBalancer = arrAt(lb, 'ingress').length > 0 ? lb : { ...lb, ingress: undefined };
  return out;
}

function jobFinished(status: JsonObject): 'Complete' | 'Failed' | undefined {
  for (const c of objectsAt(status, 'conditions')) {
    const type = strAt(c, 'type');
    if ((type === 'Complete' || type === 'Failed') && strAt(c, 'status') === 'True') return type;
  }
  return undefined;
}

function defaultNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** helper.ParsingJobStatus: counts add up; Complete needs every member complete, Failed any member failed. */
function aggregateJob(obj: KubeObject, items: AggregatedStatusItem[], opts: AggregateOptions): KubeObject {
  // a finished job's status is final
  if (jobFinished(statusOf(obj))) return obj;
  const now = (opts.now ?? defaultNow)();
  let active = 0;
  let succeeded = 0;
  let failed = 0;
  let successful = 0;
  let completions = 0;
  const failedClusters: string[] = [];
  let startTime: string | undefined;
  let completionTime: string | undefined;
  for (const { clusterName, status } of reported(items)) {
    active += intAt(status, 'active');
    succeeded += intAt(status, 'succeeded');
    failed += intAt(status, 'failed');
    const finished = jobFinished(status);
    if (finished === 'Complete') successful++;
    else if (finished === 'Failed') failedClusters.push(clusterName);
    const start = valueAt(status, 'startTime');
    if (typeof start === 'string' && start && (startTime === undefined || (timeValue(start) ?? 0) < (timeValue(startTime) ?? 0))) startTime = start;
    const completion = valueAt(status, 'completionTime');
    if (typeof completion === 'string' && completion) {
      completions++;
      if (completionTime === undefined || (timeValue(completionTime) ?? 0) < (timeValue(completion) ?? 0)) completionTime = completion;
    }
  }
  const status: JsonObject = {};
  setCount(status, 'active', active);
  setCount(status, 'succeeded', succeeded);
  setCount(status, 'failed', failed);
  const conditions: JsonObject[] = [];
  if (failedClusters.length > 0) {
    conditions.push({
      type: 'Failed',
      status: 'True',
      lastProbeTime: now,
      lastTransitionTime: now,
      reason: 'JobFailed',
      message: `Job executed failed in member clusters ${failedClusters.join(',')}`,
    });
  }
  // no statuses yet (a binding just created) must not read as complete
  if (successful === items.length && successful > 0) {
    conditions.push({ type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'Completed', message: 'Job completed' });
  }
  if (conditions.length > 0) status.conditions = conditions;
  if (startTime !== undefined) status.startTime = startTime;
  if (completionTime !== undefined && completions === items.length) status.completionTime = completionTime;
  return jsonEqual(statusOf(obj), status) ? obj : withStatus(obj, status);
}

function aggregateCronJob(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
  const active: unknown[] = [];
  let lastScheduleTime: string | undefined;
  let lastSuccessfulTime: string | undefined;
  const later = (cur: string | undefined, v: unknown): string | undefined => {
    if (typeof v !== 'string' || v === '') return cur;
    return cur === undefined || (timeValue(cur) ?? 0) < (timeValue(v) ?? 0) ? v : cur;
  };
  for (const { status } of reported(items)) {
    active.push(...clone(arrAt(status, 'active')));
    lastScheduleTime = later(lastScheduleTime, status.lastScheduleTime);
    lastSuccessfulTime = later(lastSuccessfulTime, status.lastSuccessfulTime);
  }
  const next: JsonObject = {};
  if (active.length > 0) next.active = active;
  if (lastScheduleTime !== undefined) next.lastScheduleTime = lastScheduleTime;
  if (lastSuccessfulTime !== undefined) next.lastSuccessfulTime = lastSuccessfulTime;
  if (jsonEqual(statusOf(obj), next)) return obj;
  const status = clone(statusOf(obj));
  for (const key of ['active', 'lastScheduleTime', 'lastSuccessfulTime']) {
    if (key in next) status[key] = next[key];
    else delete status[key];
  }
  return withStatus(obj, status);
}

/** Worst phase wins: Failed, then Pending (also for members that reported nothing yet), Running, Succeeded. */
function aggregatePod(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
  if (items.length === 0) return obj;
  const phases = new Set<string>();
  const containerStatuses: JsonObject[] = [];
  const initContainerStatuses: JsonObject[] = [];
  for (const item of items) {
    if (!isObject(item.status)) {
      phases.add('Pending');
      continue;
    }
    phases.add(strAt(item.status, 'phase'));
    for (const cs of objectsAt(item.status, 'containerStatuses')) containerStatuses.push(readyAndState(cs));
    for (const cs of objectsAt(item.status, 'initContainerStatuses')) initContainerStatuses.push(readyAndState(cs));
  }
  const status: JsonObject = {};
  const phase = ['Failed', 'Pending', 'Running', 'Succeeded'].find((p) => phases.has(p));
  if (phase) status.phase = phase;
  if (containerStatuses.length > 0) status.containerStatuses = containerStatuses;
  if (initContainerStatuses.length > 0) status.initContainerStatuses = initContainerStatuses;
  return jsonEqual(statusOf(obj), status) ? obj : withStatus(obj, status);
}

function readyAndState(cs: JsonObject): JsonObject {
  const out: JsonObject = { ready: cs.ready === true };
  if (isObject(cs.state)) out.state = clone(cs.state);
  return out;
}

function aggregatePersistentVolume(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
  const phases = new Set<string>();
  for (const item of items) phases.add(isObject(item.status) ? strAt(item.status, 'phase') : 'Pending');
  const phase = ['Failed', 'Pending', 'Available', 'Bound', 'Released'].find((p) => phases.has(p));
  const status: JsonObject = phase ? { phase } : {};
  return jsonEqual(statusOf(obj), status) ? obj : withStatus(obj, status);
}

/** Bound only when every member is bound; Lost anywhere wins; otherwise the last other phase seen. */
function aggregatePersistentVolumeClaim(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
  let phase = 'Bound';
  for (const { status } of reported(items)) {
    const p = strAt(status, 'phase');
    if (p === 'Lost') {
      phase = 'Lost';
      break;
    }
    if (p !== 'Bound') phase = p;
  }
  const status: JsonObject = phase ? { phase } : {};
  return jsonEqual(statusOf(obj), status) ? obj : withStatus(obj, status);
}

function aggregatePodDisruptionBudget(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
  const status: JsonObject = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  const disruptedPods: JsonObject = {};
  for (const { clusterName, status: s } of reported(items)) {
    for (const f of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) status[f] = (status[f] as number) + intAt(s, f);
    for (const [pod, time] of Object.entries(objAt(s, 'disruptedPods'))) disruptedPods[`${clusterName}/${pod}`] = time;
  }
  if (Object.keys(disruptedPods).length > 0) status.disruptedPods = disruptedPods;
  return jsonEqual(statusOf(obj), status) ? obj : withStatus(obj, status);
}

function aggregateHorizontalPodAutoscaler(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
  let currentReplicas = 0;
  let desiredReplicas = 0;
  for (const { status } of reported(items)) {
    currentReplicas += intAt(status, 'currentReplicas');
    desiredReplicas += intAt(status, 'desiredReplicas');
  }
  const old = statusOf(obj);
  if (intAt(old, 'currentReplicas') === currentReplicas && intAt(old, 'desiredReplicas') === desiredReplicas) return obj;
  const status = clone(old);
  setCount(status, 'currentReplicas', currentReplicas);
  status.desiredReplicas = desiredReplicas;
  return withStatus(obj, status);
}

/** Keyed by gvkKey. */
export const aggregateStatusInterpreters: Record<string, AggregateStatusInterpreter> = {
  'apps/v1, Kind=Deployment': aggregateDeployment,
  'apps/v1, Kind=StatefulSet': aggregateStatefulSet,
  'apps/v1, Kind=ReplicaSet': aggregateReplicaSet,
  'apps/v1, Kind=DaemonSet': aggregateDaemonSet,
  'v1, Kind=Service': aggregateService,
  'networking.k8s.io/v1, Kind=Ingress': aggregateIngress,
  'batch/v1, Kind=Job': aggregateJob,
  'batch/v1, Kind=CronJob': aggregateCronJob,
  'v1, Kind=Pod': aggregatePod,
  'v1, Kind=PersistentVolume': aggregatePersistentVolume,
  'v1, Kind=PersistentVolumeClaim': aggregatePersistentVolumeClaim,
  'policy/v1, Kind=PodDisruptionBudget': aggregatePodDisruptionBudget,
  'autoscaling/v2, Kind=HorizontalPodAutoscaler': aggregateHorizontalPodAutoscaler,
};
