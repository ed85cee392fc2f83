// The declarative layer: ResourceInterpreterCustomization objects (config.karmada.io/v1alpha1),
// each holding Lua scripts for one target kind, run with Karmada's function names and calling
// conventions (luavm/lua.go).
import type { GroupVersionKind, KubeObject } from '../../apimachinery/types.js';
import type { AggregatedStatusItem, ReplicaRequirements } from '../../apis/karmada/binding.js';
import { isObject } from '../native/object.js';
import {
  gvkKey,
  gvkOf,
  InterpreterError,
  InterpreterOperation,
  type DependentObjectReference,
  type InterpreterLayer,
  type ReflectedStatus,
  type ReplicaResult,
  type ResourceHealth,
} from '../types.js';
import { LuaScriptError, LuaVM, type LuaVMOptions } from './vm.js';

export interface CustomizationRule {
  luaScript: string;
}

export interface ResourceInterpreterCustomization {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; [k: string]: unknown };
  spec: {
    target: { apiVersion: string; kind: string };
    customizations: Partial<Record<CustomizationField, CustomizationRule>>;
  };
}

/** Each customization field, the Lua function its script must define, and the operation it serves. */
export const customizationRules = {
  retention: { fn: 'Retain', operation: InterpreterOperation.Retain },
  replicaResource: { fn: 'GetReplicas', operation: InterpreterOperation.InterpretReplica },
  replicaRevision: { fn: 'ReviseReplica', operation: InterpreterOperation.ReviseReplica },
  statusReflection: { fn: 'ReflectStatus', operation: InterpreterOperation.InterpretStatus },
  statusAggregation: { fn: 'AggregateStatus', operation: InterpreterOperation.AggregateStatus },
  healthInterpretation: { fn: 'InterpretHealth', operation: InterpreterOperation.InterpretHealth },
  dependencyInterpretation: { fn: 'GetDependencies', operation: InterpreterOperation.InterpretDependency },
} as const;
export type CustomizationField = keyof typeof customizationRules;

interface LoadedScript {
  id: string;
  fn: string;
  source: string;
}

/** A problem found while loading customizations, for events or admission messages. */
export interface CustomizationProblem {
  customization: string;
  field: CustomizationField;
  message: string;
}

export class LuaCustomizationLayer implements InterpreterLayer {
  /** gvkKey → operation → scripts (only dependencyInterpretation may have several) */
  private rules = new Map<string, Map<InterpreterOperation, LoadedScript[]>>();

  private constructor(private readonly vm: LuaVM) {}

  static async create(opts: LuaVMOptions = {}): Promise<LuaCustomizationLayer> {
    return new LuaCustomizationLayer(await LuaVM.create(opts));
  }

  /**
   * Replaces the loaded customizations. Scripts that do not compile or do not define their
   * function are skipped; when two customizations define the same operation for a kind, the one
   * whose name sorts first wins (Karmada's webhook refuses such pairs).
   */
  load(customizations: ResourceInterpreterCustomization[]): CustomizationProblem[] {
    const problems: CustomizationProblem[] = [];
    const next = new Map<string, Map<InterpreterOperation, LoadedScript[]>>();
    const sorted = [...customizations].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    for (const ric of sorted) {
      const name = ric.metadata.name ?? '';
      const target = ric.spec?.target;
      if (!target?.apiVersion || !target.kind) continue;
      const key = gvkKey(gvkOf(target));
      const ops = next.get(key) ?? new Map<InterpreterOperation, LoadedScript[]>();
      next.set(key, ops);
      for (const [field, rule] of Object.entries(ric.spec.customizations ?? {}) as [CustomizationField, CustomizationRule | undefined][]) {
        const spec = customizationRules[field];
        if (!spec || !rule?.luaScript) continue;
        const existing = ops.get(spec.operation) ?? [];
        if (existing.length > 0 && field !== 'dependencyInterpretation') {
          problems.push({ customization: name, field, message: `${spec.operation} for ${key} is already customized` });
          continue;
        }
        try {
          const id = this.vm.compile(`${name}/${field}`, rule.luaScript);
          if (!this.vm.defines(id, spec.fn)) {
            this.vm.drop(id);
            problems.push({ customization: name, field, message: `the script does not define function ${spec.fn}` });
            continue;
          }
          ops.set(spec.operation, [...existing, { id, fn: spec.fn, source: rule.luaScript }]);
        } catch (e) {
          problems.push({ customization: name, field, message: e instanceof Error ? e.message : String(e) });
        }
      }
    }
    for (const ops of this.rules.values()) for (const scripts of ops.values()) for (const s of scripts) this.vm.drop(s.id);
    this.rules = next;
    return problems;
  }

  close(): void {
    this.vm.close();
  }

  hookEnabled(gvk: GroupVersionKind, operation: InterpreterOperation): boolean {
    return (this.rules.get(gvkKey(gvk))?.get(operation)?.length ?? 0) > 0;
  }

  private run(obj: KubeObject, operation: InterpreterOperation, args: unknown[]): unknown[] {
    const scripts = this.rules.get(gvkKey(gvkOf(obj)))?.get(operation) ?? [];
    if (scripts.length === 0) throw new InterpreterError(`no ${operation} customization for ${gvkKey(gvkOf(obj))}`, operation);
    return this.callScript(scripts[0], operation, args);
  }

