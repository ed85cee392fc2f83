// InterpretReplica and ReviseReplica for the native kinds (Karmada default/native/replica.go,
// revisereplica.go): replicas come from spec.replicas (spec.parallelism for a Job, 1 for a Pod) and
// each replica's requirements from the pod template.
import type { KubeObject } from '../../apimachinery/types.js';
import { formatQuantity, milliValue, quantityValue, tryParseQuantity, type Quantity } from '../../apimachinery/quantity.js';
import type { NodeClaim, NodeSelector, ReplicaRequirements } from '../../apis/karmada/binding.js';
import type { ResourceList } from '../../apis/karmada/cluster.js';
import type { Toleration } from '../../apis/karmada/placement.js';
import type { ReplicaResult } from '../types.js';
import { clone, intAt, isObject, objAt, objectsAt, optionalIntAt, stringMapAt, strAt, valueAt, type JsonObject } from './object.js';
import { namespaceOf, podTemplateOf } from './podtemplate.js';

export interface ReplicaOptions {
  /**
   * Karmada's ResourceQuotaEstimate feature gate (off by default): also report the namespace and
   * priorityClassName so a quota-aware estimator can use them.
   */
  resourceQuotaEstimate?: boolean;
}

type ReplicaInterpreter = (obj: KubeObject, opts: ReplicaOptions) => ReplicaResult;
type ReviseReplicaInterpreter = (obj: KubeObject, replicas: number) => KubeObject;

function fromTemplate(replicaField: 'replicas' | 'parallelism'): ReplicaInterpreter {
  return (obj, opts) => ({
    replicas: intAt(obj, 'spec', replicaField),
    requirements: replicaRequirements(objAt(podTemplateOf(obj), 'spec'), namespaceOf(obj), opts),
  });
}

/** Keyed by gvkKey. */
export const replicaInterpreters: Record<string, ReplicaInterpreter> = {
  'apps/v1, Kind=Deployment': fromTemplate('replicas'),
  'apps/v1, Kind=StatefulSet': fromTemplate('replicas'),
  'apps/v1, Kind=ReplicaSet': fromTemplate('replicas'),
  'batch/v1, Kind=Job': jobReplicas,
  'v1, Kind=Pod': (obj, opts) => ({ replicas: 1, requirements: replicaRequirements(objAt(obj, 'spec'), namespaceOf(obj), opts) }),
};

/**
 * spec.parallelism (defaulted to 1 by the apiserver, so normally present), but never more than
 * spec.completions: a Job with a fixed completion count runs no more pods at once than that.
 */
function jobReplicas(obj: KubeObject, opts: ReplicaOptions): ReplicaResult {
  const parallelism = intAt(obj, 'spec', 'parallelism');
  const completions = optionalIntAt(obj, 'spec', 'completions') ?? parallelism;
  return { ...fromTemplate('parallelism')(obj, opts), replicas: Math.min(parallelism, completions) };
}

/**
 * helper.ApplyReplica: the field is only changed when the object already has it; a field that is
 * there but not an integer is an error, as unstructured.NestedInt64's.
 */
function applyReplica(field: 'replicas' | 'parallelism'): ReviseReplicaInterpreter {
  return (obj, replicas) => {
    const current = valueAt(obj, 'spec', field);
    if (current === undefined || current === null) return obj;
    if (typeof current !== 'number' || !Number.isInteger(current)) {
      throw new Error(`.spec.${field} accessor error: ${JSON.stringify(current)} is of the type ${typeof current}, expected int64`);
    }
    const out = clone(obj);
    (out.spec as JsonObject)[field] = replicas;
    return out;
  };
}

export const reviseReplicaInterpreters: Record<string, ReviseReplicaInterpreter> = {
  'apps/v1, Kind=Deployment': applyReplica('replicas'),
  'apps/v1, Kind=StatefulSet': applyReplica('replicas'),
  'apps/v1, Kind=ReplicaSet': applyReplica('replicas'),
  'batch/v1, Kind=Job': applyReplica('parallelism'),
};

