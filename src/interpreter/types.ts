// The one resource interpreter contract every controller asks about a resource template: how many
// replicas it has, how to change them, which member-side fields to keep, how member statuses
// combine, what status to collect, whether it is healthy, and what it depends on.
import type { GroupVersionKind, KubeObject, LabelSelector } from '../apimachinery/types.js';
import type { AggregatedStatusItem, ComponentRequirements, ReplicaRequirements } from '../apis/karmada/binding.js';

export type { AggregatedStatusItem, ComponentRequirements, ReplicaRequirements };

/** configv1alpha1.InterpreterOperation, spelled as Karmada spells it. */
export const InterpreterOperation = {
  InterpretReplica: 'InterpretReplica',
  ReviseReplica: 'ReviseReplica',
  Retain: 'Retain',
  AggregateStatus: 'AggregateStatus',
  InterpretStatus: 'InterpretStatus',
  InterpretHealth: 'InterpretHealth',
  InterpretDependency: 'InterpretDependency',
  InterpretComponent: 'InterpretComponent',
} as const;
export type InterpreterOperation = (typeof InterpreterOperation)[keyof typeof InterpreterOperation];

/** workv1alpha1.ResourceHealth */
export type ResourceHealth = 'Healthy' | 'Unhealthy' | 'Unknown';

/** configv1alpha1.DependentObjectReference: by name, or by label selector when name is empty. */
export interface DependentObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  labelSelector?: LabelSelector;
}

export interface ReplicaResult {
  replicas: number;
  requirements?: ReplicaRequirements;
}

/** A member object's status as collected into the Work's manifestStatuses. */
export type ReflectedStatus = Record<string, unknown>;

/** An interpretation's question: the operation, the object and what it needs besides (request.Attributes). */
export interface RequestAttributes {
  operation: InterpreterOperation;
  object: KubeObject;
  observedObject?: KubeObject;
  desiredReplicas?: number;
  aggregatedStatus?: AggregatedStatusItem[];
}

export interface ResourceInterpreter {
  /** Whether this interpreter answers `operation` for objects of this kind. */
  hookEnabled(gvk: GroupVersionKind, operation: InterpreterOperation): boolean;
  /** InterpretReplica: desired replicas and what each replica needs. */
  getReplicas(obj: KubeObject): ReplicaResult;
  /** ReviseReplica: a copy of obj with its replica count set. */
  reviseReplica(obj: KubeObject, replicas: number): KubeObject;
  /** Retain: `desired` (a copy) with the fields the member cluster owns taken from `observed`. */
  retain(desired: KubeObject, observed: KubeObject): KubeObject;
  /** AggregateStatus: obj with .status combined from the members; obj itself when nothing changed. */
  aggregateStatus(obj: KubeObject, items: AggregatedStatusItem[]): KubeObject;
  /** InterpretStatus (ReflectStatus): the status to collect, undefined when there is none yet. */
  reflectStatus(obj: KubeObject): ReflectedStatus | undefined;
  /** InterpretHealth: kinds without a health rule are Healthy; a failing rule gives Unknown. */
  interpretHealth(obj: KubeObject): ResourceHealth;
  /** the same answer as a hint for scheduling work (no InterpretHealth event): a failure or a pending answer throws */
  healthHint?(obj: KubeObject): ResourceHealth;
  /** InterpretDependency: the objects that must be propagated along with obj. */
  getDependencies(obj: KubeObject): DependentObjectReference[];
  /** InterpretComponent: the pod templates (components) of a multi-template workload; layers without it have none */
  getComponents?(obj: KubeObject): ComponentRequirements[];
  /** For callers that can await: fetches ahead an answer that needs a call out (a webhook); never rejects. */
  prefetch?(a: RequestAttributes): Promise<void>;
}

/**
 * One layer of the interpreter chain (Lua customizations, webhooks, third-party, native). A layer
 * only handles what its hookEnabled says; the chain asks the next one otherwise.
 */
export type InterpreterLayer = ResourceInterpreter;

/** A customization (Lua script, webhook) failed; the message says which operation and why. */
export class InterpreterError extends Error {
  constructor(
    message: string,
    readonly operation: InterpreterOperation,
  ) {
    super(message);
    this.name = 'InterpreterError';
  }
}

export function gvkOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): GroupVersionKind {
  const apiVersion = obj.apiVersion ?? '';
  const i = apiVersion.indexOf('/');
  const group = i < 0 ? '' : apiVersion.slice(0, i);
  const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
  return { group, version, kind: obj.kind ?? '' };
}

/** "apps/v1, Kind=Deployment": the key the per-kind tables use. */
export function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group ? `${gvk.group}/` : ''}${gvk.version}, Kind=${gvk.kind}`;
}
