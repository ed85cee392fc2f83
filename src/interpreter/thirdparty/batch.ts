// Batch and ML workloads: Argo Workflow, Volcano Job, SparkApplication, FlinkDeployment and the
// Kubeflow Notebook, with the behaviour of Karmada's built-in customizations for
// them (health for all; replicas, retention and dependencies for Argo Workflow).
import type { ResourceInterpreterCustomization } from '../lua/customization.js';
import { customization, luaList, reflectFields } from './lua.js';

const workflow = customization('argoproj.io/v1alpha1', 'Workflow', {
  // a workflow's pods run `parallelism` at a time, scheduled by the workflow-level placement fields
  replicaResource: `local kube = require("kube")
function GetReplicas(obj)
  local replicas = obj.spec.parallelism or 1
  local template = { spec = { affinity = obj.spec.affinity, nodeSelector = obj.spec.nodeSelector, tolerations = obj.spec.tolerations } }
  return replicas, kube.accuratePodRequirements(template)
end`,
  replicaRevision: `function ReviseReplica(obj, replica)
  obj.spec.parallelism = replica
  return obj
end`,
  healthInterpretation: `function InterpretHealth(observedObj)
  if observedObj.status == nil then return false end
  local phase = observedObj.status.phase
  return not (phase == nil or phase == '' or phase == 'Error' or phase == 'Failed')
end`,
  // the member runs the workflow: its suspension and its progress stay
  retention: `function Retain(desiredObj, observedObj)
  if observedObj.spec ~= nil and observedObj.spec.suspend ~= nil then desiredObj.spec.suspend = observedObj.spec.suspend end
  if observedObj.status ~= nil then desiredObj.status = observedObj.status end
  return desiredObj
end`,
  dependencyInterpretation: `local kube = require("kube")
function GetDependencies(obj)
  local sa = nil
  if obj.spec.executor ~= nil then sa = obj.spec.executor.serviceAccountName end
  local refs = kube.getPodDependencies({ spec = { volumes = obj.spec.volumes, serviceAccountName = sa } }, obj.metadata.namespace) or {}
  for _, claim in ipairs(obj.spec.volumeClaimTemplates or {}) do
    if claim.metadata ~= nil and claim.metadata.name ~= nil and claim.metadata.name ~= '' then
      refs[#refs + 1] = { apiVersion = 'v1', kind = 'PersistentVolumeClaim', namespace = obj.metadata.namespace, name = claim.metadata.name }
    end
  end
  return refs
end`,
});

const volcanoCounters = ['minAvailable', 'pending', 'running', 'succeeded', 'failed', 'terminating', 'unknown', 'retryCount'];

