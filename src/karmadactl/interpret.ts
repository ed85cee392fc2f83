// `karmadactl interpret` (pkg/karmadactl/interpret, pkg/util/interpreter/rule.go): run or check the Lua
// rules of a ResourceInterpreterCustomization locally, with karmada-ts's own interpreter
// (src/interpreter/lua): --check reports PASS/ERROR/UNSET per rule; --operation runs one rule on
// --desired-file / --observed-file / --status-file / --desired-replica and prints each result as YAML.
import { stringify } from 'yaml';
import type { KubeObject } from '../apimachinery/types.js';
import type { AggregatedStatusItem } from '../apis/karmada/binding.js';
import { LuaCustomizationLayer, LuaVM, customizationRules, type CustomizationField, type ResourceInterpreterCustomization } from '../interpreter/index.js';

/** Karmada's rules, in its order: operation name and the customization field holding its script */
const interpretRules: { name: string; field?: CustomizationField }[] = [
  { name: 'Retain', field: 'retention' },
  { name: 'InterpretReplica', field: 'replicaResource' },
  { name: 'InterpretComponent' },
  { name: 'ReviseReplica', field: 'replicaRevision' },
  { name: 'InterpretStatus', field: 'statusReflection' },
  { name: 'AggregateStatus', field: 'statusAggregation' },
  { name: 'InterpretHealth', field: 'healthInterpretation' },
  { name: 'InterpretDependency', field: 'dependencyInterpretation' },
];

export function findRule(operation: string): (typeof interpretRules)[number] {
  const r = interpretRules.find((x) => x.name.toLowerCase() === operation.toLowerCase());
  if (!r) throw new Error(`operation ${operation} is not supported. Use one of: ${interpretRules.map((x) => x.name).join(', ')}`);
  return r;
}

export function asCustomization(obj: KubeObject): ResourceInterpreterCustomization {
  if (obj.kind !== 'ResourceInterpreterCustomization' || !String(obj.apiVersion).startsWith('config.karmada.io/')) {
    throw new Error(`not a ResourceInterpreterCustomization, got ${obj.apiVersion ?? ''}, Kind=${obj.kind ?? ''}`);
  }
  return obj as unknown as ResourceInterpreterCustomization;
}

/** --check: the report for each customization, and whether any rule failed */
export async function checkCustomizations(items: { source: string; obj: KubeObject }[]): Promise<{ text: string; failed: boolean }> {
  let text = '';
  let failed = false;
  for (const { source, obj } of items) {
    text += '-----------------------------------\n';
    text += `SOURCE: ${obj.metadata?.name || source}\n`;
    let ric: ResourceInterpreterCustomization;
    try {
      ric = asCustomization(obj);
    } catch (err) {
      failed = true;
      text += `${(err as Error).message}\n`;
      continue;
    }
    if (!ric.spec?.target?.kind) {
      failed = true;
      text += 'target.kind no set\n';
      continue;
    }
    if (!ric.spec.target.apiVersion) {
      failed = true;
      text += 'target.apiVersion no set\n';
      continue;
    }
    text += `TARGET: ${ric.spec.target.apiVersion} ${ric.spec.target.kind}\n`;
    text += 'RULERS:\n';
    const layer = await LuaCustomizationLayer.create();
    try {
      const problems = layer.load([ric]);
      const width = Math.max(...interpretRules.map((r) => r.name.length)) + 1;
      for (const r of interpretRules) {
        const script = r.field ? ric.spec.customizations?.[r.field]?.luaScript : (ric.spec.customizations as Record<string, { luaScript?: string } | undefined>)?.componentResource?.luaScript;
        const label = `    ${`${r.name}:`.padEnd(width + 3)}`;
        if (!script) {
          text += `${label}UNSET\n`;
          continue;
        }
        const problem = r.field ? problems.find((p) => p.field === r.field) : await checkComponentScript(script);
        if (problem) {
          failed = true;
          text += `${label}ERROR: ${problem.message.trim()}\n`;
        } else text += `${label}PASS\n`;
      }
    } finally {
      layer.close();
    }
  }
  return { text, failed };
}

