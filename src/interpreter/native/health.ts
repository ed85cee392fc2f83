// InterpretHealth for the native kinds (Karmada default/native/healthy.go). Kinds without a rule
// have no hook; the work status controller then treats them as healthy.
import type { KubeObject } from '../../apimachinery/types.js';
import { intAt, objectsAt, optionalIntAt, strAt } from './object.js';

type HealthInterpreter = (obj: KubeObject) => boolean;

function generationObserved(obj: KubeObject): boolean {
  return intAt(obj, 'status', 'observedGeneration') === intAt(obj, 'metadata', 'generation');
}

function deploymentHealthy(obj: KubeObject): boolean {
  if (!generationObserved(obj)) return false;
  const replicas = optionalIntAt(obj, 'spec', 'replicas');
  const updated = intAt(obj, 'status', 'updatedReplicas');
  if (replicas !== undefined && updated < replicas) return false;
  return intAt(obj, 'status', 'availableReplicas') >= updated;
}


function replicaSetHealthy(obj: KubeObject): boolean {
  if (!generationObserved(obj)) return false;
  const replicas = optionalIntAt(obj, 'spec', 'replicas');
  return replicas === undefined || intAt(obj, 'status', 'availableReplicas') >= replicas;
}

function daemonSetHealthy(obj: KubeObject): boolean {
  if (!generationObserved(obj)) return false;
  const updated = intAt(obj, 'status', 'updatedNumberScheduled');
  if (updated < intAt(obj, 'status', 'desiredNumberScheduled')) return false;
  return intAt(obj, 'status', 'numberAvailable') >= updated;
}

function hasIngressPoint(obj: KubeObject): boolean {
  return objectsAt(obj, 'status', 'loadBalancer', 'ingress').some((i) => strAt(i, 'hostname') !== '' || strAt(i, 'ip') !== '');
}

function serviceHealthy(obj: KubeObject): boolean {
  return strAt(obj, 'spec', 'type') !== 'LoadBalancer' || hasIngressPoint(obj);
}

function podHealthy(obj: KubeObject): boolean {
  const phase = strAt(obj, 'status', 'phase');
  if (phase === 'Succeeded') return true;
  const ready = objectsAt(obj, 'status', 'conditions').find((c) => strAt(c, 'type') === 'Ready');
  return phase === 'Running' && ready !== undefined && strAt(ready, 'status') === 'True';
}

/** Keyed by gvkKey. */
export const healthInterpreters: Record<string, HealthInterpreter> = {
  'apps/v1, Kind=Deployment': deploymentHealthy,
  // Karmada judges a StatefulSet as a Deployment (a partitioned update counts as not done)
  'apps/v1, Kind=StatefulSet': deploymentHealthy,
  'apps/v1, Kind=ReplicaSet': replicaSetHealthy,
  'apps/v1, Kind=DaemonSet': daemonSetHealthy,
  'v1, Kind=Service': serviceHealthy,
  'networking.k8s.io/v1, Kind=Ingress': hasIngressPoint,
  'v1, Kind=PersistentVolumeClaim': (obj) => strAt(obj, 'status', 'phase') === 'Bound',
  'v1, Kind=Pod': podHealthy,
  'policy/v1, Kind=PodDisruptionBudget': (obj) => intAt(obj, 'status', 'currentHealthy') >= intAt(obj, 'status', 'desiredHealthy'),
};
