// Ray (ray.io RayCluster, RayJob, RayService) with the behaviour of Karmada's built-in
// customizations for them (resourcecustomizations/ray.io): a head and worker groups as components,
// health from conditions or job states, member statuses combined.
import type { ResourceInterpreterCustomization } from '../lua/customization.js';
import { customization } from './lua.js';

/** rayComponents(spec): the head (one pod) and each worker group (groupName or worker-<i>, replicas or 0) */
const rayComponentsLua = `local kube = require("kube")
local function rayComponents(spec)
  local components = {}
  if spec == nil then return components end
  if spec.headGroupSpec ~= nil and spec.headGroupSpec.template ~= nil then
    components[#components + 1] = { name = 'ray-head', replicas = 1, replicaRequirements = kube.accuratePodRequirements(spec.headGroupSpec.template) }
  end
  for i, group in ipairs(spec.workerGroupSpecs or {}) do
    local name = group.groupName
    if name == nil or name == '' then name = 'worker-' .. tostring(i) end
    local requires = nil
    if group.template ~= nil then requires = kube.accuratePodRequirements(group.template) end
    components[#components + 1] = { name = name, replicas = group.replicas or 0, replicaRequirements = requires }
  end
  return components
end`;

/**
 * rayPodDependencies(obj, podSpecs): ConfigMaps, Secrets, ServiceAccounts (but 'default') and PVCs
 * the pod specs name (volumes of every secret-bearing type, env, envFrom, image pull secrets), kind by kind.
 */
const rayDependenciesLua = `local secretVolumes = { 'cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos' }
local function rayPodDependencies(obj, podSpecs)
  -- first-seen order within a kind, as gopher-lua's pairs() gives over the set Karmada builds
  local names, seen = { ConfigMap = {}, Secret = {}, ServiceAccount = {}, PersistentVolumeClaim = {} }, {}
  local function add(kind, name)
    if name == nil or name == '' or seen[kind .. '/' .. name] then return end
    seen[kind .. '/' .. name] = true
    names[kind][#names[kind] + 1] = name
  end
  local function containers(list)
    for _, c in ipairs(list or {}) do
      for _, f in ipairs(c.envFrom or {}) do
        if f.configMapRef ~= nil then add('ConfigMap', f.configMapRef.name) end
        if f.secretRef ~= nil then add('Secret', f.secretRef.name) end
      end
      for _, e in ipairs(c.env or {}) do
        if e.valueFrom ~= nil then
          if e.valueFrom.configMapKeyRef ~= nil then add('ConfigMap', e.valueFrom.configMapKeyRef.name) end
          if e.valueFrom.secretKeyRef ~= nil then add('Secret', e.valueFrom.secretKeyRef.name) end
        end
      end
    end
  end
  for _, pod in ipairs(podSpecs) do
    if pod.serviceAccountName ~= 'default' then add('ServiceAccount', pod.serviceAccountName) end
    for _, ref in ipairs(pod.imagePullSecrets or {}) do add('Secret', ref.name) end
    for _, v in ipairs(pod.volumes or {}) do
      if v.configMap ~= nil then add('ConfigMap', v.configMap.name) end
      if v.secret ~= nil then add('Secret', v.secret.secretName) end
      if v.projected ~= nil then
        for _, src in ipairs(v.projected.sources or {}) do
          if src.configMap ~= nil then add('ConfigMap', src.configMap.name) end
          if src.secret ~= nil then add('Secret', src.secret.name) end
        end
      end
      if v.persistentVolumeClaim ~= nil then add('PersistentVolumeClaim', v.persistentVolumeClaim.claimName) end
      if v.azureFile ~= nil then add('Secret', v.azureFile.secretName) end
      for _, t in ipairs(secretVolumes) do
        if v[t] ~= nil and v[t].secretRef ~= nil then add('Secret', v[t].secretRef.name) end
      end
      if v.csi ~= nil and v.csi.nodePublishSecretRef ~= nil then add('Secret', v.csi.nodePublishSecretRef.name) end
    end
    containers(pod.containers)
    containers(pod.initContainers)
  end
  local refs = {}
  for _, kind in ipairs({ 'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim' }) do
    for _, name in ipairs(names[kind]) do refs[#refs + 1] = { apiVersion = 'v1', kind = kind, name = name, namespace = obj.metadata.namespace } end
  end
  return refs
end
local function clusterPodSpecs(spec, out)
  if spec == nil then return out end
  if spec.headGroupSpec ~= nil and spec.headGroupSpec.template ~= nil and spec.headGroupSpec.template.spec ~= nil then out[#out + 1] = spec.headGroupSpec.template.spec end
  for _, group in ipairs(spec.workerGroupSpecs or {}) do
    if group.template ~= nil and group.template.spec ~= nil then out[#out + 1] = group.template.spec end
  end
  return out
end`;

