// A metrics-server for the member: a PodMetrics for every running pod and a NodeMetrics for every
// node, from the simulated usage. Written when usage changes, not on a timer, so idle members cost
// nothing.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import { isNotFound } from '../../apimachinery/errors.js';
import type { ResourceDef } from '../../apis/resource.js';
import { internalContext } from '../../apiserver/rest/context.js';
import { objectKey } from '../../runtime/informer.js';
import { SimController, controllerOf, splitKey, type ResourceName, type SimCluster } from '../cluster.js';
import { nodeMetrics, podMetrics, podUsage, usageHints, type UsageHints } from '../metrics.js';
import { nodeNameOf, podStatus } from '../pods.js';

const ctx = internalContext('metrics-server');
const ownerResource: Record<string, ResourceName> = { ReplicaSet: 'replicasets', Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', Job: 'jobs', CronJob: 'cronjobs' };

/** metrics-server scrapes every 15-60 s; two seconds keeps NodeMetrics fresh without a sum and a write per pod */
const nodeSumDelayMs = 2000;

const isRunning = (p: KubeObject) => podStatus(p).phase === 'Running' && !p.metadata.deletionTimestamp;

export class MetricsController extends SimController {
  constructor(
    c: SimCluster,
    private readonly defs: { pods: ResourceDef; nodes: ResourceDef },
  ) {
    super('metrics-server', c);
  }

  setup(): void {
    const pod = (p: KubeObject) => {
      this.queue.add(`pod:${objectKey(p)}`);
      const n = nodeNameOf(p);
      // a node's sum is written at most every nodeSumDelayMs, however many of its pods change
      if (n) this.queue.addAfter(`node:${n}`, nodeSumDelayMs);
    };
    this.c.informer('pods').addHandlers({ onAdd: pod, onUpdate: (p, old) => isRunning(p) !== isRunning(old) && pod(p), onDelete: pod });
    this.c.informer('nodes').addHandlers({ onAdd: (n) => this.queue.add(`node:${n.metadata.name}`) });
    // a workload's usage annotations changed: its pods' usage did too
    for (const r of ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs'] as const) {
      this.c.informer(r).addHandlers({
        onUpdate: (w, old) => {
          if (isDeepStrictEqual(w.metadata.annotations, old.metadata.annotations)) return;
          for (const p of this.c.informer('pods').list((p) => p.metadata.namespace === w.metadata.namespace && isRunning(p))) pod(p);
        },
      });
    }
  }

  private hints(pod: KubeObject): UsageHints {
    const chain: (Record<string, string> | undefined)[] = [pod.metadata.annotations];
    let obj: KubeObject | undefined = pod;
    for (let depth = 0; obj && depth < 3; depth++) {
      const ref = controllerOf(obj);
      const resource = ref && ownerResource[ref.kind];
      obj = resource ? this.c.get(resource, `${obj.metadata.namespace}/${ref!.name}`) : undefined;
      if (obj) chain.push(obj.metadata.annotations);
    }
    return usageHints(chain);
  }

  async reconcile(key: string): Promise<void> {
    const [kind, rest] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const now = rfc3339Now();
    if (kind === 'pod') {
      const pod = this.c.get('pods', rest);
      const { namespace, name } = splitKey(rest);
      if (!pod || !isRunning(pod)) return this.remove(this.defs.pods, namespace, name);
      return this.put(this.defs.pods, podMetrics(pod, this.hints(pod), now));
    }
    const node = this.c.get('nodes', rest);
    if (!node) return this.remove(this.defs.nodes, undefined, rest);
    const usages = this.c.podsOnNode(rest).filter(isRunning).map((p) => podUsage(p, this.hints(p)));
    return this.put(this.defs.nodes, nodeMetrics(node, usages, now));
  }

  private async put(def: ResourceDef, obj: KubeObject): Promise<void> {
    const { namespace, name } = obj.metadata;
    const same = (cur: KubeObject) => isDeepStrictEqual({ ...cur, timestamp: undefined, metadata: cur.metadata.labels }, { ...obj, apiVersion: cur.apiVersion, kind: cur.kind, timestamp: undefined, metadata: obj.metadata.labels });
    await this.c.objects.guaranteedUpdate(def, namespace, name!, ctx, (cur) => (same(cur) ? cur : { ...obj, metadata: { ...cur.metadata, labels: obj.metadata.labels } }), { createIfMissing: () => obj });
  }

  private async remove(def: ResourceDef, namespace: string | undefined, name: string): Promise<void> {
    try {
      await this.c.objects.delete(def, namespace, name, {}, ctx);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