/** Volcano: every phase but Failed (and none yet) is healthy or on its way */
const volcanoJob = customization('batch.volcano.sh/v1alpha1', 'Job', {
  healthInterpretation: `local fine = { Running = true, Completed = true, Pending = true, Aborting = true, Aborted = true, Restarting = true, Completing = true, Terminating = true, Terminated = true }
function InterpretHealth(observedObj)
  if observedObj.status == nil or observedObj.status.state == nil then return false end
  return fine[observedObj.status.state.phase] == true
end`,
  // one component per task: minAvailable pods (1 by default) of the task's template
  componentResource: `local kube = require("kube")
function GetComponents(obj)
  local components = {}
  if obj.spec == nil or obj.spec.tasks == nil then return components end
  for _, task in ipairs(obj.spec.tasks) do
    local replicas = tonumber(task.minAvailable) or 1
    if task.minAvailable == '' then replicas = 1 end
    components[#components + 1] = { name = task.name, replicas = replicas, replicaRequirements = kube.accuratePodRequirements(task.template) }
  end
  return components
end`,
  // counts summed (version the highest), state from the last member, the longest runningDuration,
  // task phases summed per task, conditions joined; zeros, '' and '0s' left out as Karmada's omitEmpty does
  statusAggregation: `local counters = ${luaList(volcanoCounters)}
local function seconds(d)
  if type(d) == 'number' then return d end
  if type(d) ~= 'string' then return 0 end
  local total = 0
  for num, unit in string.gmatch(d, '([%d%.]+)([hms])') do
    local n = tonumber(num)
    if unit == 'h' then total = total + n * 3600 elseif unit == 'm' then total = total + n * 60 else total = total + n end
  end
  if total > 0 then return total end
  return tonumber(d) or 0
end
local function omitEmpty(t)
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
end
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  local status = { state = {}, taskStatusCount = {}, version = 0, controlledResources = {}, conditions = {}, runningDuration = '0s' }
  for _, f in ipairs(counters) do status[f] = 0 end
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      for _, f in ipairs(counters) do status[f] = status[f] + (s[f] or 0) end
      status.version = math.max(status.version, s.version or 0)
      status.state = s.state
      if seconds(s.runningDuration) > seconds(status.runningDuration) then status.runningDuration = s.runningDuration end
      for task, counts in pairs(s.taskStatusCount or {}) do
        if status.taskStatusCount[task] == nil then status.taskStatusCount[task] = { phase = {} } end
        local phases = status.taskStatusCount[task].phase
        for phase, n in pairs(counts.phase or {}) do phases[phase] = (phases[phase] or 0) + n end
      end
      for k, v in pairs(s.controlledResources or {}) do status.controlledResources[k] = v end
      for _, c in ipairs(s.conditions or {}) do status.conditions[#status.conditions + 1] = c end
    end
  end
  desiredObj.status = omitEmpty(status) or {}
  return desiredObj
end`,
  statusReflection: `local fields = ${luaList([...volcanoCounters, 'version', 'runningDuration', 'state', 'taskStatusCount', 'controlledResources', 'conditions'])}
function ReflectStatus(observedObj)
  local status = {}
  if observedObj == nil or observedObj.status == nil then return status end
  for _, f in ipairs(fields) do status[f] = observedObj.status[f] end
  return status
end`,
});

const sparkStatusFields = ['applicationState', 'driverInfo', 'executorState', 'sparkApplicationId', 'completionTime', 'lastSubmissionAttemptTime', 'submissionAttempts', 'executionAttempts', 'submissionID', 'terminationTime'];

/**
 * Spark: the driver (one pod) and the executors (instances, raised to the dynamic allocation's
 * initial and minimum counts), each asking for its cores, its JVM memory plus overhead (given, or a
 * share of the memory, at least 384Mi) and its GPUs, placed by its own node selector, tolerations
 * and required node affinity.
 */
