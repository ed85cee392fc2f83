// One member's Nodes and Pods as the accurate estimator keeps them live (karmada-scheduler-estimator's
// node snapshot): fed by watch events, it keeps each node's usage up to date incrementally, so an
// estimate walks the nodes only and never the pods.
import type { ComponentRequirements, ReplicaRequirements } from '../../apis/karmada/binding.js';
import { addUsage, componentSetsFromUsage, estimateFromUsage, isTerminal, podRequests, type Node, type NodeUsage, type Pod } from './nodes.js';

/** what one pod adds to its node */
interface PodShare {
  node: string;
  requests: Map<string, number>;
}

function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export class MemberSnapshot {
  private readonly nodes = new Map<string, Node>();
  private readonly shares = new Map<string, PodShare>();
  private readonly usage = new Map<string, NodeUsage>();

  setNode(node: Node): void {
    this.nodes.set(node.metadata.name, node);
  }

  deleteNode(name: string): void {
    this.nodes.delete(name);
  }

  /** a pod added or changed: its old share leaves its node, its new one (bound and not finished) joins */
  setPod(pod: Pod): void {
    const key = podKey(pod);
    this.takeShare(key);
    const node = pod.spec?.nodeName;
    if (!node || isTerminal(pod)) return;
    const share = { node, requests: podRequests(pod) };
    this.shares.set(key, share);
    let u = this.usage.get(node);
    if (!u) this.usage.set(node, (u = { pods: 0, requested: new Map() }));
    addUsage(u, share.requests, 1);
  }

  deletePod(pod: Pod): void {
    this.takeShare(podKey(pod));
  }

  private takeShare(key: string): void {
    const share = this.shares.get(key);
    if (!share) return;
    this.shares.delete(key);
    const u = this.usage.get(share.node);
    if (!u) return;
    addUsage(u, share.requests, -1);
    if (u.pods <= 0) this.usage.delete(share.node);
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  /** usage of one node (for tests and explanations) */
  usageOf(node: string): NodeUsage | undefined {
    return this.usage.get(node);
  }

  estimate(requirements: ReplicaRequirements | undefined): number {
    return estimateFromUsage(this.nodes.values(), this.usage, requirements);
  }

  /** MaxAvailableComponentSets over the nodes as they are now */
  estimateComponentSets(components: readonly ComponentRequirements[]): number {
    return componentSetsFromUsage(this.nodes.values(), this.usage, components);
  }
}