/** a cluster is healthy once its head pod is ready and it is provisioned, without replica failures */
const rayClusterHealth = `function InterpretHealth(observedObj)
  if observedObj.status == nil or observedObj.status.conditions == nil then return false end
  local head, provisioned, failure = false, false, false
  for _, c in ipairs(observedObj.status.conditions) do
    if c.status == 'True' then
      if c.type == 'HeadPodReady' then head = true end
      if c.type == 'RayClusterProvisioned' then provisioned = true end
      if c.type == 'RayClusterReplicaFailure' then failure = true end
    end
  end
  return head and provisioned and not failure
end`;

/**
 * One member's status is taken as it is; several: conditions joined, worker counts and desired
 * resources summed, the latest lastUpdateTime, endpoints/head/state from the first member that has them.
 */
const rayClusterAggregation = `local kube = require("kube")
local counters = { 'readyWorkerReplicas', 'availableWorkerReplicas', 'maxWorkerReplicas', 'minWorkerReplicas', 'desiredWorkerReplicas' }
local fields = { 'conditions', 'desiredCPU', 'desiredGPU', 'desiredTPU', 'desiredMemory', 'lastUpdateTime', 'endpoints', 'head', 'state', 'stateTransitionTimes' }
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  desiredObj.spec = nil
  if #statusItems == 1 then
    desiredObj.status = statusItems[1].status
    return desiredObj
  end
  local out = { conditions = {}, desiredCPU = '0', desiredMemory = '0' }
  for _, f in ipairs(counters) do out[f] = 0 end
  local gpu, tpu = 0, 0
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      for _, c in ipairs(s.conditions or {}) do out.conditions[#out.conditions + 1] = c end
      for _, f in ipairs(counters) do out[f] = out[f] + (s[f] or 0) end
      if s.desiredCPU ~= nil and s.desiredCPU ~= '' then out.desiredCPU = kube.resourceAdd(out.desiredCPU, s.desiredCPU) end
      if s.desiredMemory ~= nil and s.desiredMemory ~= '' then out.desiredMemory = kube.resourceAdd(out.desiredMemory, s.desiredMemory) end
      if s.desiredGPU ~= nil and s.desiredGPU ~= '' then gpu = gpu + tonumber(s.desiredGPU) end
      if s.desiredTPU ~= nil and s.desiredTPU ~= '' then tpu = tpu + tonumber(s.desiredTPU) end
      if s.lastUpdateTime ~= nil and (out.lastUpdateTime == nil or s.lastUpdateTime > out.lastUpdateTime) then out.lastUpdateTime = s.lastUpdateTime end
      if out.endpoints == nil then out.endpoints = s.endpoints end
      if out.head == nil then out.head = s.head end
      if out.state == nil and s.state ~= nil then
        out.state = s.state
        out.stateTransitionTimes = s.stateTransitionTimes
      end
    end
  end
  out.desiredGPU = tostring(gpu)
  out.desiredTPU = tostring(tpu)
  for _, f in ipairs(counters) do desiredObj.status[f] = out[f] end
  for _, f in ipairs(fields) do desiredObj.status[f] = out[f] end
  return desiredObj
end`;

const rayCluster = customization('ray.io/v1', 'RayCluster', {
  componentResource: `${rayComponentsLua}
function GetComponents(obj)
  return rayComponents(obj.spec)
end`,
  healthInterpretation: rayClusterHealth,
  statusAggregation: rayClusterAggregation,
});