const sparkComponents = `local MIN_OVERHEAD = 384 * 1024 * 1024
local javaUnits = { b = 1, k = 1024, kb = 1024, m = 1024 ^ 2, mb = 1024 ^ 2, g = 1024 ^ 3, gb = 1024 ^ 3, t = 1024 ^ 4, tb = 1024 ^ 4 }
local kubeUnits = { { 1024 ^ 4, 'Ti' }, { 1024 ^ 3, 'Gi' }, { 1024 ^ 2, 'Mi' }, { 1024, 'Ki' } }
local function number(v, default)
  if v == nil or v == '' then return default end
  return tonumber(v) or default
end
local function quantity(n)
  if n == nil then return nil end
  if n == math.floor(n) then return string.format('%d', n) end
  return string.format('%dm', math.floor(n * 1000 + 0.5))
end
local function javaBytes(text)
  if text == nil then return 0 end
  local value, unit = tostring(text):lower():match('^(%d+%.?%d*)([a-z]*)$')
  if value == nil or tonumber(value) == nil then return 0 end
  return tonumber(value) * (javaUnits[unit] or 1)
end
-- the largest binary unit that states the bytes exactly (Mi rounded down), else Ki rounded up
local function kubeBytes(bytes)
  for _, u in ipairs(kubeUnits) do
    if bytes >= u[1] then
      local scaled = bytes / u[1]
      if u[2] == 'Mi' then return string.format('%d%s', math.floor(scaled), u[2]) end
      if scaled == math.floor(scaled) then return string.format('%d%s', scaled, u[2]) end
    end
  end
  return string.format('%dKi', math.max(math.ceil(bytes / 1024), 1))
end
local function role(spec, factor, name, replicas)
  spec = spec or {}
  local memory = javaBytes(spec.memory)
  local overhead
  if spec.memoryOverhead ~= nil then overhead = javaBytes(spec.memoryOverhead) else overhead = math.max(memory * factor, MIN_OVERHEAD) end
  local requires = { resourceRequest = { cpu = quantity(tonumber(spec.cores)), memory = kubeBytes(memory + overhead) } }
  if spec.gpu ~= nil and spec.gpu.name ~= nil and spec.gpu.name ~= '' and number(spec.gpu.quantity, 0) > 0 then
    requires.resourceRequest[spec.gpu.name] = quantity(number(spec.gpu.quantity, 0))
  end
  local hard = nil
  if spec.affinity ~= nil and spec.affinity.nodeAffinity ~= nil then hard = spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution end
  if spec.nodeSelector ~= nil or spec.tolerations ~= nil or hard ~= nil then
    requires.nodeClaim = { nodeSelector = spec.nodeSelector, tolerations = spec.tolerations, hardNodeAffinity = hard }
  end
  if spec.priorityClassName ~= nil and spec.priorityClassName ~= '' then requires.priorityClassName = spec.priorityClassName end
  return { name = name, replicas = replicas, replicaRequirements = requires }
end
function GetComponents(obj)
  local spec = obj.spec or {}
  local factor = 0.40
  if string.lower(spec.type or '') == 'java' then factor = 0.10 end
  factor = number(spec.memoryOverheadFactor, factor)
  local executors = number(spec.executor and spec.executor.instances, 1)
  local dynamic = spec.dynamicAllocation
  if dynamic ~= nil and dynamic.enabled then
    executors = math.max(executors, number(dynamic.initialExecutors, 1), number(dynamic.minExecutors, 1))
  end
  return { role(spec.driver, factor, 'driver', 1), role(spec.executor, factor, 'executor', executors) }
end`;

/**
 * One member: its status as it is. Several: the worst application state, attempts summed, the
 * latest submission and termination times.
 */
const sparkAggregation = `local rank = { UNKNOWN = 0, [''] = 0, SUBMITTED = 1, PENDING_RERUN = 1, COMPLETED = 2, SUSPENDING = 3, SUSPENDED = 3, RUNNING = 4, RESUMING = 4, SUCCEEDING = 4, INVALIDATING = 5, FAILING = 6, FAILED = 6, SUBMISSION_FAILED = 6 }
local fields = ${luaList(sparkStatusFields)}
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  local out = { sparkApplicationId = '', applicationState = {}, driverInfo = {}, executionAttempts = 0, executorState = {}, submissionAttempts = 0, lastSubmissionAttemptTime = '', submissionID = '', terminationTime = '' }
  if #statusItems == 1 then
    local s = statusItems[1].status
    if s ~= nil then
      out = {}
      for _, f in ipairs(fields) do out[f] = s[f] end
    end
  else
    local worst = -1
    for _, item in ipairs(statusItems) do
      local s = item.status
      if s ~= nil and s.applicationState ~= nil then
        local r = rank[s.applicationState.state] or 0
        if r > worst then worst, out.applicationState = r, s.applicationState end
        out.executionAttempts = out.executionAttempts + (s.executionAttempts or 0)
        out.submissionAttempts = out.submissionAttempts + (s.submissionAttempts or 0)
        if s.lastSubmissionAttemptTime and (out.lastSubmissionAttemptTime == '' or s.lastSubmissionAttemptTime > out.lastSubmissionAttemptTime) then out.lastSubmissionAttemptTime = s.lastSubmissionAttemptTime end
        if s.terminationTime and (out.terminationTime == '' or s.terminationTime > out.terminationTime) then out.terminationTime = s.terminationTime end
      end
    end
  end
  for _, f in ipairs(fields) do desiredObj.status[f] = out[f] end
  return desiredObj
end`;

