// Kubeflow training jobs (kubeflow.org PyTorchJob, TFJob, MPIJob): each replica type is a component
// with its own pod template, a job is healthy until a Failed condition is True, and the pod
// templates' ConfigMaps/Secrets/... are dependencies (Karmada's resourcecustomizations/kubeflow.org).
import type { ResourceInterpreterCustomization } from '../lua/customization.js';
import { customization } from './lua.js';

const luaList = (xs: readonly string[]) => `{ ${xs.map((x) => JSON.stringify(x)).join(', ')} }`;

/** one component per replica type present, named `name`, replicas defaulting to 1 */
function components(specs: string, types: readonly { key: string; name: string }[]): string {
  return `local kube = require("kube")
local types = { ${types.map((t) => `{ key = ${JSON.stringify(t.key)}, name = ${JSON.stringify(t.name)} }`).join(', ')} }
function GetComponents(obj)
  local components = {}
  local specs = obj.spec and obj.spec.${specs}
  if specs == nil then return components end
  for _, t in ipairs(types) do
    local spec = specs[t.key]
    if spec ~= nil then
      local replicas = tonumber(spec.replicas) or 1
      local requires = {}
      if spec.template ~= nil then requires = kube.accuratePodRequirements(spec.template) end
      components[#components + 1] = { name = t.name, replicas = replicas, replicaRequirements = requires }
    end
  end
  return components
end`;
}

/** MPIJob: every replica spec with a template, in the object's order; a worker defaults to 0 replicas */
const mpiComponents = `local kube = require("kube")
function GetComponents(obj)
  local components = {}
  local specs = obj.spec and obj.spec.mpiReplicaSpecs
  if specs == nil then return components end
  for name, spec in pairs(specs) do
    if spec ~= nil and spec.template ~= nil then
      local default = 1
      if string.lower(name) == "worker" then default = 0 end
      local replicas = tonumber(spec.replicas) or default
      components[#components + 1] = { name = name, replicas = replicas, replicaRequirements = kube.accuratePodRequirements(spec.template) }
    end
  end
  return components
end`;

function noFailedCondition(requireConditions: boolean): string {
  return `function InterpretHealth(observedObj)
  if observedObj == nil or observedObj.status == nil or observedObj.status.conditions == nil${requireConditions ? ' or #observedObj.status.conditions == 0' : ''} then return false end
  for _, c in ipairs(observedObj.status.conditions) do
    if c.type == "Failed" and c.status == "True" then return false end
  end
  return true
end`;
}

function templateDependencies(specs: string, types: readonly string[]): string {
  return `local kube = require("kube")
local types = ${luaList(types)}
function GetDependencies(obj)
  local refs = {}
  local specs = obj.spec and obj.spec.${specs}
  if specs == nil then return refs end
  for _, t in ipairs(types) do
    local spec = specs[t]
    if spec ~= nil and spec.template ~= nil then
      for _, dep in ipairs(kube.getPodDependencies(spec.template, obj.metadata.namespace) or {}) do refs[#refs + 1] = dep end
    end
  end
  return refs
end`;
}

/** drops zeros, '' and '0s', and tables left empty by that (nil when nothing is left) */
const omitEmptyLua = `local function omitEmpty(t)
  local out = {}
  for k, v in pairs(t) do
    if type(v) == 'table' then
      local inner = omitEmpty(v)
      if inner ~= nil then out[k] = inner end
    elseif not (v == 0 or v == '' or v == '0s') then
      out[k] = v
    end
  end
  if next(out) == nil then return nil end
  return out
end`;

/**
 * PyTorchJob/TFJob: pod counts summed per replica type, the earliest start and latest reconcile;
 * members' conditions are not merged (as for a native Job) but a Failed condition names the members
 * whose job failed and a Succeeded one (with the latest completion time) appears once all succeeded.
 */
function finishAggregation(types: readonly string[], job: string): string {
  return `${omitEmptyLua}
local types = ${luaList(types)}
function AggregateStatus(desiredObj, statusItems)
  if desiredObj.status == nil then desiredObj.status = {} end
  if statusItems == nil then
    desiredObj.status.startTime = nil
    desiredObj.status.completionTime = nil
    desiredObj.status.replicaStatuses = {}
    desiredObj.status.conditions = {}
    return desiredObj
  end
  local startTime, completionTime, reconcileTime = nil, nil, nil
  local replicas, conditions, succeeded, failedIn = {}, {}, 0, {}
  for _, t in ipairs(types) do replicas[t] = { active = 0, failed = 0, succeeded = 0 } end
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      if s.startTime ~= nil and (startTime == nil or s.startTime < startTime) then startTime = s.startTime end
      if s.completionTime ~= nil and (completionTime == nil or s.completionTime > completionTime) then completionTime = s.completionTime end
      if s.lastReconcileTime ~= nil and (reconcileTime == nil or s.lastReconcileTime > reconcileTime) then reconcileTime = s.lastReconcileTime end
      for _, t in ipairs(types) do
        local r = s.replicaStatuses and s.replicaStatuses[t]
        if r ~= nil then
          for _, f in ipairs({ 'active', 'failed', 'succeeded' }) do replicas[t][f] = replicas[t][f] + (r[f] or 0) end
        end
      end
      local finished = ''
      for _, c in ipairs(s.conditions or {}) do
        if (c.type == 'Succeeded' or c.type == 'Failed') and c.status == 'True' then finished = c.type end
      end
      if finished == 'Succeeded' then succeeded = succeeded + 1 end
      if finished == 'Failed' then failedIn[#failedIn + 1] = item.clusterName end
    end
  end
  local now = os.date('!%Y-%m-%dT%H:%M:%SZ')
  if #failedIn > 0 then
    conditions[#conditions + 1] = { type = 'Failed', status = 'True', lastProbeTime = now, lastTransitionTime = now, reason = '${job}Failed', message = '${job} executed failed in member clusters: ' .. table.concat(failedIn, ', ') }
  end
  if succeeded == #statusItems and succeeded > 0 then
    conditions[#conditions + 1] = { type = 'Succeeded', status = 'True', lastProbeTime = now, lastTransitionTime = now, reason = 'Completed', message = '${job} completed successfully' }
    desiredObj.status.completionTime = completionTime
  end
  desiredObj.status.startTime = startTime
  desiredObj.status.lastReconcileTime = reconcileTime
  desiredObj.status.replicaStatuses = replicas
  desiredObj.status.conditions = conditions
  desiredObj.status = omitEmpty(desiredObj.status)
  return desiredObj
end`;
}

