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

export const luaList = (names: readonly string[]) => `{ ${names.map((n) => JSON.stringify(n)).join(', ')} }`;

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
 * Counters summed over members, text fields taken from the last member that has them (or '').
 * observedGeneration becomes the template's generation once every member has both the manifest of
 * that generation (resourceTemplateGeneration) and reconciled it (its observedGeneration equals its
 * generation), else it stays; with no member list at all the counters are zeros at the template's
 * generation (Karmada v1.19's OpenKruise rules).
 */
export function aggregateCounters(sums: readonly string[], texts: readonly string[] = []): string {
  return `local sums = ${luaList(sums)}
local texts = ${luaList(texts)}
function AggregateStatus(desiredObj, statusItems)
  if desiredObj.status == nil then desiredObj.status = {} end
  if desiredObj.metadata.generation == nil then desiredObj.metadata.generation = 0 end
  if desiredObj.status.observedGeneration == nil then desiredObj.status.observedGeneration = 0 end
  if statusItems == nil then
    desiredObj.status.observedGeneration = desiredObj.metadata.generation
    for _, f in ipairs(sums) do desiredObj.status[f] = 0 end
    return desiredObj
  end
  local generation = desiredObj.metadata.generation
  local observedGeneration = desiredObj.status.observedGeneration
  local total, last, observed = {}, {}, 0
  for _, f in ipairs(sums) do total[f] = 0 end
  for _, f in ipairs(texts) do last[f] = '' end
  for _, item in ipairs(statusItems) do
    local s = item.status or {}
    for _, f in ipairs(sums) do
      if s[f] ~= nil then total[f] = total[f] + s[f] end
    end
    for _, f in ipairs(texts) do
      if s[f] ~= nil and s[f] ~= '' then last[f] = s[f] end
    end
    if (s.resourceTemplateGeneration or 0) == generation and (s.generation or 0) == (s.observedGeneration or 0) then observed = observed + 1 end
  end
  if observed == #statusItems then desiredObj.status.observedGeneration = generation else desiredObj.status.observedGeneration = observedGeneration end
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

/**
 * Conditions of every member merged into one list: a member's message is prefixed with its
 * cluster name, and conditions with the same type, status and reason are joined with ', '.
 * Defines the Lua function mergeConditions(conditions, item).
 */
export const mergeConditionsLua = `local function mergeConditions(conditions, item)
  local s = item.status
  if s == nil or s.conditions == nil then return end
  for _, c in ipairs(s.conditions) do
    c.message = item.clusterName .. '=' .. (c.message or '')
    local merged = false
    for _, have in ipairs(conditions) do
      if have.type == c.type and have.status == c.status and have.reason == c.reason then
        have.message = have.message .. ', ' .. c.message
        merged = true
        break
      end
    end
    if not merged then conditions[#conditions + 1] = c end
  end
end`;

/** true when a condition of this type is True (and has this reason, when given) */
export function conditionHealth(type: string, reason?: string): string {
  return `function InterpretHealth(observedObj)
  if observedObj.status == nil or observedObj.status.conditions == nil then return false end
  for _, c in ipairs(observedObj.status.conditions) do
    if c.type == ${JSON.stringify(type)} and c.status == 'True'${reason ? ` and c.reason == ${JSON.stringify(reason)}` : ''} then return true end
  end
  return false
end`;
}

/** keeps the member's spec.suspend (a user suspends reconciliation in the member) */
export const retainSuspend = `function Retain(desiredObj, observedObj)
  if observedObj.spec ~= nil and observedObj.spec.suspend ~= nil then desiredObj.spec.suspend = observedObj.spec.suspend end
  return desiredObj
end`;

/** a dependency: a Lua expression on obj giving a name (nil or '' for none), of this kind */
interface NamedDependency {
  kind: 'Secret' | 'ConfigMap' | 'ServiceAccount';
  name: string;
}

/** the named objects (deduplicated, in order) plus the ones `extra` (Lua statements using add(kind, name)) adds */
export function namedDependencies(deps: readonly NamedDependency[], extra = ''): string {
  const guard = (expr: string) => {
    // a.b.c → a ~= nil and a.b ~= nil and a.b.c
    const parts = expr.split('.');
    const chain: string[] = [];
    for (let i = 2; i < parts.length; i++) chain.push(parts.slice(0, i).join('.'));
    return [...chain.map((c) => `${c} ~= nil`), `${expr} ~= nil`, `${expr} ~= ''`].join(' and ');
  };
  return `function GetDependencies(obj)
  local refs, seen = {}, {}
  local function add(kind, name)
    if name == nil or name == '' or seen[kind .. '/' .. name] then return end
    seen[kind .. '/' .. name] = true
    refs[#refs + 1] = { apiVersion = 'v1', kind = kind, namespace = obj.metadata.namespace, name = name }
  end
${deps.map((d) => `  if ${guard(d.name)} then add(${JSON.stringify(d.kind)}, ${d.name}) end`).join('\n')}
${extra}
  return refs
end`;
}

/** copies status fields and reports generation and the template generation it was made from */
export function reflectWithGeneration(fields: readonly string[]): string {
  return `local fields = ${luaList(fields)}
function ReflectStatus(observedObj)
  local status = {}
  if observedObj == nil or observedObj.status == nil then return status end
  for _, f in ipairs(fields) do status[f] = observedObj.status[f] end
  if observedObj.metadata == nil then return status end
  status.generation = observedObj.metadata.generation
  if observedObj.metadata.annotations == nil then return status end
  local templateGeneration = tonumber(observedObj.metadata.annotations["resourcetemplate.karmada.io/generation"])
  if templateGeneration ~= nil then status.resourceTemplateGeneration = templateGeneration end
  return status
end`;
}

/**
 * Flux-style aggregation: conditions merged, `texts` from the last member that has them (else ''),
 * `tables` from the last member that has them (else {}), `counters` summed; observedGeneration is
 * the template's generation once every member reconciled it, else it stays.
 */
export function aggregateReconciled(opts: { texts?: readonly string[]; tables?: readonly string[]; counters?: readonly string[] }): string {
  const texts = opts.texts ?? [];
  const tables = opts.tables ?? [];
  const counters = opts.counters ?? [];
  return `${mergeConditionsLua}
local texts = ${luaList(texts)}
local tables = ${luaList(tables)}
local counters = ${luaList(counters)}
function AggregateStatus(desiredObj, statusItems)
  if desiredObj.status == nil then desiredObj.status = {} end
  if desiredObj.metadata.generation == nil then desiredObj.metadata.generation = 0 end
  if desiredObj.status.observedGeneration == nil then desiredObj.status.observedGeneration = 0 end
  local generation = desiredObj.metadata.generation
  local status = desiredObj.status
  local conditions = {}
  for _, f in ipairs(texts) do status[f] = '' end
  for _, f in ipairs(tables) do status[f] = {} end
  for _, f in ipairs(counters) do status[f] = 0 end
  if statusItems == nil then
    status.conditions = conditions
    status.observedGeneration = generation
    return desiredObj
  end
  local reconciled = 0
  for _, item in ipairs(statusItems) do
    local s = item.status or {}
    for _, f in ipairs(texts) do
      if s[f] ~= nil and s[f] ~= '' then status[f] = s[f] end
    end
    for _, f in ipairs(tables) do
      if s[f] ~= nil then status[f] = s[f] end
    end
    for _, f in ipairs(counters) do
      if s[f] ~= nil then status[f] = status[f] + s[f] end
    end
    mergeConditions(conditions, item)
    if (s.resourceTemplateGeneration or 0) == generation and (s.generation or 0) == (s.observedGeneration or 0) then reconciled = reconciled + 1 end
  end
  if reconciled == #statusItems then status.observedGeneration = generation end
  status.conditions = conditions
  return desiredObj
end`;
}
