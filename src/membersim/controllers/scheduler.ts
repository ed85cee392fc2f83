// The member's kube-scheduler: binds pending pods to the node that fits them best, or marks them
// Unschedulable with kube-scheduler's message. Bound-but-not-yet-seen pods are "assumed", as
// kube-scheduler's cache does, so two pods never take the same free capacity.
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import { objectKey } from '../../runtime/informer.js';
import { SimController, type SimCluster } from '../cluster.js';
import { isActive, nodeNameOf, podStatus, scheduledStatus, unschedulableStatus } from '../pods.js';
import { addUsage, emptyUsage, placePod, requestsOf, type NodeUsage } from '../scheduling.js';

const manager = 'default-scheduler';

function wantsScheduling(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as { schedulerName?: string };
  return !nodeNameOf(pod) && isActive(pod) && (spec.schedulerName ?? 'default-scheduler') === 'default-scheduler';
}

export class SchedulerController extends SimController {
  private readonly assumed = new Map<string, string>();
  private retryPending = false;

  constructor(c: SimCluster) {
    super('scheduler', c);
  }

  setup(): void {
    this.c.informer('pods').addHandlers({
      onAdd: (p) => wantsScheduling(p) && this.enqueue(p),
      onUpdate: (p, old) => {
        if (nodeNameOf(p)) this.assumed.delete(objectKey(p));
        if (wantsScheduling(p)) this.enqueue(p);
        if (isActive(old) && !isActive(p)) this.retryUnschedulable();
      },
      onDelete: (p) => {
        this.assumed.delete(objectKey(p));
        this.retryUnschedulable();
      },
    });
    this.c.informer('nodes').addHandlers({ onAdd: () => this.retryUnschedulable(), onUpdate: () => this.retryUnschedulable() });
  }

  /** something freed capacity or changed a node: look at waiting pods again (batched) */
  private retryUnschedulable(): void {
    if (this.retryPending) return;
    this.retryPending = true;
    setTimeout(() => {
      this.retryPending = false;
      for (const p of this.c.informer('pods').list(wantsScheduling)) this.enqueue(p);
    }, 50).unref();
  }

  /** what the pods bound or assumed to one node request (an index lookup, not a scan of every pod) */
  private usageOf(node: string): NodeUsage {
    const pods = this.c.informer('pods');
    const u = emptyUsage();
    for (const pod of this.c.podsOnNode(node)) if (isActive(pod)) addUsage(u, requestsOf(pod));
    for (const [key, assumedNode] of this.assumed) {
      if (assumedNode !== node) continue;
      const pod = pods.get(key);
      if (pod && !nodeNameOf(pod) && isActive(pod)) addUsage(u, requestsOf(pod));
    }
    return u;
  }

  async reconcile(key: string): Promise<void> {
    const pod = this.c.get('pods', key);
    if (!pod || !wantsScheduling(pod) || this.assumed.has(key)) return;
    const nodes = this.c.informer('nodes').list().sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    const usage = new Map<string, NodeUsage>();
    const placement = placePod(pod, nodes, (n) => {
      let u = usage.get(n);
      if (!u) usage.set(n, (u = this.usageOf(n)));
      return u;
    });
    if (!placement.node) {
      const status = unschedulableStatus(pod, placement.message!, rfc3339Now());
      const old = podStatus(pod).conditions?.find((c) => c.type === 'PodScheduled');
      if (old?.status === 'False' && old.message === placement.message) return;
      await this.c.updateStatus('pods', pod, status, manager);
      return;
    }
    this.assumed.set(key, placement.node);
    try {
      const bound = await this.c.update('pods', pod, manager, (o) => {
        const spec = (o.spec ??= {}) as { nodeName?: string };
        if (spec.nodeName) return false;
        spec.nodeName = placement.node;
      });
      if (bound) await this.c.updateStatus('pods', bound, scheduledStatus(bound, rfc3339Now()), manager);
      else this.assumed.delete(key);
    } catch (err) {
      this.assumed.delete(key);
      throw err;
    }
  }
}
