// The DaemonSet controller: one pod on every node the template can run on (nodeSelector, required
// node affinity, taints against its tolerations plus the ones DaemonSets always get), pinned with a
// matchFields node affinity as Kubernetes does, rolled one node at a time on template changes.
import type { KubeObject, LabelSelector } from '../../apimachinery/types.js';
import type { Toleration } from '../../apis/karmada/placement.js';
import type { Taint } from '../../apis/karmada/cluster.js';
import { objectKey } from '../../runtime/informer.js';
import { findUntoleratedTaint } from '../../scheduler/util/taints.js';
import type { Controller } from '../../runtime/controller.js';
import { requeueAfterMs, type SimCluster } from '../cluster.js';
import { isActive, isAvailable, isReady, nodeNameOf } from '../pods.js';
import { matchesNodeSelection } from '../scheduling.js';
import { computeHash, inBatches, podFromTemplate, scaledValue, type PodTemplate } from './common.js';

const manager = 'daemonset-controller';

interface DSSpec {
  selector?: LabelSelector;
  template?: PodTemplate;
  minReadySeconds?: number;
  updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
}

/** the tolerations the DaemonSet controller adds to every daemon pod */
const daemonTolerations: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** the daemon pod for a node: the template, its tolerations, and a node affinity to exactly that node */
function daemonPod(ds: KubeObject, template: PodTemplate, node: string, hash: string): KubeObject {
  const pod = podFromTemplate(template, ds, { generateName: `${ds.metadata.name}-` }, { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) });
  const spec = pod.spec as { tolerations?: Toleration[]; affinity?: Record<string, unknown> };
  const have = spec.tolerations ?? [];
  spec.tolerations = [...have, ...daemonTolerations.filter((t) => !have.some((h) => h.key === t.key && h.effect === t.effect))];
  const affinity = (spec.affinity ?? {}) as { nodeAffinity?: Record<string, unknown> };
  spec.affinity = {
    ...affinity,
    nodeAffinity: {
      ...affinity.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
    },
  };
  return pod;
}

/** nodeShouldRunDaemonPod: the template's node selection and taints, with the daemon tolerations */
function shouldRun(template: PodTemplate, node: KubeObject): boolean {
  const asPod: KubeObject = { metadata: {}, spec: template.spec ?? {} };
  if (!matchesNodeSelection(asPod, node)) return false;
  const tolerations = [...(((template.spec ?? {}) as { tolerations?: Toleration[] }).tolerations ?? []), ...daemonTolerations];
  const taints = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []);
  return !findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
}

function targetNode(pod: KubeObject): string | undefined {
  const terms = ((pod.spec as { affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchFields?: { key: string; values?: string[] }[] }[] } } } }).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []);
  return nodeNameOf(pod) ?? terms[0]?.matchFields?.find((f) => f.key === 'metadata.name')?.values?.[0];
}

export class DaemonSetController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    this.controller = c
      .controller('daemonset')
      .for(c.informer('daemonsets'))
      .owns(c.informer('pods'), { kind: 'DaemonSet', group: 'apps' })
      // a node that comes, goes or changes its labels or spec: every DaemonSet may want a pod there or not
      .watches(c.informer('nodes'), () => c.informer('daemonsets').list().map(objectKey), { update: (n, old) => JSON.stringify([n.metadata.labels, n.spec]) !== JSON.stringify([old.metadata.labels, old.spec]) })
      .complete(requeueAfterMs((key) => this.reconcile(key)));
  }

  async reconcile(key: string): Promise<number | void> {
    const ds = this.c.get('daemonsets', key);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const spec = (ds.spec ?? {}) as DSSpec;
    const template = spec.template ?? {};
    const hash = computeHash(template);
    const nodes = this.c.informer('nodes').list();
    const owned = () => this.c.owned('pods', ds).filter(isActive);
    const byNode = new Map<string, KubeObject[]>();
    for (const p of owned()) {
      const n = targetNode(p) ?? '';
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const create: KubeObject[] = [];
    const remove: KubeObject[] = [];
    const eligible = new Set(nodes.filter((n) => shouldRun(template, n)).map((n) => n.metadata.name!));
    for (const n of eligible) {
      const pods = byNode.get(n) ?? [];
      if (!pods.length) create.push(daemonPod(ds, template, n, hash));
      else if (pods.length > 1) remove.push(...pods.slice(1));
    }
    for (const [n, pods] of byNode) if (!eligible.has(n)) remove.push(...pods);
    // rolling update: replace outdated pods while few enough are unavailable
    if ((spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const maxUnavailable = Math.max(1, scaledValue(spec.updateStrategy?.rollingUpdate?.maxUnavailable, eligible.size, true, 1));
      const current = [...eligible].map((n) => byNode.get(n)?.[0]).filter((p): p is KubeObject => !!p);
      let unavailable = eligible.size - current.filter(isReady).length;
      for (const p of current) {
        if (unavailable >= maxUnavailable) break;
        if (p.metadata.labels?.['controller-revision-hash'] !== hash) {
          remove.push(p);
          unavailable++;
        }
      }
    }
    const created: string[] = [];
    await inBatches(create, 50, async (p) => created.push(objectKey(await this.c.create('pods', p, manager))));
    await inBatches(remove, 50, (p) => this.c.delete('pods', p, manager));
    await this.c.caughtUp('pods', (inf) => created.every((k) => inf.get(k)) && remove.every((p) => !inf.get(objectKey(p))));

    const now = Date.now();
    const pods = owned();
    const scheduledOn = (n: string) => pods.filter((p) => nodeNameOf(p) === n);
    const onEligible = pods.filter((p) => eligible.has(nodeNameOf(p) ?? ''));
    const status: Record<string, unknown> = {
      currentNumberScheduled: [...eligible].filter((n) => scheduledOn(n).length > 0).length,
      numberMisscheduled: pods.filter((p) => nodeNameOf(p) && !eligible.has(nodeNameOf(p)!)).length,
      desiredNumberScheduled: eligible.size,
      numberReady: onEligible.filter(isReady).length,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: onEligible.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length,
      numberAvailable: onEligible.filter((p) => isAvailable(p, spec.minReadySeconds ?? 0, now)).length,
    };
    const unavailable = eligible.size - (status.numberAvailable as number);
    if (unavailable > 0) status.numberUnavailable = unavailable;
    for (const k of ['numberAvailable', 'updatedNumberScheduled']) if (!status[k]) delete status[k];
    await this.c.updateStatus('daemonsets', ds, status, manager);
  }
}
