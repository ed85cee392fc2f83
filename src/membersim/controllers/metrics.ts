// A metrics-server for the member: PodMetrics for every running pod and NodeMetrics for every node,
// computed on request from the cached pods and the load model (nothing stored, nothing on a timer).
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { MetricsSource } from '../../apiserver/metricsapi/serve.js';
import { controllerOf, type ResourceName, type SimCluster } from '../cluster.js';
import { nodeMetrics, podMetrics, podUsage, usageHints, type UsageHints } from '../metrics.js';
import { customShare, loadKey, podShare, type LoadTable } from '../load.js';
import type { MetricValue } from '../../apiserver/metricsapi/custom.js';
import { parseSelector } from '../../apimachinery/labels.js';
import { podStatus } from '../pods.js';

const ownerResource: Record<string, ResourceName> = { ReplicaSet: 'replicasets', Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', Job: 'jobs', CronJob: 'cronjobs' };

const isRunning = (p: KubeObject) => podStatus(p).phase === 'Running' && !p.metadata.deletionTimestamp;

export class MemberMetrics implements MetricsSource {
  constructor(
    private readonly c: SimCluster,
    private readonly loads: () => LoadTable,
  ) {}

  /** the pod and its owners, pod first (at most pod → ReplicaSet → Deployment) */
  private chain(pod: KubeObject): KubeObject[] {
    const out = [pod];
    let obj: KubeObject | undefined = pod;
    for (let depth = 0; obj && depth < 3; depth++) {
      const ref = controllerOf(obj);
      const resource = ref && ownerResource[ref.kind];
      obj = resource ? this.c.get(resource, `${obj.metadata.namespace}/${ref!.name}`) : undefined;
      if (obj) out.push(obj);
    }
    return out;
  }

  private hints(chain: KubeObject[]): UsageHints {
    return usageHints(chain.map((o) => o.metadata.annotations));
  }

  /** the Deployment's load key of a pod's owner chain */
  private workloadKey(chain: KubeObject[]): string | undefined {
    const d = chain.find((o) => o.kind === 'Deployment');
    return d ? loadKey(d.metadata.namespace!, d.metadata.name!) : undefined;
  }

  /** the running pods of `Deployment namespace/name` */
  runningPodsOf(namespace: string, name: string): number {
    const d = this.c.get('deployments', `${namespace}/${name}`);
    if (!d) return 0;
    return this.c.owned('replicasets', d).reduce((n, rs) => n + this.c.owned('pods', rs).filter(isRunning).length, 0);
  }

  /** usage of each running pod (of one namespace, or all), with its load share */
  private usages(pods: KubeObject[]): { pod: KubeObject; hints: UsageHints; share?: { cpu: number; memory?: number } }[] {
    const loads = this.loads();
    const entries = pods.filter(isRunning).map((pod) => {
      const chain = this.chain(pod);
      return { pod, hints: this.hints(chain), key: this.workloadKey(chain) };
    });
    const running = new Map<string, number>();
    for (const e of entries) if (e.key && loads[e.key]) running.set(e.key, (running.get(e.key) ?? 0) + 1);
    return entries.map(({ pod, hints, key }) => ({ pod, hints, share: key && loads[key] ? podShare(loads[key], running.get(key)!) : undefined }));
  }

  async pods(namespace: string | undefined): Promise<KubeObject[]> {
    const now = rfc3339Now();
    // the share depends on every running pod of the workload, which all live in its namespace
    const pods = this.c.informer('pods').list((p) => namespace === undefined || p.metadata.namespace === namespace);
    return this.usages(pods).map((u) => podMetrics(u.pod, u.hints, now, u.share));
  }

  /** custom.metrics.k8s.io: the metric of each running pod whose workload's load sets it, spread as cpu is */
  async custom(namespace: string, metric: string, labelSelector: string): Promise<MetricValue[]> {
    const selector = parseSelector(labelSelector);
    const loads = this.loads();
    const pods = this.c.informer('pods').list((p) => p.metadata.namespace === namespace && isRunning(p));
    const keyed = pods.map((pod) => ({ pod, key: this.workloadKey(this.chain(pod)) }));
    const running = new Map<string, number>();
    for (const { key } of keyed) if (key) running.set(key, (running.get(key) ?? 0) + 1);
    const now = rfc3339Now();
    const out: MetricValue[] = [];
    for (const { pod, key } of keyed) {
      const load = key ? loads[key] : undefined;
      const v = load && customShare(load, metric, running.get(key!)!);
      if (v === undefined || !selector.matches(pod.metadata.labels ?? {})) continue;
      out.push({ describedObject: { kind: 'Pod', namespace, name: pod.metadata.name!, apiVersion: '/v1' }, metric: { name: metric }, timestamp: now, windowSeconds: 15, value: `${v}m` });
    }
    return out;
  }

  async nodes(): Promise<KubeObject[]> {
    const now = rfc3339Now();
    const usages = this.usages(this.c.informer('pods').list());
    const sums = new Map<string, { cpu: number; memory: number }[]>();
    for (const u of usages) {
      const node = (u.pod.spec as { nodeName?: string } | undefined)?.nodeName;
      if (!node) continue;
      sums.set(node, [...(sums.get(node) ?? []), podUsage(u.pod, u.hints, u.share)]);
    }
    return this.c.informer('nodes').list().map((n) => nodeMetrics(n, sums.get(n.metadata.name!) ?? [], now));
  }
}
