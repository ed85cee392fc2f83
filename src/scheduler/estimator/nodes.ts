// The accurate estimator, as karmada-scheduler-estimator's noderesource plugin computes it, over
// plain Node and Pod objects: for every node the replica's nodeClaim admits, what is left of its
// allocatable after the pods already bound to it, divided by the replica's requests.
import type { ComponentRequirements, NodeClaim, ReplicaRequirements } from '../../apis/karmada/binding.js';
import type { ResourceList, Taint } from '../../apis/karmada/cluster.js';
import { resourceAmount } from '../../apimachinery/quantity.js';
import { componentDemands, positiveRequests } from './general.js';
import { firstFitSets } from './sets.js';
import { nodeSelectionMatches } from '../../apimachinery/labels.js';
import { findUntoleratedTaint } from '../util/taints.js';

export interface Node {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: { allocatable?: ResourceList; conditions?: { type: string; status: string }[] };
}

export interface Container {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

export interface Pod {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec: { nodeName?: string; containers?: Container[]; initContainers?: Container[]; overhead?: ResourceList };
  status?: { phase?: string };
}

/** A node whose Ready condition is there and not True (NotReady or Unknown) takes no new pods. */
export function nodeReady(node: Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return !ready || ready.status === 'True';
}

/** Does the node take the replica: schedulable, Ready, and its nodeSelector, required node affinity and tolerations hold? */
export function nodeAdmits(node: Node, claim: NodeClaim | undefined): boolean {
  if (node.spec?.unschedulable || !nodeReady(node)) return false;
  if (!nodeSelectionMatches(claim?.nodeSelector, claim?.hardNodeAffinity?.nodeSelectorTerms, node.metadata)) return false;
  const untolerated = findUntoleratedTaint(
    node.spec?.taints ?? [],
    claim?.tolerations ?? [],
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  return untolerated === undefined;
}

function addList(into: Map<string, number>, list: ResourceList | undefined): void {
  for (const [name, q] of Object.entries(list ?? {})) into.set(name, (into.get(name) ?? 0) + resourceAmount(name, q));
}

/** A pod's effective requests: max(sum of containers, each init container) plus overhead. */
export function podRequests(pod: Pod): Map<string, number> {
  const sum = new Map<string, number>();
  for (const c of pod.spec.containers ?? []) addList(sum, c.resources?.requests);
  for (const c of pod.spec.initContainers ?? []) {
    for (const [name, q] of Object.entries(c.resources?.requests ?? {})) {
      const v = resourceAmount(name, q);
      if (v > (sum.get(name) ?? 0)) sum.set(name, v);
    }
  }
  addList(sum, pod.spec.overhead);
  return sum;
}

/** Succeeded and Failed pods hold no resources. */
export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export const MaxInt32 = 2147483647;

/** What the pods bound to one node hold: their count and their summed requests. */
export interface NodeUsage {
  pods: number;
  requested: Map<string, number>;
}

/** Usage per node name of the pods that are bound and not finished. */
export function usageByNode(pods: Iterable<Pod>): Map<string, NodeUsage> {
  const out = new Map<string, NodeUsage>();
  for (const pod of pods) {
    const nodeName = pod.spec.nodeName;
    if (!nodeName || isTerminal(pod)) continue;
    let u = out.get(nodeName);
    if (!u) out.set(nodeName, (u = { pods: 0, requested: new Map() }));
    addUsage(u, podRequests(pod), 1);
  }
  return out;
}

/** Adds (sign 1) or takes away (sign -1) one pod's requests. */
export function addUsage(u: NodeUsage, requests: Map<string, number>, sign: 1 | -1): void {
  u.pods += sign;
  for (const [name, v] of requests) u.requested.set(name, (u.requested.get(name) ?? 0) + sign * v);
}

/** Replicas that fit on one node given what it already holds (nodeMaxAvailableReplica); MAX_SAFE_INTEGER when nothing bounds it. */
function nodeFit(node: Node, used: NodeUsage | undefined, requests: [string, number][]): number {
  const allocatable = node.status?.allocatable ?? {};
  let fit = Number.MAX_SAFE_INTEGER;
  if (allocatable.pods !== undefined) fit = Math.max(0, resourceAmount('pods', allocatable.pods) - (used?.pods ?? 0));
  for (const [name, requested] of requests) {
    const free = allocatable[name] === undefined ? 0 : resourceAmount(name, allocatable[name]) - (used?.requested.get(name) ?? 0);
    fit = Math.min(fit, free > 0 ? Math.floor(free / requested) : 0);
  }
  return fit;
}

/** Replicas that fit on the nodes given the usage per node name. */
export function estimateFromUsage(nodes: Iterable<Node>, usage: ReadonlyMap<string, NodeUsage>, requirements: ReplicaRequirements | undefined): number {
  const requests = positiveRequests(requirements);
  let total = 0;
  for (const node of nodes) {
    if (!nodeAdmits(node, requirements?.nodeClaim)) continue;
    const fit = nodeFit(node, usage.get(node.metadata.name), requests);
    // Nothing bounds this node (no pods capacity, no requests): the estimate is unbounded.
    if (fit === Number.MAX_SAFE_INTEGER) return MaxInt32;
    total += fit;
  }
  return Math.min(total, MaxInt32);
}

/** Replicas that fit on the given nodes with the given pods already placed. */
export function estimateFromNodes(nodes: Node[], pods: Pod[], requirements: ReplicaRequirements | undefined): number {
  return estimateFromUsage(nodes, usageByNode(pods), requirements);
}

/**
 * noderesource EstimateComponents: whole sets of the components placed first-fit, component by
 * component, on what each node has left (SchedulingSimulator); a node without a pods capacity takes
 * no pod. No components (or none with replicas): unbounded.
 */
export function componentSetsFromUsage(nodes: Iterable<Node>, usage: ReadonlyMap<string, NodeUsage>, components: readonly ComponentRequirements[]): number {
  if (components.reduce((n, c) => n + c.replicas, 0) <= 0) return MaxInt32;
  const free = [...nodes].map((node) => {
    const left = new Map<string, number>();
    const used = usage.get(node.metadata.name);
    for (const [name, q] of Object.entries(node.status?.allocatable ?? {})) {
      left.set(name, resourceAmount(name, q) - (name === 'pods' ? used?.pods ?? 0 : used?.requested.get(name) ?? 0));
    }
    return { node, left };
  });
  return firstFitSets(
    free.map((f) => f.left),
    componentDemands(components),
    MaxInt32,
    (i, j) => nodeAdmits(free[j].node, components[i].replicaRequirements?.nodeClaim),
  );
}