/**
 * MPIJob: one member's status as it is; several: pod counts summed per replica type, the earliest
 * start and latest completion/reconcile, and per condition type the most recently updated one.
 */
const mpiAggregation = `local function omitEmpty(t)
  local out = {}
  for k, v in pairs(t) do
    if type(v) == 'table' then
      local inner = omitEmpty(v)
      if inner ~= nil then out[k] = inner end
    else
      out[k] = v
    end
  end
  if next(out) == nil then return nil end
  return out
end
local function stamp(c) return c.lastUpdateTime or c.lastTransitionTime end
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil or #statusItems == 0 then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  if #statusItems == 1 then
    desiredObj.status = statusItems[1].status
    return desiredObj
  end
  local status = { replicaStatuses = {}, conditions = {} }
  local latest, order = {}, {}
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      for t, r in pairs(s.replicaStatuses or {}) do
        local sum = status.replicaStatuses[t]
        if sum == nil then
          sum = { active = 0, succeeded = 0, failed = 0 }
          status.replicaStatuses[t] = sum
        end
        sum.active = sum.active + (r.active or 0)
        sum.succeeded = sum.succeeded + (r.succeeded or 0)
        sum.failed = sum.failed + (r.failed or 0)
      end
      if s.startTime ~= nil and s.startTime ~= '' and (status.startTime == nil or s.startTime < status.startTime) then status.startTime = s.startTime end
      if s.completionTime ~= nil and s.completionTime ~= '' and (status.completionTime == nil or s.completionTime > status.completionTime) then status.completionTime = s.completionTime end
      if s.lastReconcileTime ~= nil and s.lastReconcileTime ~= '' and (status.lastReconcileTime == nil or s.lastReconcileTime > status.lastReconcileTime) then status.lastReconcileTime = s.lastReconcileTime end
      for _, c in ipairs(s.conditions or {}) do
        local at = stamp(c)
        if at ~= nil and at ~= '' then
          local have = latest[c.type]
          if have == nil then order[#order + 1] = c.type end
          if have == nil or at > stamp(have) then latest[c.type] = c end
        end
      end
    end
  end
  for _, t in ipairs(order) do status.conditions[#status.conditions + 1] = latest[t] end
  desiredObj.status = omitEmpty(status) or {}
  return desiredObj
end`;

const mpiReflection = `function ReflectStatus(observedObj)
  local status = {}
  if observedObj == nil or observedObj.status == nil then return status end
  local s = observedObj.status
  status.replicaStatuses = {}
  for k, v in pairs(s.replicaStatuses or {}) do
    status.replicaStatuses[k] = { active = v.active, succeeded = v.succeeded, failed = v.failed, selector = v.selector }
  end
  status.conditions = {}
  if type(s.conditions) == 'table' then
    for _, c in ipairs(s.conditions) do status.conditions[#status.conditions + 1] = c end
  end
  status.startTime = s.startTime
  status.completionTime = s.completionTime
  status.lastReconcileTime = s.lastReconcileTime
  return status
end`;

const pytorch = [
  { key: 'Master', name: 'master' },
  { key: 'Worker', name: 'worker' },
];
const tf = [
  { key: 'PS', name: 'ps' },
  { key: 'Worker', name: 'worker' },
  { key: 'Chief', name: 'chief' },
  { key: 'Master', name: 'master' },
  { key: 'Evaluator', name: 'evaluator' },
];

export const kubeflowCustomizations: ResourceInterpreterCustomization[] = [
  customization('kubeflow.org/v1', 'PyTorchJob', {
    componentResource: components('pytorchReplicaSpecs', pytorch),
    statusAggregation: finishAggregation(pytorch.map((t) => t.key), 'PyTorchJob'),
    healthInterpretation: noFailedCondition(false),
    dependencyInterpretation: templateDependencies('pytorchReplicaSpecs', pytorch.map((t) => t.key)),
  }),
  customization('kubeflow.org/v1', 'TFJob', {
    componentResource: components('tfReplicaSpecs', tf),
    statusAggregation: finishAggregation(tf.map((t) => t.key), 'TFJob'),
    healthInterpretation: noFailedCondition(false),
    dependencyInterpretation: templateDependencies('tfReplicaSpecs', tf.map((t) => t.key)),
  }),
  customization('kubeflow.org/v2beta1', 'MPIJob', {
    componentResource: mpiComponents,
    statusAggregation: mpiAggregation,
    statusReflection: mpiReflection,
    healthInterpretation: noFailedCondition(true),
  }),
];
