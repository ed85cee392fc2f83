// OpenKruise workloads (apps.kruise.io), with the behaviour of Karmada's built-in customizations
// for them (resourcecustomizations/apps.kruise.io).
import type { ResourceInterpreterCustomization } from '../lua/customization.js';
import { aggregateCounters, luaList, aggregateReconciled, customization, podDependencies, reflectFields, reflectWithGeneration, replicasFrom, reviseSpecReplicas, rolloutHealth } from './lua.js';

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

/** AdvancedCronJob: the members' active jobs joined; type and lastScheduleTime from the last member that has them */
const cronJobAggregation = `function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  local active, kind, lastScheduleTime = {}, '', {}
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      for _, ref in ipairs(s.active or {}) do active[#active + 1] = ref end
      if s.type ~= nil then kind = s.type end
      if s.lastScheduleTime ~= nil then lastScheduleTime = s.lastScheduleTime end
    end
  end
  desiredObj.status.active = active
  desiredObj.status.type = kind
  desiredObj.status.lastScheduleTime = lastScheduleTime
  return desiredObj
end`;

/** AdvancedCronJob: the pod template of whichever job template it has (a BroadcastJob's wins) */
const cronJobDependencies = `local kube = require("kube")
function GetDependencies(obj)
  local t = obj.spec.template
  local template = {}
  if t.jobTemplate ~= nil then template = t.jobTemplate.spec.template end
  if t.broadcastJobTemplate ~= nil then template = t.broadcastJobTemplate.spec.template end
  return kube.getPodDependencies(template, obj.metadata.namespace)
end`;

const sidecarCounters = ['matchedPods', 'updatedPods', 'readyPods'];

/** SidecarSet: no replicas of its own; pods counted over members; healthy once every matched pod is updated */
const sidecarSet = {
  replicaResource: `function GetReplicas(obj)
  return 0
end`,
  statusReflection: `local fields = ${luaList(sidecarCounters)}
function ReflectStatus(observedObj)
  local status = {}
  if observedObj.status == nil then return status end
  for _, f in ipairs(fields) do status[f] = observedObj.status[f] or 0 end
  return status
end`,
  // Karmada answers a fresh object holding only apiVersion, kind, metadata and the sums
  statusAggregation: `local fields = ${luaList(sidecarCounters)}
function AggregateStatus(desiredObj, statusItems)
  local status = {}
  for _, f in ipairs(fields) do status[f] = 0 end
  for _, item in ipairs(statusItems or {}) do
    local s = item.status or {}
    for _, f in ipairs(fields) do status[f] = status[f] + (s[f] or 0) end
  end
  return { apiVersion = desiredObj.apiVersion, kind = desiredObj.kind, metadata = desiredObj.metadata, status = status }
end`,
  retention: `function Retain(desiredObj, observedObj)
  return desiredObj
end`,
  healthInterpretation: `function InterpretHealth(observedObj)
  if observedObj.status == nil then return false end
  local matched = observedObj.status.matchedPods or 0
  if matched == 0 then return true end
  return (observedObj.status.updatedPods or 0) == matched
end`,
  // the sidecar containers' env/envFrom and the volumes it injects; no dedup, as Karmada's
  dependencyInterpretation: `function GetDependencies(obj)
  local refs = {}
  if obj.spec == nil then return refs end
  local function add(kind, name)
    refs[#refs + 1] = { apiVersion = 'v1', kind = kind, name = name, namespace = obj.metadata and obj.metadata.namespace }
  end
  for _, c in ipairs(obj.spec.containers or {}) do
    for _, e in ipairs(c.env or {}) do
      if e.valueFrom ~= nil then
        if e.valueFrom.configMapKeyRef ~= nil then add('ConfigMap', e.valueFrom.configMapKeyRef.name) end
        if e.valueFrom.secretKeyRef ~= nil then add('Secret', e.valueFrom.secretKeyRef.name) end
      end
    end
    for _, f in ipairs(c.envFrom or {}) do
      if f.configMapRef ~= nil then add('ConfigMap', f.configMapRef.name) end
      if f.secretRef ~= nil then add('Secret', f.secretRef.name) end
    end
  end
  for _, v in ipairs(obj.spec.volumes or {}) do
    if v.configMap ~= nil then add('ConfigMap', v.configMap.name) end
    if v.secret ~= nil then add('Secret', v.secret.secretName) end
    if v.projected ~= nil then
      for _, src in ipairs(v.projected.sources or {}) do
        if src.configMap ~= nil then add('ConfigMap', src.configMap.name) end
        if src.secret ~= nil then add('Secret', src.secret.name) end
      end
    end
  end
  return refs
end`,
};

const unitedCounters = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'];

/**
 * UnitedDeployment: counters summed, conditions merged by type (the last member's wins), and
 * observedGeneration the template's once every member reconciled it.
 */
const unitedAggregation = `local counters = ${luaList(unitedCounters)}
function AggregateStatus(desiredObj, statusItems)
  if desiredObj.status == nil then desiredObj.status = {} end
  if desiredObj.metadata.generation == nil then desiredObj.metadata.generation = 0 end
  if desiredObj.status.observedGeneration == nil then desiredObj.status.observedGeneration = 0 end
  local status = desiredObj.status
  local generation = desiredObj.metadata.generation
  local total = {}
  for _, f in ipairs(counters) do total[f] = 0 end
  if statusItems == nil then
    status.observedGeneration = generation
    for _, f in ipairs(counters) do status[f] = 0 end
    return desiredObj
  end
  local byType, order, reconciled = {}, {}, 0
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      for _, f in ipairs(counters) do total[f] = total[f] + (s[f] or 0) end
      for _, c in ipairs(s.conditions or {}) do
        if byType[c.type] == nil then order[#order + 1] = c.type end
        byType[c.type] = c
      end
      if (s.resourceTemplateGeneration or 0) == generation and (s.generation or 0) == (s.observedGeneration or 0) then reconciled = reconciled + 1 end
    end
  end
  if reconciled == #statusItems then status.observedGeneration = generation end
  for _, f in ipairs(counters) do status[f] = total[f] end
  if #order > 0 then
    local conditions = {}
    for _, t in ipairs(order) do conditions[#conditions + 1] = byType[t] end
    status.conditions = conditions
  end
  return desiredObj
end`;

