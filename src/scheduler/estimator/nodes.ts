// The accurate estimator, as karmada-scheduler-estimator's noderesource plugin computes it, over
// plain Node and Pod objects: for every node the replica's nodeClaim admits, what is left of its
// allocatable after the pods already bound to it, divided by the replica's requests.
import type { NodeClaim, NodeSelectorTerm, ReplicaRequirements } from '../../apis/karmada/binding.js';
import type { ResourceList, Taint } from '../../apis/karmada/cluster.js';
import type { Toleration } from '../../apis/karmada/placement.js';
import { resourceAmount } from './quantity.js';
import { positiveRequests } from './general.js';
import { nodeRequirementMatches } from '../util/selectors.js';
import { findUntoleratedTaint } from '../util/taints.js';

export interface Node {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: { allocatable?: ResourceList };
}

export interface Container {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

export interface Pod {
  metadata?: { name?: string; namespace?: string };
  spec: { nodeName?: string; containers?: Container[]; initContainers?: Container[]; overhead?: ResourceList };
  status?: { phase?: string };
}

function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // An empty term matches no objects.
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  if (!exprs.every((r) => nodeRequirementMatches(r, labels))) return false;
  const nodeFields = { 'metadata.name': node.metadata.name };
  return fields.every((r) => nodeRequirementMatches(r, nodeFields));
}

/** Does the node satisfy the replica's nodeSelector, required node affinity and tolerations? */
export function nodeAdmits(node: Node, claim: NodeClaim | undefined): boolean {
  if (node.spec?.unschedulable) return false;
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(claim?.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const terms = claim?.hardNodeAffinity?.nodeSelectorTerms;
  if (terms && !terms.some((t) => termMatches(t, node))) return false;
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

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export const MaxInt32 = 2147483647;

/** Replicas that fit on the given nodes with the given pods already placed. */
export function estimateFromNodes(nodes: Node[], pods: Pod[], requirements: ReplicaRequirements | undefined): number {
  const requestedByNode = new Map<string, Map<string, number>>();
  const podsByNode = new Map<string, number>();
  for (const pod of pods) {
    const nodeName = pod.spec.nodeName;
    if (!nodeName || isTerminal(pod)) continue;
    podsByNode.set(nodeName, (podsByNode.get(nodeName) ?? 0) + 1);
    const used = requestedByNode.get(nodeName) ?? new Map<string, number>();
    for (const [name, v] of podRequests(pod)) used.set(name, (used.get(name) ?? 0) + v);
    requestedByNode.set(nodeName, used);
  }
  const requests = positiveRequests(requirements);
  let total = 0;
  for (const node of nodes) {
    if (!nodeAdmits(node, requirements?.nodeClaim)) continue;
    const allocatable = node.status?.allocatable ?? {};
    const used = requestedByNode.get(node.metadata.name);
    let fit = Number.MAX_SAFE_INTEGER;
    if (allocatable.pods !== undefined) {
      fit = Math.max(0, resourceAmount('pods', allocatable.pods) - (podsByNode.get(node.metadata.name) ?? 0));
    }
    for (const [name, requested] of requests) {
      const free = allocatable[name] === undefined ? 0 : resourceAmount(name, allocatable[name]) - (used?.get(name) ?? 0);
      fit = Math.min(fit, free > 0 ? Math.floor(free / requested) : 0);
    }
    // Nothing bounds this node (no pods capacity, no requests): the estimate is unbounded.
    if (fit === Number.MAX_SAFE_INTEGER) return MaxInt32;
    total += fit;
  }
  return Math.min(total, MaxInt32);
}