/** helper.GenerateReplicaRequirements: undefined when the pod asks for nothing. */
export function replicaRequirements(podSpec: JsonObject, namespace: string, opts: ReplicaOptions = {}): ReplicaRequirements | undefined {
  const nodeClaim = nodeClaimOf(podSpec);
  const resourceRequest = podRequests(podSpec);
  if (!nodeClaim && !resourceRequest) return undefined;
  const out: ReplicaRequirements = {};
  if (nodeClaim) out.nodeClaim = nodeClaim;
  if (resourceRequest) out.resourceRequest = resourceRequest;
  if (opts.resourceQuotaEstimate) {
    if (namespace) out.namespace = namespace;
    const priorityClassName = strAt(podSpec, 'priorityClassName');
    if (priorityClassName) out.priorityClassName = priorityClassName;
  }
  return out;
}

/** helper.GenerateNodeClaimByPodSpec */
function nodeClaimOf(podSpec: JsonObject): NodeClaim | undefined {
  const nodeSelector = stringMapAt(podSpec, 'nodeSelector');
  const tolerations = objectsAt(podSpec, 'tolerations') as Toleration[];
  const required = valueAt(podSpec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution');
  const hardNodeAffinity = isObject(required) ? (clone(required) as unknown as NodeSelector) : undefined;
  if (!nodeSelector && !hardNodeAffinity && tolerations.length === 0) return undefined;
  const claim: NodeClaim = {};
  if (hardNodeAffinity) claim.hardNodeAffinity = hardNodeAffinity;
  if (nodeSelector) claim.nodeSelector = nodeSelector;
  if (tolerations.length > 0) claim.tolerations = clone(tolerations);
  return claim;
}

/**
 * util.Resource.AddPodTemplateRequest: the sum of the containers' requests, raised to the largest
 * init container's request per resource, plus the pod overhead. CPU counts in milli-units, the
 * rest in whole units, both rounded up as Quantity.MilliValue/Value do.
 */
export function podRequests(podSpec: JsonObject): ResourceList | undefined {
  const total = new Map<string, number>();
  for (const c of objectsAt(podSpec, 'containers')) addList(total, objAt(c, 'resources', 'requests'));
  for (const c of objectsAt(podSpec, 'initContainers')) maxList(total, objAt(c, 'resources', 'requests'));
  addList(total, objAt(podSpec, 'overhead'));
  return toResourceList(total);
}

/** The resources Karmada's Resource type tracks; anything else in a request is ignored. */
function tracked(name: string): boolean {
  return (
    name === 'cpu' ||
    name === 'memory' ||
    name === 'ephemeral-storage' ||
    name === 'pods' ||
    name.startsWith('hugepages-') ||
    name.startsWith('attachable-volumes-') ||
    // extended resources and prefixed native ones are domain-qualified
    (name.includes('/') && !name.startsWith('requests.'))
  );
}

function amount(name: string, raw: unknown): number | undefined {
  if (!tracked(name) || (typeof raw !== 'string' && typeof raw !== 'number')) return undefined;
  const q = tryParseQuantity(String(raw));
  if (!q) return undefined;
  return name === 'cpu' ? milliValue(q) : quantityValue(q);
}

function addList(total: Map<string, number>, list: JsonObject): void {
  for (const [name, raw] of Object.entries(list)) {
    const v = amount(name, raw);
    if (v !== undefined) total.set(name, (total.get(name) ?? 0) + v);
  }
}

function maxList(total: Map<string, number>, list: JsonObject): void {
  for (const [name, raw] of Object.entries(list)) {
    const v = amount(name, raw);
    if (v !== undefined && v > (total.get(name) ?? 0)) total.set(name, v);
  }
}

const wellKnownOrder = ['cpu', 'memory', 'ephemeral-storage', 'pods'];

function toResourceList(total: Map<string, number>): ResourceList | undefined {
  const names = [...total.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: ResourceList = {};
  for (const name of names) {
    const v = total.get(name) ?? 0;
    if (v > 0) out[name] = formatQuantity(quantityOf(name, v));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function rank(name: string): number {
  const i = wellKnownOrder.indexOf(name);
  return i < 0 ? wellKnownOrder.length : i;
}

function quantityOf(name: string, v: number): Quantity {
  if (name === 'cpu') return { nanos: BigInt(v) * 1_000_000n, format: 'DecimalSI' };
  const binary = name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-');
  return { nanos: BigInt(v) * 1_000_000_000n, format: binary ? 'BinarySI' : 'DecimalSI' };
}
