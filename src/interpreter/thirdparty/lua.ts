// Building blocks of the third-party customizations (Karmada's default/thirdparty
// resourcecustomizations): Lua scripts written here, for the kinds whose rules have the same shape
// (a replica count and a pod template, status counters summed over members).
import type { CustomizationField, ResourceInterpreterCustomization } from '../lua/customization.js';

type Scripts = Partial<Record<CustomizationField, string>>;

export function customization(apiVersion: string, kind: string, scripts: Scripts): ResourceInterpreterCustomization {
  const customizations: ResourceInterpreterCustomization['spec']['customizations'] = {};
  for (const [field, luaScript] of Object.entries(scripts) as [CustomizationField, string][]) customizations[field] = { luaScript };
  return {
    apiVersion: 'config.karmada.io/v1alpha1',
    kind: 'ResourceInterpreterCustomization',
    metadata: { name: `thirdparty-${apiVersion.replace(/[/.]/g, '-')}-${kind.toLowerCase()}` },
    spec: { target: { apiVersion, kind }, customizations },
  };
}

const luaList = (names: readonly string[]) => `{ ${names.map((n) => JSON.stringify(n)).join(', ')} }`;

/** replicas at `path` (a Lua expression on obj) and the requirements of the pod template at `template` */
export function replicasFrom(path = 'obj.spec.replicas', template = 'obj.spec.template'): string {
  return `local kube = require("kube")
function GetReplicas(obj)
  local replicas = ${path}
  if replicas == nil then replicas = 1 end
  return replicas, kube.accuratePodRequirements(${template})
end`;
}

/** sets spec.replicas */
export const reviseSpecReplicas = `function ReviseReplica(obj, desiredReplica)
  obj.spec.replicas = desiredReplica
  return obj
end`;

/** the pod template's ConfigMaps, Secrets, ServiceAccount and PVCs */
export function podDependencies(template = 'obj.spec.template'): string {
  return `local kube = require("kube")
function GetDependencies(obj)
  return kube.getPodDependencies(${template}, obj.metadata.namespace)
end`;
}

/** copies the named status fields of the member object */
export function reflectFields(fields: readonly string[]): string {
  return `local fields = ${luaList(fields)}
function ReflectStatus(observedObj)
  local status = {}
  if observedObj == nil or observedObj.status == nil then return status end
  for _, f in ipairs(fields) do status[f] = observedObj.status[f] end
  return status
end`;
}

/**
 * Counters summed over members, text fields taken from the last member that has them (or ''),
 * observedGeneration from the last member reporting one, else the template's generation.
 */
export function aggregateCounters(sums: readonly string[], texts: readonly string[] = []): string {
  return `local sums = ${luaList(sums)}
local texts = ${luaList(texts)}
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  if desiredObj.status == nil then desiredObj.status = {} end
  if desiredObj.metadata.generation == nil then desiredObj.metadata.generation = 0 end
  local generation = desiredObj.metadata.generation
  local total, last = {}, {}
  for _, f in ipairs(sums) do total[f] = 0 end
  for _, f in ipairs(texts) do last[f] = '' end
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      for _, f in ipairs(sums) do
        if s[f] ~= nil then total[f] = total[f] + s[f] end
      end
      for _, f in ipairs(texts) do
        if s[f] ~= nil and s[f] ~= '' then last[f] = s[f] end
      end
      if s.observedGeneration ~= nil and s.observedGeneration ~= '' then generation = s.observedGeneration end
    end
  end
  desiredObj.status.observedGeneration = generation
  for _, f in ipairs(sums) do desiredObj.status[f] = total[f] end
  for _, f in ipairs(texts) do desiredObj.status[f] = last[f] end
  return desiredObj
end`;
}

/** up to date (observedGeneration), every desired replica updated, every updated one available */
export const rolloutHealth = `function InterpretHealth(observedObj)
  local status = observedObj.status
  if status.observedGeneration ~= observedObj.metadata.generation then return false end
  if observedObj.spec.replicas ~= nil and status.updatedReplicas < observedObj.spec.replicas then return false end
  if status.availableReplicas < status.updatedReplicas then return false end
  return true
end`;
