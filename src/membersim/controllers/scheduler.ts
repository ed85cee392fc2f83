// The member's kube-scheduler: binds pending pods to the node that fits them best, or marks them
// Unschedulable with kube-scheduler's message. Bound-but-not-yet-seen pods are "assumed", as
// kube-scheduler's cache does, so two pods never take the same free capacity.
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { Controller } from '../../runtime/controller.js';
import { objectKey } from '../../runtime/informer.js';
import type { SimCluster } from '../cluster.js';
import { isActive, nodeNameOf, podStatus, scheduledStatus, unschedulableStatus } from '../pods.js';
import { addUsage, emptyUsage, placePod, requestsOf, type NodeUsage } from '../scheduling.js';

const manager = 'default-scheduler';

function wantsScheduling(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as { schedulerName?: string };
  return !nodeNameOf(pod) && isActive(pod) && (spec.schedulerName ?? 'default-scheduler') === 'default-scheduler';
}

/**
 * The key that stands for every pod waiting to be scheduled (kube-scheduler's move of all
 * unschedulable pods back to the active queue): something freed capacity or changed a node. Pod
 * keys are namespace/name, so it cannot be a pod's.
 */
const waitingPods = 'waiting-pods';

export class SchedulerController {
  readonly controller: Controller;
  /** pods bound by us that the cache does not show bound yet, with their node */
  private readonly assumed = new Map<string, string>();

  constructor(private readonly c: SimCluster) {
    const pods = c.informer('pods');
    this.controller = c
      .controller('scheduler')
      // pods to bind, and pods assumed until the cache shows them bound (or gone)
      .for(pods, { filter: (p) => wantsScheduling(p) || this.assumed.has(objectKey(p)) })
      .watches(pods, () => waitingPods, { create: () => false, update: (p, old) => isActive(old) && !isActive(p) })
      .watches(c.informer('nodes'), () => waitingPods, { deleted: () => false })
      .complete(async (key) => (key === waitingPods ? this.retryWaiting() : this.reconcile(key)));
  }

  private async retryWaiting(): Promise<void> {
    for (const p of this.c.informer('pods').list(wantsScheduling)) this.controller.enqueue(objectKey(p));
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
    if (!pod || !wantsScheduling(pod)) {
      this.assumed.delete(key);
      return;
    }
    if (this.assumed.has(key)) return;
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
