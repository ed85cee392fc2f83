// The declarative layer: ResourceInterpreterCustomization objects (config.karmada.io/v1alpha1),
// each holding Lua scripts for one target kind, run with Karmada's function names and calling
// conventions (luavm/lua.go).
import type { GroupVersionKind, KubeObject } from '../../apimachinery/types.js';
import type { AggregatedStatusItem, ComponentRequirements, ReplicaRequirements } from '../../apis/karmada/binding.js';
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

interface CustomizationRule {
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
  componentResource: { fn: 'GetComponents', operation: InterpreterOperation.InterpretComponent },
} as const;
export type CustomizationField = keyof typeof customizationRules;

interface LoadedScript {
  /** the compiled script; unset until its first call when loaded lazily */
  id?: string;
  /** `<customization>/<field>`, what it is compiled under */
  name: string;
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
  load(customizations: ResourceInterpreterCustomization[], opts: { lazy?: boolean } = {}): CustomizationProblem[] {
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
        // lazily: scripts known to load (the built-in third-party ones, which their tests compile) wait
        // for their first call, so a process start does not compile scripts for kinds it never meets
        if (opts.lazy) {
          ops.set(spec.operation, [...existing, { name: `${name}/${field}`, fn: spec.fn, source: rule.luaScript }]);
          continue;
        }
        try {
          const id = this.vm.compile(`${name}/${field}`, rule.luaScript);
          if (!this.vm.defines(id, spec.fn)) {
            this.vm.drop(id);
            problems.push({ customization: name, field, message: `the script does not define function ${spec.fn}` });
            continue;
          }
          ops.set(spec.operation, [...existing, { id, name: `${name}/${field}`, fn: spec.fn, source: rule.luaScript }]);
        } catch (e) {
          problems.push({ customization: name, field, message: e instanceof Error ? e.message : String(e) });
        }
      }
    }
    for (const ops of this.rules.values()) for (const scripts of ops.values()) for (const s of scripts) if (s.id) this.vm.drop(s.id);
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
      script.id ??= this.compileNow(script);
      return this.vm.call(script.id, script.fn, args);
    } catch (e) {
      const message = e instanceof LuaScriptError ? e.message : String(e);
      throw new InterpreterError(`${operation}: ${script.fn} failed: ${message}`, operation);
    }
  }

  /** compiles a lazily loaded script at its first call */
  private compileNow(script: LoadedScript): string {
    const id = this.vm.compile(script.name, script.source);
    if (!this.vm.defines(id, script.fn)) {
      this.vm.drop(id);
      throw new LuaScriptError(`the script does not define function ${script.fn}`);
    }
    return id;
  }

  getReplicas(obj: KubeObject): ReplicaResult {
    const [replica, requires] = this.run(obj, InterpreterOperation.InterpretReplica, [obj]);
    if (typeof replica !== 'number' || !Number.isInteger(replica)) {
      throw new InterpreterError(`InterpretReplica: expect the returned replica type is int, got ${typeof replica}`, InterpreterOperation.InterpretReplica);
    }
    const out: ReplicaResult = { replicas: replica };
    if (isObject(requires)) out.requirements = normalizeRequirements(convertLuaResult(requires, false) as ReplicaRequirements);
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
    return convertLuaResult(status, false, obj.status) as ReflectedStatus;
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

  /** InterpretComponent: the components (name, replicas, requirements) of a multi-template workload */
  getComponents(obj: KubeObject): ComponentRequirements[] {
    const [components] = this.run(obj, InterpreterOperation.InterpretComponent, [obj]);
    if (components === null || components === undefined) return [];
    const list = convertLuaResult(components, true);
    if (!Array.isArray(list)) {
      throw new InterpreterError(`InterpretComponent: expect the returned components type is table of components, got ${typeof components}`, InterpreterOperation.InterpretComponent);
    }
    return list.map((c, i) => {
      if (!isObject(c) || typeof c.name !== 'string' || typeof c.replicas !== 'number') {
        throw new InterpreterError(`InterpretComponent: component ${i} needs a name and replicas`, InterpreterOperation.InterpretComponent);
      }
      return c as unknown as ComponentRequirements;
    });
  }

  private objectResult(results: unknown[], operation: InterpreterOperation, ...references: unknown[]): KubeObject {
    const [value] = results;
    if (!isObject(value)) throw new InterpreterError(`${operation}: expect the returned object type is table, got ${typeof value}`, operation);
    return convertLuaResult(value, false, ...references) as KubeObject;
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
 * Karmada's ConvertLuaResultInto (gopher-lua + gopher-json): Lua has one table type, so every empty
 * table a script returns is ambiguous. An empty table nested in the result is kept only where an
 * input object (a reference) has an empty map ({}) or an empty list ([]) at the same path (list
 * indexes ignored); elsewhere it is dropped. A parent left empty by that stays {}. An empty result
 * itself is {} for an object, [] for a list.
 */
export function convertLuaResult(value: unknown, asList: boolean, ...references: unknown[]): unknown {
  if (isEmptyTable(value)) return asList ? [] : {};
  const emptyLists = new Set<string>();
  const emptyMaps = new Set<string>();
  for (const ref of references) collectEmpty(ref, [], emptyLists, emptyMaps);
  return dropEmpty(value, [], emptyLists, emptyMaps);
}

function isEmptyTable(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function collectEmpty(v: unknown, path: string[], lists: Set<string>, maps: Set<string>): void {
  const visit = (child: unknown, childPath: string[]) => {
    if (Array.isArray(child) && child.length === 0) lists.add(childPath.join('.'));
    else if (isObject(child) && Object.keys(child).length === 0) maps.add(childPath.join('.'));
    else collectEmpty(child, childPath, lists, maps);
  };
  if (Array.isArray(v)) for (const child of v) visit(child, path);
  else if (isObject(v)) for (const [k, child] of Object.entries(v)) visit(child, [...path, k]);
}

const dropped = Symbol('dropped');

function dropEmpty(v: unknown, path: string[], lists: Set<string>, maps: Set<string>): unknown {
  const convert = (child: unknown, childPath: string[]): unknown => {
    if (!isEmptyTable(child)) return Array.isArray(child) || isObject(child) ? dropEmpty(child, childPath, lists, maps) : child;
    const key = childPath.join('.');
    if (maps.has(key)) return {};
    if (lists.has(key)) return [];
    return dropped;
  };
  if (Array.isArray(v)) return v.map((child) => convert(child, path)).filter((c) => c !== dropped);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      const c = convert(child, [...path, k]);
      if (c !== dropped) out[k] = c;
    }
    return out;
  }
  return v;
}