export interface ExecuteArgs {
  desired?: KubeObject;
  observed?: KubeObject;
  status?: AggregatedStatusItem[];
  replica?: number;
}

function oneObject(a: ExecuteArgs): KubeObject {
  if (!a.desired && !a.observed) throw new Error('desired-file, observed-file options are not set');
  if (a.desired && a.observed) throw new Error('you can not specify both desired-file and observed-file options');
  return (a.desired ?? a.observed)!;
}

/** runs one rule; its named results (as Karmada's RuleResult) */
export async function executeRule(customization: ResourceInterpreterCustomization, operation: string, a: ExecuteArgs): Promise<{ name: string; value: unknown }[]> {
  const rule = findRule(operation);
  if (!rule.field) throw new Error(`${rule.name} is not supported by karmada-ts yet`);
  const layer = await LuaCustomizationLayer.create();
  try {
    const problems = layer.load([customization]);
    const problem = problems.find((p) => p.field === rule.field);
    if (problem) throw new Error(problem.message);
    const enabled = (obj: KubeObject) => {
      if (!layer.hookEnabled({ ...gv(obj), kind: obj.kind! }, customizationRules[rule.field!].operation)) throw new Error('rule is not enabled');
    };
    switch (rule.field) {
      case 'retention': {
        if (!a.desired) throw new Error('desired, desired-file options are not set');
        if (!a.observed) throw new Error('observed, observed-file options are not set');
        enabled(a.desired);
        return [{ name: 'retained', value: layer.retain(a.desired, a.observed) }];
      }
      case 'replicaResource': {
        const obj = oneObject(a);
        enabled(obj);
        const r = layer.getReplicas(obj);
        return [
          { name: 'replica', value: r.replicas },
          { name: 'requires', value: r.requirements ?? null },
        ];
      }
      case 'replicaRevision': {
        const obj = oneObject(a);
        enabled(obj);
        return [{ name: 'revised', value: layer.reviseReplica(obj, a.replica ?? 0) }];
      }
      case 'statusReflection': {
        const obj = oneObject(a);
        enabled(obj);
        return [{ name: 'status', value: layer.reflectStatus(obj) ?? null }];
      }
      case 'statusAggregation': {
        const obj = oneObject(a);
        enabled(obj);
        return [{ name: 'aggregatedStatus', value: layer.aggregateStatus(obj, a.status ?? []) }];
      }
      case 'healthInterpretation': {
        const obj = oneObject(a);
        enabled(obj);
        return [{ name: 'healthy', value: layer.interpretHealth(obj) === 'Healthy' }];
      }
      case 'dependencyInterpretation': {
        const obj = oneObject(a);
        enabled(obj);
        return [{ name: 'dependencies', value: layer.getDependencies(obj) }];
      }
    }
    throw new Error(`${rule.name} is not supported by karmada-ts yet`);
  } finally {
    layer.close();
  }
}

function gv(obj: KubeObject): { group: string; version: string } {
  const v = obj.apiVersion ?? '';
  return v.includes('/') ? { group: v.split('/')[0]!, version: v.split('/')[1]! } : { group: '', version: v };
}

/** printExecuteResult's layout */
export function formatResults(results: { name: string; value: unknown }[]): string {
  return results.map((r, i) => `---\n# [${i + 1}/${results.length}] ${r.name}:\n${stringify(r.value)}`).join('');
}

/** componentResource is not run by karmada-ts yet; its script is still compiled and must define GetComponents */
async function checkComponentScript(script: string): Promise<{ message: string } | undefined> {
  const vm = await LuaVM.create();
  try {
    const id = vm.compile('componentResource', script);
    return vm.defines(id, 'GetComponents') ? undefined : { message: 'the script does not define function GetComponents' };
  } catch (err) {
    return { message: err instanceof Error ? err.message : String(err) };
  } finally {
    vm.close();
  }
}