  private callScript(script: LoadedScript, operation: InterpreterOperation, args: unknown[]): unknown[] {
    try {
      return this.vm.call(script.id, script.fn, args);
    } catch (e) {
      const message = e instanceof LuaScriptError ? e.message : String(e);
      throw new InterpreterError(`${operation}: ${script.fn} failed: ${message}`, operation);
    }
  }

  getReplicas(obj: KubeObject): ReplicaResult {
    const [replica, requires] = this.run(obj, InterpreterOperation.InterpretReplica, [obj]);
    if (typeof replica !== 'number' || !Number.isInteger(replica)) {
      throw new InterpreterError(`InterpretReplica: expect the returned replica type is int, got ${typeof replica}`, InterpreterOperation.InterpretReplica);
    }
    const out: ReplicaResult = { replicas: replica };
    if (isObject(requires)) out.requirements = normalizeRequirements(requires as ReplicaRequirements);
    return out;
  }

  reviseReplica(obj: KubeObject, replicas: number): KubeObject {
    return this.objectResult(this.run(obj, InterpreterOperation.ReviseReplica, [obj, replicas]), InterpreterOperation.ReviseReplica, obj);
  }

  retain(desired: KubeObject, observed: KubeObject): KubeObject {
    return this.objectResult(this.run(desired, InterpreterOperation.Retain, [desired, observed]), InterpreterOperation.Retain, desired, observed);
  }

  aggregateStatus(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject {
    return this.objectResult(this.run(obj, InterpreterOperation.AggregateStatus, [obj, items]), InterpreterOperation.AggregateStatus, obj);
  }

  reflectStatus(obj: KubeObject): ReflectedStatus | undefined {
    const [status] = this.run(obj, InterpreterOperation.InterpretStatus, [obj]);
    if (status === null || status === undefined) return undefined;
    if (!isObject(status)) {
      throw new InterpreterError(`InterpretStatus: expect the returned status type is table, got ${typeof status}`, InterpreterOperation.InterpretStatus);
    }
    return restoreEmptyArrays(status, obj.status) as ReflectedStatus;
  }

  interpretHealth(obj: KubeObject): ResourceHealth {
    const [healthy] = this.run(obj, InterpreterOperation.InterpretHealth, [obj]);
    if (typeof healthy !== 'boolean') {
      throw new InterpreterError(`InterpretHealth: expect the returned requires type is boolean, got ${typeof healthy}`, InterpreterOperation.InterpretHealth);
    }
    return healthy ? 'Healthy' : 'Unhealthy';
  }

  /** Every dependencyInterpretation script contributes; duplicates are dropped. */
  getDependencies(obj: KubeObject): DependentObjectReference[] {
    const scripts = this.rules.get(gvkKey(gvkOf(obj)))?.get(InterpreterOperation.InterpretDependency) ?? [];
    const seen = new Set<string>();
    const out: DependentObjectReference[] = [];
    for (const script of scripts) {
      const [deps] = this.callScript(script, InterpreterOperation.InterpretDependency, [obj]);
      for (const dep of dependencyList(deps)) {
        const key = JSON.stringify([dep.apiVersion, dep.kind, dep.namespace, dep.name, dep.labelSelector]);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(dep);
      }
    }
    return out;
  }

  private objectResult(results: unknown[], operation: InterpreterOperation, ...references: unknown[]): KubeObject {
    const [value] = results;
    if (!isObject(value)) throw new InterpreterError(`${operation}: expect the returned object type is table, got ${typeof value}`, operation);
    return restoreEmptyArrays(value, ...references) as KubeObject;
  }
}

/** configv1alpha1 validation.VerifyDependencies: apiVersion and kind, and a name or a selector. */
function dependencyList(value: unknown): DependentObjectReference[] {
  if (value === null || value === undefined || (isObject(value) && Object.keys(value).length === 0)) return [];
  if (!Array.isArray(value)) throw new InterpreterError('InterpretDependency: expect a list of dependencies', InterpreterOperation.InterpretDependency);
  return value.map((dep, i) => {
    if (!isObject(dep) || typeof dep.apiVersion !== 'string' || !dep.apiVersion || typeof dep.kind !== 'string' || !dep.kind) {
      throw new InterpreterError(`InterpretDependency: dependency ${i} needs apiVersion and kind`, InterpreterOperation.InterpretDependency);
    }
    if (!dep.name && !isObject(dep.labelSelector)) {
      throw new InterpreterError(`InterpretDependency: dependency ${i} needs a name or a labelSelector`, InterpreterOperation.InterpretDependency);
    }
    return dep as unknown as DependentObjectReference;
  });
}

function normalizeRequirements(r: ReplicaRequirements): ReplicaRequirements {
  const out = { ...r };
  if (out.nodeClaim && !Array.isArray(out.nodeClaim.tolerations)) delete out.nodeClaim.tolerations;
  return out;
}

/**
 * Lua has one table type, so an empty array a script wrote comes back as {}. Where the object
 * the script was given had an array at the same place, an empty {} is turned back into [] (as
 * Karmada's ConvertLuaResultInto does with its reference objects).
 */
export function restoreEmptyArrays(value: unknown, ...references: unknown[]): unknown {
  if (isObject(value)) {
    if (Object.keys(value).length === 0 && references.some(Array.isArray)) return [];
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = restoreEmptyArrays(v, ...references.map((r) => (isObject(r) ? r[k] : undefined)));
    return out;
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => restoreEmptyArrays(v, ...references.map((r) => (Array.isArray(r) ? r[i] ?? r[0] : undefined))));
  }
  return value;
}
