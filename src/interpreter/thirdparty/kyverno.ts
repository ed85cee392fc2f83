// Kyverno policies (kyverno.io/v1 ClusterPolicy and Policy), with the behaviour of Karmada's
// built-in customizations for them.
import type { ResourceInterpreterCustomization } from '../lua/customization.js';
import { customization, mergeConditionsLua, reflectFields } from './lua.js';

const health = `function InterpretHealth(observedObj)
  local s = observedObj.status
  if s ~= nil and s.ready ~= nil then return s.ready end
  if s ~= nil and s.conditions ~= nil then
    for _, c in ipairs(s.conditions) do
      if c.type == 'Ready' and c.status == 'True' and c.reason == 'Succeeded' then return true end
    end
  end
  return false
end`;

/** autogen and ready from the last member reporting them, rule counts summed, conditions merged */
const aggregate = `${mergeConditionsLua}
local kinds = { 'validate', 'generate', 'mutate', 'verifyimages' }
function AggregateStatus(desiredObj, statusItems)
  if statusItems == nil then return desiredObj end
  local status = { conditions = {} }
  local rulecount = {}
  for _, k in ipairs(kinds) do rulecount[k] = 0 end
  local conditions = {}
  for _, item in ipairs(statusItems) do
    local s = item.status
    if s ~= nil then
      if s.autogen ~= nil then status.autogen = s.autogen end
      if s.ready ~= nil then status.ready = s.ready end
      if s.rulecount ~= nil then
        for _, k in ipairs(kinds) do rulecount[k] = rulecount[k] + (s.rulecount[k] or 0) end
      end
    end
    mergeConditions(conditions, item)
  end
  status.rulecount = rulecount
  status.conditions = conditions
  desiredObj.status = status
  return desiredObj
end`;

export const kyvernoCustomizations: ResourceInterpreterCustomization[] = ['ClusterPolicy', 'Policy'].map((kind) =>
  customization('kyverno.io/v1', kind, {
    healthInterpretation: health,
    statusAggregation: aggregate,
    statusReflection: reflectFields(['ready', 'conditions', 'autogen', 'rulecount']),
  }),
);