/**
 * One member's status is taken as it is; several: the worst deployment status (with its reason
 * and message) and the worst job status.
 */
const rayJobAggregation = `local deploymentRank = { [''] = 0, Initializing = 1, Waiting = 2, Suspending = 3, Suspended = 3, Retrying = 4, Running = 5, Complete = 6, ValidationFailed = 7, Failed = 8 }
local jobRank = { [''] = 0, PENDING = 1, RUNNING = 2, SUCCEEDED = 3, STOPPED = 4, FAILED = 5 }
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  desiredObj.spec = nil
  if #statusItems == 1 then
    desiredObj.status = statusItems[1].status
    return desiredObj
  end
  local worstDeployment, worstJob = -1, -1
  local jobStatus, deployment, reason, message = nil, nil, nil, nil
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      if s.jobDeploymentStatus ~= nil then
        local rank = deploymentRank[s.jobDeploymentStatus] or 0
        if rank > worstDeployment then
          worstDeployment, deployment, reason, message = rank, s.jobDeploymentStatus, s.reason, s.message
        end
      end
      if s.jobStatus ~= nil and s.jobStatus ~= '' then
        local rank = jobRank[s.jobStatus] or 0
        if rank > worstJob then worstJob, jobStatus = rank, s.jobStatus end
      end
    end
  end
  desiredObj.status.jobStatus = jobStatus
  desiredObj.status.jobDeploymentStatus = deployment
  desiredObj.status.reason = reason
  desiredObj.status.message = message
  return desiredObj
end`;

/** running, or complete and succeeded; every other state is failed or on its way */
const rayJob = customization('ray.io/v1', 'RayJob', {
  componentResource: `${rayComponentsLua}
function GetComponents(obj)
  if obj.spec == nil then return {} end
  return rayComponents(obj.spec.rayClusterSpec)
end`,
  healthInterpretation: `function InterpretHealth(observedObj)
  local s = observedObj.status
  if s == nil then return false end
  if s.jobDeploymentStatus == 'Running' then return true end
  return s.jobDeploymentStatus == 'Complete' and s.jobStatus == 'SUCCEEDED'
end`,
  statusAggregation: rayJobAggregation,
  dependencyInterpretation: `${rayDependenciesLua}
function GetDependencies(obj)
  local specs = {}
  if obj.spec ~= nil then
    clusterPodSpecs(obj.spec.rayClusterSpec, specs)
    if obj.spec.submitterPodTemplate ~= nil and obj.spec.submitterPodTemplate.spec ~= nil then specs[#specs + 1] = obj.spec.submitterPodTemplate.spec end
  end
  return rayPodDependencies(obj, specs)
end`,
});

/** worst first: an application's status across members is its worst one */
const rayServiceAggregation = `local appRank = { RUNNING = 0, NOT_STARTED = 1, DEPLOYING = 2, DELETING = 3, UNHEALTHY = 4, DEPLOY_FAILED = 5 }
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  desiredObj.spec = nil
  if #statusItems == 1 then
    desiredObj.status = statusItems[1].status
    return desiredObj
  end
  local conditions, endpoints, lastUpdateTime, generation, serviceStatus = {}, 0, nil, 0, 'Running'
  local active, pending, apps = nil, nil, {}
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      for _, c in ipairs(s.conditions or {}) do conditions[#conditions + 1] = c end
      endpoints = endpoints + (s.numServeEndpoints or 0)
      if s.lastUpdateTime ~= nil and (lastUpdateTime == nil or s.lastUpdateTime > lastUpdateTime) then lastUpdateTime = s.lastUpdateTime end
      if s.observedGeneration ~= nil and s.observedGeneration > generation then generation = s.observedGeneration end
      if s.serviceStatus == '' then serviceStatus = '' end
      if s.activeServiceStatus ~= nil then
        if active == nil then active = s.activeServiceStatus end
        for name, app in pairs(s.activeServiceStatus.applicationStatuses or {}) do
          local have = -1
          if apps[name] ~= nil then have = appRank[apps[name].status] or 0 end
          if (appRank[app.status] or 0) > have then apps[name] = app end
        end
      end
      if pending == nil then pending = s.pendingServiceStatus end
    end
  end
  local status = desiredObj.status
  status.conditions = conditions
  status.numServeEndpoints = endpoints
  status.lastUpdateTime = lastUpdateTime
  status.observedGeneration = generation
  status.serviceStatus = serviceStatus
  if active ~= nil then
    active.applicationStatuses = apps
    status.activeServiceStatus = active
  end
  if pending ~= nil then status.pendingServiceStatus = pending end
  return desiredObj
end`;

