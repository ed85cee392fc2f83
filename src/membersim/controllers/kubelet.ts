// The kubelets of every node of the member, simulated: a bound pod starts after the startup delay
// (Running, Ready, IPs, container statuses); a Job's pod then succeeds after its run duration; pods
// on a NotReady node are marked not ready, as the node lifecycle controller does; a pod whose image
// the member cannot pull stays ErrImagePull, then ImagePullBackOff, until the image is pullable again.
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { Controller } from '../../runtime/controller.js';
import { objectKey } from '../../runtime/informer.js';
import { controllerOf, requeueAfterMs, type SimCluster } from '../cluster.js';
import { nodeInternalIP, nodeIsReady } from '../nodes.js';
import { imagePullFailedStatus, imagePullReason, unpullableContainers } from '../images.js';
import { condition, isReady, nodeNameOf, podStatus, runningStatus, succeededStatus } from '../pods.js';
import { parseGoDuration } from '../../apimachinery/duration.js';

const manager = 'kubelet';
const runDurationAnnotation = 'membersim.karmada-ts.io/run-duration';

function runsToCompletion(pod: KubeObject): boolean {
  const policy = (pod.spec as { restartPolicy?: string } | undefined)?.restartPolicy ?? 'Always';
  return policy !== 'Always' && controllerOf(pod)?.kind === 'Job';
}

export class KubeletController {
  readonly controller: Controller;
  private readonly nextIP = new Map<string, number>();
  /** IPs handed out whose Running status the cache has not shown yet: a second look at the stale Pending pod keeps its IP */
  private readonly assignedIP = new Map<string, string>();
  private readonly pullFailedAt = new Map<string, number>();

  constructor(
    private readonly c: SimCluster,
    /** images this member cannot pull (besides registry `fake`) */
    private readonly unpullable: ReadonlySet<string> = new Set(),
  ) {
    this.controller = c
      .controller('kubelet')
      .for(c.informer('pods'), { filter: (p) => !!nodeNameOf(p) })
      // a node that turns Ready or NotReady: each of its pods
      .watches(c.informer('nodes'), (n) => c.podsOnNode(n.metadata.name!).map(objectKey), { create: () => false, deleted: () => false, update: (n, old) => nodeIsReady(n) !== nodeIsReady(old) })
      .complete(requeueAfterMs((key) => this.reconcile(key)));
  }

  /** the unpullable images changed: every bound pod is looked at again */
  imagesChanged(): void {
    for (const p of this.c.informer('pods').list((p) => !!nodeNameOf(p))) this.controller.enqueue(objectKey(p));
  }

  private podIP(node: KubeObject, pod: KubeObject): string {
    const had = this.assignedIP.get(pod.metadata.uid ?? '');
    if (had) return had;
    const cidr = ((node.spec as { podCIDR?: string } | undefined)?.podCIDR ?? '10.244.0.0/24').split('/')[0].split('.');
    const n = (this.nextIP.get(node.metadata.name!) ?? 1) + 1;
    this.nextIP.set(node.metadata.name!, n > 254 ? 1 : n);
    const ip = `${cidr[0]}.${cidr[1]}.${cidr[2]}.${n}`;
    if (pod.metadata.uid) this.assignedIP.set(pod.metadata.uid, ip);
    return ip;
  }

  async reconcile(key: string): Promise<number | void> {
    const pod = this.c.get('pods', key);
    const nodeName = pod && nodeNameOf(pod);
    if (!pod || !nodeName || pod.metadata.deletionTimestamp) {
      if (pod) this.assignedIP.delete(pod.metadata.uid ?? '');
      this.pullFailedAt.delete(key);
      return;
    }
    const status = podStatus(pod);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') return;
    const node = this.c.get('nodes', nodeName);
    if (!node) return;
    const now = Date.now();
    if (!nodeIsReady(node)) {
      if (status.phase === 'Running' && isReady(pod)) {
        const at = rfc3339Now();
        const conditions = (status.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', lastTransitionTime: at } : c));
        await this.c.updateStatus('pods', pod, { ...status, conditions }, 'node-lifecycle-controller');
      }
      return;
    }
    const failing = unpullableContainers(pod, this.unpullable);
    if (failing.length) return this.failPull(key, pod, node, failing, now);
    this.pullFailedAt.delete(key);
    if (status.phase !== 'Running') {
      const scheduledAt = Date.parse(condition(pod, 'PodScheduled')?.lastTransitionTime ?? '') || now;
      const wait = scheduledAt + this.c.timing.podStartupMs - now;
      if (wait > 0) return wait;
      const at = rfc3339Now();
      await this.c.updateStatus('pods', pod, runningStatus(pod, { hostIP: nodeInternalIP(node), podIP: this.podIP(node, pod), startTime: at, now: at, ready: true }), manager);
      return;
    }
    this.assignedIP.delete(pod.metadata.uid ?? '');
    if (!isReady(pod)) {
      const at = rfc3339Now();
      const next = runningStatus(pod, { hostIP: status.hostIP as string, podIP: status.podIP as string, startTime: status.startTime as string, now: at, ready: true });
      await this.c.updateStatus('pods', pod, next, manager);
      return;
    }
    if (runsToCompletion(pod)) {
      const duration = parseGoDuration(pod.metadata.annotations?.[runDurationAnnotation]) ?? this.c.timing.jobDurationMs;
      const started = Date.parse((status.startTime as string | undefined) ?? '') || now;
      const left = started + duration - now;
      if (left > 0) return left;
      await this.c.updateStatus('pods', pod, succeededStatus(pod, rfc3339Now()), manager);
    }
  }

  /** ErrImagePull after the startup delay, ImagePullBackOff a back-off later, then nothing until the image is pullable */
  private async failPull(key: string, pod: KubeObject, node: KubeObject, failing: ReturnType<typeof unpullableContainers>, now: number): Promise<number | void> {
    const status = podStatus(pod);
    if (status.phase !== 'Running') {
      const scheduledAt = Date.parse(condition(pod, 'PodScheduled')?.lastTransitionTime ?? '') || now;
      const wait = scheduledAt + this.c.timing.podStartupMs - now;
      if (wait > 0) return wait;
    }
    const reason = imagePullReason(pod);
    if (reason === 'ImagePullBackOff') return;
    if (reason === 'ErrImagePull') {
      const failedAt = this.pullFailedAt.get(key) ?? now;
      this.pullFailedAt.set(key, failedAt);
      const wait = failedAt + 2 * this.c.timing.podStartupMs - now;
      if (wait > 0) return wait;
    }
    const opts = { hostIP: nodeInternalIP(node), podIP: status.podIP as string | undefined, now: rfc3339Now(), backOff: reason === 'ErrImagePull' };
    await this.c.updateStatus('pods', pod, imagePullFailedStatus(pod, failing, opts), manager);
    if (!opts.backOff) this.pullFailedAt.set(key, now);
  }
}
