// OpenKruise workloads (apps.kruise.io), with the behaviour of Karmada's built-in customizations
// for them (resourcecustomizations/apps.kruise.io).
import type { ResourceInterpreterCustomization } from '../lua/customization.js';
import { aggregateCounters, aggregateReconciled, customization, podDependencies, reflectFields, reflectWithGeneration, replicasFrom, reviseSpecReplicas, rolloutHealth } from './lua.js';

const cloneSetCounters = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'updatedReadyReplicas', 'expectedUpdatedReplicas'];
const cloneSetTexts = ['updateRevision', 'currentRevision', 'labelSelector'];

const statefulSetCounters = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'updatedReadyReplicas'];
const statefulSetTexts = ['updateRevision', 'currentRevision'];

const daemonSetCounters = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'];

/** up to date, scheduled everywhere it should be, every updated pod available */
const daemonSetHealth = `function InterpretHealth(observedObj)
  local s = observedObj.status
  if s.observedGeneration ~= observedObj.metadata.generation then return false end
  if s.updatedNumberScheduled < s.desiredNumberScheduled then return false end
  if s.numberAvailable < s.updatedNumberScheduled then return false end
  return true
end`;

/** BroadcastJob: `parallelism` pods at a time; unhealthy when nothing is desired, a pod failed, or nothing runs or ran */
const broadcastJobHealth = `function InterpretHealth(observedObj)
  local s = observedObj.status
  if s.desired == 0 or s.failed ~= 0 then return false end
  if s.succeeded == 0 and s.active == 0 then return false end
  return true
end`;

export const kruiseCustomizations: ResourceInterpreterCustomization[] = [
  customization('apps.kruise.io/v1alpha1', 'CloneSet', {
    replicaResource: replicasFrom(),
    replicaRevision: reviseSpecReplicas,
    statusAggregation: aggregateCounters(cloneSetCounters, cloneSetTexts),
    statusReflection: reflectFields([...cloneSetCounters, ...cloneSetTexts, 'observedGeneration']),
    healthInterpretation: rolloutHealth,
    dependencyInterpretation: podDependencies(),
  }),
  customization('apps.kruise.io/v1beta1', 'StatefulSet', {
    replicaResource: replicasFrom(),
    replicaRevision: reviseSpecReplicas,
    statusAggregation: aggregateCounters(statefulSetCounters, statefulSetTexts),
    statusReflection: reflectFields([...statefulSetCounters, ...statefulSetTexts, 'observedGeneration']),
    healthInterpretation: rolloutHealth,
    dependencyInterpretation: podDependencies(),
  }),
  customization('apps.kruise.io/v1alpha1', 'BroadcastJob', {
    replicaResource: replicasFrom('obj.spec.parallelism'),
    replicaRevision: `function ReviseReplica(obj, replica)
  obj.spec.parallelism = replica
  return obj
end`,
    healthInterpretation: broadcastJobHealth,
  }),
  customization('apps.kruise.io/v1alpha1', 'DaemonSet', {
    statusAggregation: aggregateReconciled({ counters: daemonSetCounters, texts: ['daemonSetHash'] }),
    statusReflection: reflectWithGeneration(['observedGeneration', ...daemonSetCounters, 'daemonSetHash']),
    healthInterpretation: daemonSetHealth,
    dependencyInterpretation: podDependencies(),
  }),
];