/**
 * RayService: the head plus every worker; requirements are the head's, with the largest cpu and
 * memory of any group. Revising keeps the head and shares the rest over the worker groups in their
 * current proportions (evenly from zero, the last group taking the remainder).
 */
const rayService = customization('ray.io/v1', 'RayService', {
  replicaResource: `local kube = require("kube")
function GetReplicas(obj)
  local config = obj.spec and obj.spec.rayClusterConfig
  if config == nil or config.headGroupSpec == nil or config.headGroupSpec.template == nil then return 0, nil end
  local total = 1
  local requires = kube.accuratePodRequirements(config.headGroupSpec.template)
  local best = { cpu = { value = 0 }, memory = { value = 0 } }
  local function consider(reqs, head)
    if reqs == nil or reqs.resourceRequest == nil then return end
    for name, b in pairs(best) do
      local q = reqs.resourceRequest[name]
      if q ~= nil then
        local v = kube.getResourceQuantity(q)
        if head or v > b.value then b.value, b.text = v, q end
      end
    end
  end
  consider(requires, true)
  for _, group in ipairs(config.workerGroupSpecs or {}) do
    total = total + (group.replicas or 0)
    if group.template ~= nil then consider(kube.accuratePodRequirements(group.template), false) end
  end
  if requires ~= nil and (best.cpu.text ~= nil or best.memory.text ~= nil) then
    if requires.resourceRequest == nil then requires.resourceRequest = {} end
    if best.cpu.text ~= nil then requires.resourceRequest.cpu = best.cpu.text end
    if best.memory.text ~= nil then requires.resourceRequest.memory = best.memory.text end
  end
  if requires ~= nil and obj.metadata ~= nil and obj.metadata.namespace ~= nil then requires.namespace = obj.metadata.namespace end
  return total, requires
end`,
  replicaRevision: `function ReviseReplica(obj, desiredReplica)
  local config = obj.spec and obj.spec.rayClusterConfig
  if config == nil or config.workerGroupSpecs == nil or #config.workerGroupSpecs == 0 then return obj end
  local groups = config.workerGroupSpecs
  local workers = math.max(0, desiredReplica - 1)
  if #groups == 1 then
    groups[1].replicas = workers
    return obj
  end
  local current = 0
  for _, g in ipairs(groups) do current = current + (g.replicas or 0) end
  local given = 0
  for i, g in ipairs(groups) do
    if workers == 0 then
      g.replicas = 0
    elseif i == #groups then
      g.replicas = workers - given
    elseif current == 0 then
      g.replicas = math.floor(workers / #groups)
      if i <= workers % #groups then g.replicas = g.replicas + 1 end
      given = given + g.replicas
    else
      g.replicas = math.floor(workers * ((g.replicas or 0) / current) + 0.5)
      given = given + g.replicas
    end
  end
  return obj
end`,
  componentResource: `${rayComponentsLua}
function GetComponents(obj)
  if obj.spec == nil then return {} end
  return rayComponents(obj.spec.rayClusterConfig)
end`,
  healthInterpretation: `function InterpretHealth(observedObj)
  if observedObj.status == nil or observedObj.status.conditions == nil then return false end
  for _, c in ipairs(observedObj.status.conditions) do
    if c.type == 'Ready' and c.status == 'True' then return true end
  end
  return false
end`,
  statusAggregation: rayServiceAggregation,
  dependencyInterpretation: `${rayDependenciesLua}
function GetDependencies(obj)
  local specs = {}
  if obj.spec ~= nil then clusterPodSpecs(obj.spec.rayClusterConfig, specs) end
  return rayPodDependencies(obj, specs)
end`,
});

export const rayCustomizations: ResourceInterpreterCustomization[] = [rayJob, rayCluster, rayService];