const unitedHealth = `function InterpretHealth(observedObj)
  if observedObj.status == nil or observedObj.metadata == nil or observedObj.spec == nil then return false end
  local s = observedObj.status
  if s.observedGeneration ~= observedObj.metadata.generation then return false end
  if observedObj.spec.replicas ~= nil and s.updatedReplicas < observedObj.spec.replicas then return false end
  if s.availableReplicas < s.updatedReplicas then return false end
  return true
end`;

/**
 * BroadcastJob: pod counts summed, phase from the last member that has one; a Failed condition
 * naming the members whose job failed, a Completed one once every member completed. As in
 * Karmada, the outcome found on a member carries over to the next members that report none.
 */
const broadcastJobAggregation = `function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  local counts = { active = 0, succeeded = 0, failed = 0, desired = 0 }
  local phase, outcome, completed, failedIn = '', '', 0, {}
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      for f, n in pairs(counts) do
        if s[f] ~= nil then counts[f] = n + s[f] end
      end
      if s.phase ~= nil then phase = s.phase end
      for _, c in ipairs(s.conditions or {}) do
        if (c.type == 'Complete' or c.type == 'Failed') and c.status == 'True' then
          outcome = c.type
          break
        end
      end
    end
    if outcome == 'Complete' then completed = completed + 1 end
    if outcome == 'Failed' then failedIn[#failedIn + 1] = item.clusterName end
  end
  local conditions = {}
  if #failedIn > 0 then
    conditions[#conditions + 1] = { type = 'Failed', status = 'True', reason = 'JobFailed', message = 'Job executed failed in member clusters: ' .. table.concat(failedIn, ', ') }
  end
  if completed == #statusItems and completed > 0 then
    conditions[#conditions + 1] = { type = 'Completed', status = 'True', reason = 'Completed', message = 'Job completed' }
  end
  desiredObj.status.active = counts.active
  desiredObj.status.succeeded = counts.succeeded
  desiredObj.status.failed = counts.failed
  desiredObj.status.desired = counts.desired
  desiredObj.status.phase = phase
  desiredObj.status.conditions = conditions
  return desiredObj
end`;

/** the member's pod template labels stay (the job controller labels its pods through them) */
const broadcastJobRetain = `function Retain(desiredObj, observedObj)
  local observed = observedObj.spec and observedObj.spec.template and observedObj.spec.template.metadata
  if observed ~= nil and observed.labels ~= nil and desiredObj.spec ~= nil and desiredObj.spec.template ~= nil then
    if desiredObj.spec.template.metadata == nil then desiredObj.spec.template.metadata = {} end
    desiredObj.spec.template.metadata.labels = observed.labels
  end
  return desiredObj
end`;

export const kruiseCustomizations: ResourceInterpreterCustomization[] = [
  customization('apps.kruise.io/v1alpha1', 'CloneSet', {
    replicaResource: replicasFrom(),
    replicaRevision: reviseSpecReplicas,
    statusAggregation: aggregateCounters(cloneSetCounters, cloneSetTexts),
    statusReflection: reflectWithGeneration([...cloneSetCounters, ...cloneSetTexts, 'observedGeneration']),
    healthInterpretation: rolloutHealth,
    dependencyInterpretation: podDependencies(),
  }),
  customization('apps.kruise.io/v1beta1', 'StatefulSet', {
    replicaResource: replicasFrom(),
    replicaRevision: reviseSpecReplicas,
    statusAggregation: aggregateCounters(statefulSetCounters, statefulSetTexts),
    statusReflection: reflectWithGeneration([...statefulSetCounters, ...statefulSetTexts, 'observedGeneration']),
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
    statusAggregation: broadcastJobAggregation,
    statusReflection: reflectFields(['conditions', 'startTime', 'completionTime', 'active', 'succeeded', 'failed', 'desired', 'phase']),
    retention: broadcastJobRetain,
    dependencyInterpretation: podDependencies(),
  }),
  customization('apps.kruise.io/v1alpha1', 'DaemonSet', {
    statusAggregation: aggregateReconciled({ counters: daemonSetCounters, texts: ['daemonSetHash'] }),
    statusReflection: reflectWithGeneration(['observedGeneration', ...daemonSetCounters, 'daemonSetHash']),
    healthInterpretation: daemonSetHealth,
    dependencyInterpretation: podDependencies(),
  }),
  customization('apps.kruise.io/v1alpha1', 'AdvancedCronJob', { statusAggregation: cronJobAggregation, dependencyInterpretation: cronJobDependencies }),
  customization('apps.kruise.io/v1alpha1', 'SidecarSet', sidecarSet),
  customization('apps.kruise.io/v1alpha1', 'UnitedDeployment', {
    replicaResource: `local kube = require("kube")
function GetReplicas(obj)
  return obj.spec.replicas, kube.accuratePodRequirements(obj.spec.template)
end`,
    replicaRevision: reviseSpecReplicas,
    statusAggregation: unitedAggregation,
    statusReflection: reflectWithGeneration([...unitedCounters, 'observedGeneration', 'conditions']),
    healthInterpretation: unitedHealth,
    dependencyInterpretation: podDependencies(),
  }),
];
