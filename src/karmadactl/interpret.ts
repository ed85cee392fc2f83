// `karmadactl interpret` (pkg/karmadactl/interpret, pkg/util/interpreter/rule.go): run or check the Lua
// rules of a ResourceInterpreterCustomization locally, with karmada-ts's own interpreter
// (src/interpreter/lua): --check reports PASS/ERROR/UNSET per rule; --operation runs one rule on
// --desired-file / --observed-file / --status-file / --desired-replica and prints each result as YAML.
import { stringify } from 'yaml';
import type { KubeObject } from '../apimachinery/types.js';
import type { AggregatedStatusItem } from '../apis/karmada/binding.js';
import {
  createDefaultInterpreter,
  createThirdPartyLayer,
  InterpreterOperation,
  LuaCustomizationLayer,
  type CustomizationField,
  type ResourceInterpreter,
  type ResourceInterpreterCustomization,
} from '../interpreter/index.js';

/** Karmada's rules, in its order: operation name and the customization field holding its script */
const interpretRules: { name: string; field: CustomizationField }[] = [
  { name: 'Retain', field: 'retention' },
  { name: 'InterpretReplica', field: 'replicaResource' },
  { name: 'InterpretComponent', field: 'componentResource' },
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
        const script = ric.spec.customizations?.[r.field]?.luaScript;
        const label = `    ${`${r.name}:`.padEnd(width + 3)}`;
        if (!script) {
          text += `${label}UNSET\n`;
          continue;
        }
        const problem = problems.find((p) => p.field === r.field);
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

interface ExecuteArgs {
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

/** an interpreter the command runs rules with: a customization's Lua layer, or the built-in chain */
type RuleInterpreter = ResourceInterpreter & { getComponents?(obj: KubeObject): unknown[] };

/** runs one rule of a customization; its named results (as Karmada's RuleResult) */
export async function executeRule(customization: ResourceInterpreterCustomization, operation: string, a: ExecuteArgs): Promise<{ name: string; value: unknown }[]> {
  const rule = findRule(operation);
  const layer = await LuaCustomizationLayer.create();
  try {
    const problems = layer.load([customization]);
    const problem = problems.find((p) => p.field === (rule.field ?? 'componentResource'));
    if (problem) throw new Error(problem.message);
    return runRule(layer, rule.name, a);
  } finally {
    layer.close();
  }
}

/** beyond Karmada: without -f, the rule as karmada-ts interprets the object itself (third-party, then native) */
export async function executeBuiltinRule(operation: string, a: ExecuteArgs): Promise<{ name: string; value: unknown }[]> {
  const rule = findRule(operation);
  const thirdparty = await createThirdPartyLayer({}, a.desired ?? a.observed);
  try {
    return runRule(createDefaultInterpreter({ thirdparty }), rule.name, a, thirdparty);
  } finally {
    thirdparty.close();
  }
}

function runRule(interpreter: RuleInterpreter, name: string, a: ExecuteArgs, components?: RuleInterpreter): { name: string; value: unknown }[] {
  const enabled = (obj: KubeObject, operation: InterpreterOperation) => {
    if (!interpreter.hookEnabled({ ...gv(obj), kind: obj.kind! }, operation)) throw new Error('rule is not enabled');
  };
  switch (name) {
    case 'Retain': {
      if (!a.desired) throw new Error('desired, desired-file options are not set');
      if (!a.observed) throw new Error('observed, observed-file options are not set');
      enabled(a.desired, InterpreterOperation.Retain);
      return [{ name: 'retained', value: interpreter.retain(a.desired, a.observed) }];
    }
    case 'InterpretReplica': {
      const obj = oneObject(a);
      enabled(obj, InterpreterOperation.InterpretReplica);
      const r = interpreter.getReplicas(obj);
      return [
        { name: 'replica', value: r.replicas },
        { name: 'requires', value: r.requirements ?? null },
      ];
    }
    case 'InterpretComponent': {
      const obj = oneObject(a);
      const source = components ?? interpreter;
      if (!source.getComponents || !source.hookEnabled({ ...gv(obj), kind: obj.kind! }, InterpreterOperation.InterpretComponent)) throw new Error('rule is not enabled');
      return [{ name: 'components', value: source.getComponents(obj) }];
    }
    case 'ReviseReplica': {
      const obj = oneObject(a);
      enabled(obj, InterpreterOperation.ReviseReplica);
      return [{ name: 'revised', value: interpreter.reviseReplica(obj, a.replica ?? 0) }];
    }
    case 'InterpretStatus': {
      const obj = oneObject(a);
      enabled(obj, InterpreterOperation.InterpretStatus);
      return [{ name: 'status', value: interpreter.reflectStatus(obj) ?? null }];
    }
    case 'AggregateStatus': {
      const obj = oneObject(a);
      enabled(obj, InterpreterOperation.AggregateStatus);
      return [{ name: 'aggregatedStatus', value: interpreter.aggregateStatus(obj, a.status ?? []) }];
    }
    case 'InterpretHealth': {
      const obj = oneObject(a);
      enabled(obj, InterpreterOperation.InterpretHealth);
      const health = interpreter.interpretHealth(obj);
      if (health === 'Unknown') throw new Error('the health rule failed');
      return [{ name: 'healthy', value: health === 'Healthy' }];
    }
    case 'InterpretDependency': {
      const obj = oneObject(a);
      enabled(obj, InterpreterOperation.InterpretDependency);
      return [{ name: 'dependencies', value: interpreter.getDependencies(obj) }];
    }
  }
  throw new Error(`${name} is not supported by karmada-ts yet`);
}

function gv(obj: KubeObject): { group: string; version: string } {
  const v = obj.apiVersion ?? '';
  return v.includes('/') ? { group: v.split('/')[0]!, version: v.split('/')[1]! } : { group: '', version: v };
}

/** printExecuteResult's layout */
export function formatResults(results: { name: string; value: unknown }[]): string {
  return results.map((r, i) => `---\n# [${i + 1}/${results.length}] ${r.name}:\n${stringify(r.value)}`).join('');
}
