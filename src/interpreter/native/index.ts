// Karmada's built-in interpreter (default/native/default.go) over the per-kind tables. Pure and
// total: a kind without a rule answers with its neutral value (0 replicas, the object unchanged,
// no dependencies) and hookEnabled says false, so callers can tell.
import type { GroupVersionKind, KubeObject } from '../../apimachinery/types.js';
import { gvkKey, gvkOf, InterpreterOperation, type ResourceInterpreter } from '../types.js';
import { aggregateStatusInterpreters, type AggregateOptions } from './aggregate.js';
import { dependenciesInterpreters } from './dependencies.js';
import { healthInterpreters } from './health.js';
import { reflectStatusInterpreters, reflectWholeStatus } from './reflect.js';
import { replicaInterpreters, reviseReplicaInterpreters, type ReplicaOptions } from './replicas.js';
import { retentionInterpreters } from './retain.js';

export type NativeOptions = ReplicaOptions & AggregateOptions;

const tables: Partial<Record<InterpreterOperation, Record<string, unknown> | 'all'>> = {
  InterpretReplica: replicaInterpreters,
  ReviseReplica: reviseReplicaInterpreters,
  Retain: retentionInterpreters,
  AggregateStatus: aggregateStatusInterpreters,
  // every kind has a status to reflect: the whole .status by default
  InterpretStatus: 'all',
  InterpretHealth: healthInterpreters,
  InterpretDependency: dependenciesInterpreters,
};

export function nativeHookEnabled(gvk: GroupVersionKind, operation: InterpreterOperation): boolean {
  const table = tables[operation];
  if (table === undefined) return false;
  return table === 'all' || gvkKey(gvk) in table;
}

export function createNativeInterpreter(opts: NativeOptions = {}): ResourceInterpreter {
  const key = (obj: KubeObject) => gvkKey(gvkOf(obj));
  return {
    hookEnabled: nativeHookEnabled,
    getReplicas: (obj) => replicaInterpreters[key(obj)]?.(obj, opts) ?? { replicas: 0 },
    reviseReplica: (obj, replicas) => reviseReplicaInterpreters[key(obj)]?.(obj, replicas) ?? obj,
    retain: (desired, observed) => retentionInterpreters[key(desired)]?.(desired, observed) ?? desired,
    aggregateStatus: (obj, items) => aggregateStatusInterpreters[key(obj)]?.(obj, items, opts) ?? obj,
    reflectStatus: (obj) => (reflectStatusInterpreters[key(obj)] ?? reflectWholeStatus)(obj),
    interpretHealth: (obj) => {
      const rule = healthInterpreters[key(obj)];
      if (!rule) return 'Healthy';
      return rule(obj) ? 'Healthy' : 'Unhealthy';
    },
    getDependencies: (obj) => dependenciesInterpreters[key(obj)]?.(obj) ?? [],
  };
}

