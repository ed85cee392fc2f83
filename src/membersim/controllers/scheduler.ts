// The member's kube-scheduler: binds pending pods (pods/binding, one write) to the node that fits
// them best, or marks them Unschedulable with kube-scheduler's message. Bound-but-not-yet-seen pods are "assumed", as
// kube-scheduler's cache does, so two pods never take the same free capacity.
import type { KubeObject } from '../../apimachinery/types.js';
import { assignPod } from '../../apiserver/rest/binding.js';
import { isConflict, isNotFound } from '../../apimachinery/errors.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { Controller } from '../../runtime/controller.js';
import { objectKey, type Informer } from '../../runtime/informer.js';
import { controllerContext, type SimCluster } from '../cluster.js';
import { isActive, nodeNameOf, podStatus, unschedulableStatus } from '../pods.js';
import { addUsage, emptyUsage, placePod, requestsOf, type NodeUsage } from '../scheduling.js';
import { isSchedulingGated } from './schedulinggated.js';

const manager = 'default-scheduler';

/** a gated pod waits outside the queue until its gates are gone (kube-scheduler's SchedulingGates PreEnqueue) */
function wantsScheduling(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as { schedulerName?: string };
  return !nodeNameOf(pod) && isActive(pod) && !isSchedulingGated(pod) && (spec.schedulerName ?? 'default-scheduler') === 'default-scheduler';
}

/**
 * The key that stands for every pod waiting to be scheduled (kube-scheduler's move of all
 * unschedulable pods back to the active queue): something freed capacity or changed a node. Pod
 * keys are namespace/name, so it cannot be a pod's.
 */
const waitingPods = 'waiting-pods';

/**
 * What the bound, active pods hold on each node, kept up to date from the pod informer's events as
 * kube-scheduler's cache is: a pod's requests are summed once when it is bound, not again for every
 * pod scheduled after it.
 */
class BoundUsage {
  private readonly byPod = new Map<string, { uid?: string; node: string; requests: Map<string, number> }>();
  private readonly byNode = new Map<string, NodeUsage>();

  constructor(pods: Informer) {
    pods.addHandlers({ onAdd: (p) => this.observe(p), onUpdate: (p) => this.observe(p), onDelete: (p) => this.forget(objectKey(p)) });
  }

  /** the node's usage; callers only read it */
  of(node: string): NodeUsage {
    return this.byNode.get(node) ?? emptyUsage();
  }

  private observe(pod: KubeObject): void {
    const key = objectKey(pod);
    const node = isActive(pod) ? nodeNameOf(pod) : undefined;
    const had = this.byPod.get(key);
    // a pod's node and requests do not change once it is bound
    if (had ? had.node === node && had.uid === pod.metadata.uid : !node) return;
    if (had) this.forget(key);
    if (!node) return;
    const requests = requestsOf(pod);
    this.byPod.set(key, { uid: pod.metadata.uid, node, requests });
    let u = this.byNode.get(node);
    if (!u) this.byNode.set(node, (u = emptyUsage()));
    addUsage(u, requests);
  }

  private forget(key: string): void {
    const had = this.byPod.get(key);
    if (!had) return;
    this.byPod.delete(key);
    const u = this.byNode.get(had.node)!;
    addUsage(u, had.requests, -1);
    if (u.pods === 0) this.byNode.delete(had.node);
  }
}

export class SchedulerController {
  readonly controller: Controller;
  /** pods bound by us that the cache does not show bound yet, with their node */
  private readonly assumed = new Map<string, string>();
  private readonly bound: BoundUsage;

  constructor(private readonly c: SimCluster) {
    const pods = c.informer('pods');
    this.bound = new BoundUsage(pods);
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

  /** what the pods bound or assumed to one node request */
  private usageOf(node: string): NodeUsage {
    const pods = this.c.informer('pods');
    const bound = this.bound.of(node);
    let u: NodeUsage | undefined;
    for (const [key, assumedNode] of this.assumed) {
      if (assumedNode !== node) continue;
      const pod = pods.get(key);
      if (!pod || nodeNameOf(pod) || !isActive(pod)) continue;
      u ??= { pods: bound.pods, requested: new Map(bound.requested) };
      addUsage(u, requestsOf(pod));
    }
    return u ?? bound;
  }

  async reconcile(key: string): Promise<void> {
    const pod = this.c.get('pods', key);
    if (!pod || !wantsScheduling(pod)) {
      this.assumed.delete(key);
      return;
    }
    if (this.assumed.has(key)) return;
    // in cache order: placePod breaks ties by name and sorts its message, so no order is needed here
    const nodes = this.c.informer('nodes').list();
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
      // one write, as kube-scheduler binds: nodeName and PodScheduled=True together
      const binding = { metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid }, target: { kind: 'Node', name: placement.node } };
      await assignPod(this.c.objects, this.c.def('pods'), pod.metadata.namespace, pod.metadata.name!, binding, controllerContext(manager));
    } catch (err) {
      this.assumed.delete(key);
      // bound meanwhile, being deleted, or another pod of that name: nothing left to schedule here
      if (isConflict(err) || isNotFound(err)) return;
      throw err;
    }
  }
}
