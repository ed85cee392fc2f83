// Node registration and heartbeats: every configured node exists, its Ready condition is renewed
// every heartbeat period (spread out, so thousands of nodes cost a trickle of writes), and a node
// made NotReady gets status Unknown and the unreachable taints, as the node lifecycle controller does.
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { Controller } from '../../runtime/controller.js';
import { requeueAfterMs, type SimCluster } from '../cluster.js';
import { nodeIsReady, readyCondition, unreachableTaints } from '../nodes.js';

interface Cond {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

const isLifecycleTaint = (t: { key: string }) => t.key === 'node.kubernetes.io/unreachable' || t.key === 'node.kubernetes.io/not-ready';

export const nodeLifecycleController = 'node-lifecycle';

export class NodeController {
  readonly controller: Controller;
  /** nodes looked at once already */
  private readonly seen = new Set<string>();

  constructor(
    private readonly c: SimCluster,
    private readonly notReady: ReadonlySet<string>,
  ) {
    this.controller = c
      .controller(nodeLifecycleController)
      .for(c.informer('nodes'))
      .complete(requeueAfterMs((name) => this.reconcile(name)));
  }

  async reconcile(name: string): Promise<number | void> {
    const node = this.c.get('nodes', name);
    if (!node) {
      this.seen.delete(name);
      return;
    }
    const wantReady = !this.notReady.has(name);
    const period = this.c.timing.nodeHeartbeatMs;
    const status = (node.status ?? {}) as { conditions?: Cond[] };
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    const taints = ((node.spec as { taints?: { key: string; effect: string }[] } | undefined)?.taints ?? []);
    const hasTaints = taints.some(isLifecycleTaint);
    // a node with nothing to change has its first heartbeat somewhere in its first second, so that
    // thousands of nodes (re)started together do not heartbeat in step
    if (!this.seen.has(name)) {
      this.seen.add(name);
      if (hasTaints !== wantReady && nodeIsReady(node) === wantReady) return Math.random() * 1000;
    }
    if (hasTaints === wantReady) {
      await this.c.update('nodes', node, 'node-lifecycle-controller', (o) => {
        const spec = (o.spec ??= {}) as { taints?: { key: string; effect: string }[] };
        const kept = (spec.taints ?? []).filter((t) => !isLifecycleTaint(t));
        spec.taints = wantReady ? kept : [...kept, ...unreachableTaints];
        if (!spec.taints.length) delete spec.taints;
      });
    }
    const since = Date.now() - (Date.parse(ready?.lastHeartbeatTime ?? '') || 0);
    if (nodeIsReady(node) === wantReady && since < period) return period - since + Math.random() * 1000;
    if (!wantReady && ready?.status === 'Unknown') return; // a stopped kubelet does not heartbeat
    const now = rfc3339Now();
    const next = readyCondition(wantReady, now);
    if (ready && (ready.status === 'True') === wantReady) next.lastTransitionTime = ready.lastTransitionTime ?? now;
    const conditions = (status.conditions ?? []).map((c) => (c.type === 'Ready' ? next : wantReady ? { ...c, lastHeartbeatTime: now } : c));
    await this.c.updateStatus('nodes', node, { ...(node.status as object), conditions }, 'kubelet');
    return period;
  }
}

/** the node objects to create at registration (those not already there) */
export function missingNodes(wanted: KubeObject[], existing: (name: string) => KubeObject | undefined): KubeObject[] {
  return wanted.filter((n) => !existing(n.metadata.name!));
}
