// InterpretStatus (ReflectStatus) for the native kinds (Karmada default/native/reflectstatus.go):
// the part of a member object's status collected into its Work's manifestStatuses. Kinds without
// a rule have their whole .status collected.
import type { KubeObject } from '../../apimachinery/types.js';
import type { ReflectedStatus } from '../types.js';
import { clone, intAt, isObject, objAt, setCount, strAt, valueAt, type JsonObject } from './object.js';
import { ResourceTemplateGenerationAnnotation } from '../../apis/karmada/wellknown.js';

type ReflectStatusInterpreter = (obj: KubeObject) => ReflectedStatus | undefined;

/** unstructured.NestedMap: absent is none; present but not an object is an error. */
function statusIfAny(obj: KubeObject): JsonObject | undefined {
  const status: unknown = obj.status;
  if (status === undefined || status === null) return undefined;
  if (!isObject(status)) throw new Error(`.status accessor error: ${JSON.stringify(status)} is of the type ${Array.isArray(status) ? 'array' : typeof status}, expected map[string]interface{}`);
  return status;
}

/**
 * runtime.Convert_string_To_int64 of the template generation annotation the binding controller
 * puts on every manifest: malformed is an error, as Karmada's. Absent reads as 0 (Karmada: an
 * error), so a Work written by hand or an object adopted without it still reports its status.
 */
function resourceTemplateGeneration(obj: KubeObject): number {
  const raw = obj.metadata?.annotations?.[ResourceTemplateGenerationAnnotation];
  if (raw === undefined) return 0;
  if (!/^[+-]?\d+$/.test(raw)) throw new Error(`failed to parse ${obj.kind}(${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}) generation from annotation(${ResourceTemplateGenerationAnnotation}:${raw}): strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  return Number(raw);
}

/**
 * Picks counters and wraps them with the member's generation and the template generation the
 * manifest came from (FederatedGeneration), which aggregation needs for observedGeneration.
 */
function federated(fields: string[], required: string[] = [], emptyIsNone = false): ReflectStatusInterpreter {
  return (obj) => {
    const status = statusIfAny(obj);
    if (!status) return undefined;
    const out: JsonObject = {};
    setCount(out, 'generation', intAt(obj, 'metadata', 'generation'));
    setCount(out, 'resourceTemplateGeneration', resourceTemplateGeneration(obj));
    for (const f of fields) setCount(out, f, intAt(status, f), required.includes(f));
    // an all-zero deployment status means it has not been collected from the member yet
    if (emptyIsNone && Object.keys(out).length === 0) return undefined;
    return out;
  };
}

const reflectDeployment = federated(['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'observedGeneration'], [], true);
// Karmada v1.19 leaves observedGeneration out of a StatefulSet's reflected status, so its
// aggregation can never move the template's observedGeneration; we keep it, so it does.
const reflectStatefulSet = federated(
  ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration'],
  ['replicas', 'availableReplicas'],
);
const reflectReplicaSet = federated(['replicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'], ['replicas']);
const reflectDaemonSet = federated(
  ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'observedGeneration'],
  ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
);

/** Only a LoadBalancer service has status worth collecting: its ingress points. */
function reflectService(obj: KubeObject): ReflectedStatus | undefined {
  if (strAt(obj, 'spec', 'type') !== 'LoadBalancer') return undefined;
  const status = statusIfAny(obj);
  if (!status) return undefined;
  return { loadBalancer: clone(objAt(status, 'loadBalancer')) };
}

function pick(fields: string[], counters: string[] = [], required: string[] = []): ReflectStatusInterpreter {
  return (obj) => {
    const status = statusIfAny(obj);
    if (!status) return undefined;
    const out: JsonObject = {};
    for (const f of counters) setCount(out, f, intAt(status, f), required.includes(f));
    for (const f of fields) {
      const v = valueAt(status, f);
      if (v !== undefined && v !== null) out[f] = clone(v);
    }
    return out;
  };
}

const reflectJob = pick(['conditions', 'startTime', 'completionTime'], ['active', 'succeeded', 'failed']);
const reflectPodDisruptionBudget = pick(
  ['disruptedPods'],
  ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'],
  ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'],
);
const reflectHorizontalPodAutoscaler = pick([], ['currentReplicas', 'desiredReplicas'], ['desiredReplicas']);

/** The whole .status, for kinds without their own rule (and Ingress). */
export function reflectWholeStatus(obj: KubeObject): ReflectedStatus | undefined {
  const status = statusIfAny(obj);
  return status ? clone(status) : undefined;
}

/** Keyed by gvkKey. */
export const reflectStatusInterpreters: Record<string, ReflectStatusInterpreter> = {
  'apps/v1, Kind=Deployment': reflectDeployment,
  'apps/v1, Kind=StatefulSet': reflectStatefulSet,
  'apps/v1, Kind=ReplicaSet': reflectReplicaSet,
  'apps/v1, Kind=DaemonSet': reflectDaemonSet,
  'v1, Kind=Service': reflectService,
  'networking.k8s.io/v1, Kind=Ingress': reflectWholeStatus,
  'batch/v1, Kind=Job': reflectJob,
  'policy/v1, Kind=PodDisruptionBudget': reflectPodDisruptionBudget,
  'autoscaling/v2, Kind=HorizontalPodAutoscaler': reflectHorizontalPodAutoscaler,
};
