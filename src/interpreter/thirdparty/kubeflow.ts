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
    healthInterpretation: noFailedCondition(false),
    dependencyInterpretation: templateDependencies('pytorchReplicaSpecs', pytorch.map((t) => t.key)),
  }),
  customization('kubeflow.org/v1', 'TFJob', {
    componentResource: components('tfReplicaSpecs', tf),
    healthInterpretation: noFailedCondition(false),
    dependencyInterpretation: templateDependencies('tfReplicaSpecs', tf.map((t) => t.key)),
  }),
  customization('kubeflow.org/v2beta1', 'MPIJob', {
    componentResource: mpiComponents,
    healthInterpretation: noFailedCondition(true),
  }),
];
