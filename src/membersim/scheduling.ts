// kube-scheduler's filters for one pod against one node, and its "0/N nodes are available" message.
// Filters run in the default profile's order and stop at the first that fails, as kube-scheduler does.
import type { KubeObject } from '../apimachinery/types.js';
import type { NodeSelectorTerm } from '../apis/karmada/binding.js';
import type { Taint } from '../apis/karmada/cluster.js';
import type { Toleration } from '../apis/karmada/placement.js';
import { podRequests, type Pod } from '../scheduler/estimator/nodes.js';
import { resourceAmount } from '../apimachinery/quantity.js';
import { nodeSelectionMatches } from '../apimachinery/labels.js';
import { findUntoleratedTaint } from '../scheduler/util/taints.js';

export interface NodeUsage {
  /** summed requests of the non-terminal pods bound to the node, in resourceAmount units */
  requested: Map<string, number>;
  pods: number;
}

export interface FilterFailure {
  reasons: string[];
  /** UnschedulableAndUnresolvable: preemption cannot help */
  unresolvable: boolean;
}

interface PodSpecShape {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } };
}

interface NodeShape {
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: { allocatable?: Record<string, string | number> };
}

export function requestsOf(pod: KubeObject): Map<string, number> {
  return podRequests(pod as unknown as Pod);
}

export function emptyUsage(): NodeUsage {
  return { requested: new Map(), pods: 0 };
}

export function addUsage(u: NodeUsage, requests: Map<string, number>, sign = 1): void {
  u.pods += sign;
  for (const [k, v] of requests) u.requested.set(k, (u.requested.get(k) ?? 0) + sign * v);
}

/** NodeAffinity's filter: nodeSelector and required node affinity terms */
export function matchesNodeSelection(pod: KubeObject, node: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as PodSpecShape;
  return nodeSelectionMatches(spec.nodeSelector, spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms, node.metadata);
}

/** The first failing filter's reasons, or undefined when the pod fits the node. */
export function filterNode(pod: KubeObject, node: KubeObject, usage: NodeUsage, requests = requestsOf(pod)): FilterFailure | undefined {
  const spec = (pod.spec ?? {}) as PodSpecShape;
  const n = node as NodeShape & KubeObject;
  // NodeUnschedulable (tolerated by node.kubernetes.io/unschedulable:NoSchedule)
  if (n.spec?.unschedulable) {
    const tolerated = (spec.tolerations ?? []).some((t) => (t.key === 'node.kubernetes.io/unschedulable' || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoSchedule'));
    if (!tolerated) return { reasons: ["node(s) were unschedulable"], unresolvable: true };
  }
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { reasons: ["node(s) didn't match the requested node name"], unresolvable: true };
  const taint = findUntoleratedTaint(n.spec?.taints ?? [], spec.tolerations ?? [], (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (taint) return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], unresolvable: true };
  if (!matchesNodeSelection(pod, node)) return { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
  const reasons = insufficientResources(requests, usage, n.status?.allocatable ?? {});
  return reasons.length ? { reasons, unresolvable: false } : undefined;
}

/** NodeResourcesFit: "Too many pods" first, then each requested resource short on the node */
function insufficientResources(requests: Map<string, number>, usage: NodeUsage, allocatable: Record<string, string | number>): string[] {
  const reasons: string[] = [];
  const podsAllowed = allocatable.pods === undefined ? 0 : resourceAmount('pods', allocatable.pods);
  if (usage.pods + 1 > podsAllowed) reasons.push('Too many pods');
  const order = ['cpu', 'memory', 'ephemeral-storage'];
  const names = [...requests.keys()].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  for (const name of names) {
    const want = requests.get(name)!;
    if (want <= 0) continue;
    const have = allocatable[name] === undefined ? 0 : resourceAmount(name, allocatable[name]);
    if (want > have - (usage.requested.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** kube-scheduler's FitError text, with the preemption post-filter's summary */
export function unschedulableMessage(nodeCount: number, failures: FilterFailure[]): string {
  const histogram = (entries: string[]) => {
    const counts = new Map<string, number>();
    for (const e of entries) counts.set(e, (counts.get(e) ?? 0) + 1);
    return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  };
  const filter = histogram(failures.flatMap((f) => f.reasons));
  let msg = `0/${nodeCount} nodes are available`;
  if (filter.length) msg += `: ${filter.join(', ')}.`;
  else msg += ':';
  if (nodeCount === 0) return `no nodes available to schedule pods`;
  const preemption = histogram(failures.map((f) => (f.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod')));
  msg += ` preemption: 0/${nodeCount} nodes are available: ${preemption.join(', ')}.`;
  return msg;
}

export interface Placement {
  node?: string;
  message?: string;
}

/**
 * Picks a node for the pod: every feasible node scored by how much of its cpu and memory would be
 * left (LeastAllocated), ties broken by name so the result is deterministic.
 */
export function placePod(pod: KubeObject, nodes: KubeObject[], usage: (node: string) => NodeUsage): Placement {
  const requests = requestsOf(pod);
  const failures: FilterFailure[] = [];
  let best: { name: string; score: number } | undefined;
  for (const node of nodes) {
    const u = usage(node.metadata.name!);
    const failure = filterNode(pod, node, u, requests);
    if (failure) {
      failures.push(failure);
      continue;
    }
    const score = leastAllocatedScore(requests, u, (node as NodeShape).status?.allocatable ?? {});
    if (!best || score > best.score || (score === best.score && node.metadata.name! < best.name)) best = { name: node.metadata.name!, score };
  }
  if (best) return { node: best.name };
  return { message: unschedulableMessage(nodes.length, failures) };
}

function leastAllocatedScore(requests: Map<string, number>, u: NodeUsage, allocatable: Record<string, string | number>): number {
  let score = 0;
  for (const name of ['cpu', 'memory']) {
    const cap = allocatable[name] === undefined ? 0 : resourceAmount(name, allocatable[name]);
    if (cap <= 0) continue;
    const used = (u.requested.get(name) ?? 0) + (requests.get(name) ?? 0);
    score += Math.max(0, (cap - used) / cap);
  }
  // spread pods without requests across nodes too
  const podsCap = allocatable.pods === undefined ? 0 : resourceAmount('pods', allocatable.pods);
  if (podsCap > 0) score += (podsCap - u.pods - 1) / podsCap / 10;
  return score;
}