/** Spark: only a FAILED application is unhealthy */
const sparkApplication = customization('sparkoperator.k8s.io/v1beta2', 'SparkApplication', {
  healthInterpretation: `function InterpretHealth(observedObj)
  local s = observedObj.status
  if s == nil or s.applicationState == nil or s.applicationState.state == nil then return false end
  return s.applicationState.state ~= 'FAILED'
end`,
  componentResource: sparkComponents,
  statusAggregation: sparkAggregation,
  statusReflection: reflectFields(sparkStatusFields),
});

/** Kubeflow Notebook: one pod; healthy while its container runs, is being created, or ended cleanly */
const notebook = customization('kubeflow.org/v1', 'Notebook', {
  replicaResource: `local kube = require("kube")
function GetReplicas(obj)
  return 1, kube.accuratePodRequirements(obj.spec.template)
end`,
  healthInterpretation: `local badExits = { Error = true, OOMKilled = true, ContainerCannotRun = true }
function InterpretHealth(observedObj)
  if observedObj.status == nil or observedObj.status.containerState == nil then return false end
  local state = observedObj.status.containerState
  if state.running ~= nil then return true end
  if state.waiting ~= nil then return state.waiting.reason == "ContainerCreating" end
  if state.terminated ~= nil then
    return not badExits[state.terminated.reason or ""] and (state.terminated.exitCode or 0) == 0
  end
  return false
end`,
  // ready pods summed, the container state of the last member reporting, conditions joined
  statusAggregation: `function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  local status = { readyReplicas = 0, containerState = {}, conditions = {} }
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      status.readyReplicas = status.readyReplicas + (s.readyReplicas or 0)
      status.containerState = s.containerState or {}
      for _, c in ipairs(s.conditions or {}) do status.conditions[#status.conditions + 1] = c end
    end
  end
  desiredObj.status = status
  return desiredObj
end`,
  statusReflection: `function ReflectStatus(observedObj)
  if observedObj.status == nil then return {} end
  local s = observedObj.status
  local status = { readyReplicas = s.readyReplicas or 0, containerState = s.containerState or {}, conditions = {} }
  if type(s.conditions) == 'table' then status.conditions = s.conditions end
  return status
end`,
});

/**
 * Flink: the job manager and the task managers (spec.taskManager.replicas, else the job's parallelism
 * over the task slots, else 1) share the common pod template's placement. Resource figures are
 * numbers in the spec (cpu) or Flink memory strings; they are handed on as Kubernetes quantities.
 */
const flinkCommon = `local kube = require("kube")
local function isempty(v) return v == nil or v == '' end
local function get(obj, ...)
  local cur = obj
  for _, k in ipairs({ ... }) do
    if cur == nil then return nil end
    cur = cur[k]
  end
  return cur
end
local function quantity(n)
  if n == nil then return nil end
  if n == math.floor(n) then return string.format('%d', n) end
  return string.format('%dm', math.floor(n * 1000 + 0.5))
end
local function taskManagers(obj)
  local tm = tonumber(get(obj, 'spec', 'taskManager', 'replicas'))
  if tm ~= nil then return tm end
  local parallelism = tonumber(get(obj, 'spec', 'job', 'parallelism'))
  local slots = tonumber(get(obj, 'spec', 'flinkConfiguration', 'taskmanager.numberOfTaskSlots'))
  if parallelism == nil or slots == nil or slots == 0 then return 1 end
  return math.ceil(parallelism / slots)
end
local function placement(obj, requires)
  local pod = get(obj, 'spec', 'podTemplate', 'spec')
  if pod == nil then return end
  if pod.nodeSelector ~= nil or pod.tolerations ~= nil then
    requires.nodeClaim = { nodeSelector = pod.nodeSelector, tolerations = pod.tolerations }
  end
  if not isempty(pod.priorityClassName) then requires.priorityClassName = pod.priorityClassName end
end`;

const flinkStatusFields = ['clusterInfo', 'error', 'jobManagerDeploymentStatus', 'jobStatus', 'observedGeneration', 'lifecycleState', 'reconciliationStatus', 'taskManager'];

const flinkDeployment = customization('flink.apache.org/v1beta1', 'FlinkDeployment', {
  // one replica count for both managers; until requirements can differ per template, the larger cpu and memory
  replicaResource: `${flinkCommon}
function GetReplicas(obj)
  local jm = tonumber(get(obj, 'spec', 'jobManager', 'replicas')) or 1
  local requires = { resourceRequest = {} }
  local jmCpu, tmCpu = tonumber(get(obj, 'spec', 'jobManager', 'resource', 'cpu')), tonumber(get(obj, 'spec', 'taskManager', 'resource', 'cpu'))
  if jmCpu ~= nil or tmCpu ~= nil then requires.resourceRequest.cpu = quantity(math.max(jmCpu or 0, tmCpu or 0)) end
  local jmMem, tmMem = get(obj, 'spec', 'jobManager', 'resource', 'memory'), get(obj, 'spec', 'taskManager', 'resource', 'memory')
  if kube.getResourceQuantity(jmMem) > kube.getResourceQuantity(tmMem) then requires.resourceRequest.memory = jmMem else requires.resourceRequest.memory = tmMem end
  placement(obj, requires)
  if not isempty(obj.metadata.namespace) then requires.namespace = obj.metadata.namespace end
  return jm + taskManagers(obj), requires
end`,
  componentResource: `${flinkCommon}
local function component(obj, name, manager, replicas)
  local requires = { resourceRequest = {
    cpu = quantity(tonumber(get(obj, 'spec', manager, 'resource', 'cpu'))),
    memory = quantity(kube.getResourceQuantity(get(obj, 'spec', manager, 'resource', 'memory'))),
  } }
  placement(obj, requires)
  return { name = name, replicas = replicas, replicaRequirements = requires }
end
function GetComponents(obj)
  return {
    component(obj, 'jobmanager', 'jobManager', tonumber(get(obj, 'spec', 'jobManager', 'replicas')) or 1),
    component(obj, 'taskmanager', 'taskManager', taskManagers(obj)),
  }
end`,
  // Karmada v1.19: up, ended or briefly in between is healthy; an ephemeral state only with a user
  // error (an image or crash loop problem rescheduling would not fix); no job state: steady only
  healthInterpretation: `local allowlist = { 'ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff' }
local terminal = { FINISHED = true, FAILED = true, CANCELED = true, SUSPENDED = true }
local shortlived = { CANCELLING = true, FAILING = true, RESTARTING = true }
local ephemeral = { CREATED = true, INITIALIZING = true, RECONCILING = true }
local function userError(err)
  if err == nil or err == '' then return false end
  for _, e in ipairs(allowlist) do
    if string.find(err, e, 1, true) then return true end
  end
  return false
end
function InterpretHealth(observedObj)
  local s = observedObj.status or {}
  local state = (s.jobStatus or {}).state
  if state == nil then return s.jobManagerDeploymentStatus == 'READY' and s.lifecycleState == 'STABLE' end
  if state == 'RUNNING' or terminal[state] or shortlived[state] then return true end
  if ephemeral[state] then return userError(s.error) end
  return false
end`,
  // the last member with a status speaks for the deployment
  statusAggregation: `local fields = ${luaList(flinkStatusFields)}
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  local last = { clusterInfo = {}, error = '', jobManagerDeploymentStatus = '', jobStatus = {}, lifecycleState = '', observedGeneration = 0, reconciliationStatus = {}, taskManager = {} }
  for _, item in ipairs(statusItems) do
    if item.status ~= nil then
      last = {}
      for _, f in ipairs(fields) do last[f] = item.status[f] end
    end
  end
  for _, f in ipairs(fields) do desiredObj.status[f] = last[f] end
  return desiredObj
end`,
  statusReflection: reflectFields(flinkStatusFields),
});

export const batchCustomizations: ResourceInterpreterCustomization[] = [workflow, volcanoJob, sparkApplication, notebook, flinkDeployment];
