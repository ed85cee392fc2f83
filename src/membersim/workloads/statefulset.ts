// The StatefulSet controller: pods <name>-0..N-1 with stable hostnames, created and removed in
// order (OrderedReady) or all at once (Parallel), rolled from the highest ordinal down to the
// partition, with revision and replica counts in status.
import type { KubeObject } from '../../apimachinery/types.js';
import { objectKey } from '../../runtime/informer.js';
import type { Controller } from '../../runtime/controller.js';
import { requeueAfterMs, type SimCluster } from '../cluster.js';
import { isActive, isAvailable, isReady, podStatus } from '../pods.js';
import { computeHash, inBatches, podFromTemplate, type PodTemplate } from './common.js';

const manager = 'statefulset-controller';

interface STSSpec {
  replicas?: number;
  serviceName?: string;
  template?: PodTemplate;
  minReadySeconds?: number;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
}

/** the ordinal of `<set>-<n>`, or -1 */
export function ordinalOf(setName: string, podName: string): number {
  const m = /^(.*)-(\d+)$/.exec(podName);
  return m && m[1] === setName ? Number(m[2]) : -1;
}

export class StatefulSetController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    this.controller = c
      .controller('statefulset')
      .for(c.informer('statefulsets'))
      .owns(c.informer('pods'), { kind: 'StatefulSet', group: 'apps' })
      .complete(requeueAfterMs((key) => this.reconcile(key)));
  }

  async reconcile(key: string): Promise<number | void> {
    const sts = this.c.get('statefulsets', key);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const spec = (sts.spec ?? {}) as STSSpec;
    const name = sts.metadata.name!;
    const replicas = spec.replicas ?? 1;
    const revision = `${name}-${computeHash(spec.template)}`;
    const ordered = (spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const owned = () => this.c.owned('pods', sts);
    const byOrdinal = new Map<number, KubeObject>();
    for (const p of owned()) byOrdinal.set(ordinalOf(name, p.metadata.name!), p);
    const healthy = (p: KubeObject | undefined) => !!p && isActive(p) && podStatus(p).phase === 'Running' && isReady(p);
    const create: KubeObject[] = [];
    const remove: KubeObject[] = [];
    // failed or succeeded pods are replaced
    for (const p of byOrdinal.values()) if (!isActive(p) && !p.metadata.deletionTimestamp) remove.push(p);
    if (!remove.length) {
      for (let i = 0; i < replicas; i++) {
        const p = byOrdinal.get(i);
        if (!p) {
          create.push(this.pod(sts, spec, i, revision));
          if (ordered) break;
        } else if (ordered && !healthy(p)) break;
      }
    }
    if (!create.length && !remove.length) {
      const condemned = [...byOrdinal].filter(([i, p]) => i >= replicas && !p.metadata.deletionTimestamp).sort((a, b) => b[0] - a[0]);
      const othersHealthy = [...byOrdinal].filter(([i]) => i < replicas).every(([, p]) => healthy(p));
      if (condemned.length && (!ordered || othersHealthy)) remove.push(...(ordered ? condemned.slice(0, 1) : condemned).map(([, p]) => p));
    }
    if (!create.length && !remove.length && (spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
      const allHealthy = Array.from({ length: replicas }, (_, i) => byOrdinal.get(i)).every(healthy);
      if (allHealthy) {
        for (let i = replicas - 1; i >= partition; i--) {
          const p = byOrdinal.get(i)!;
          if (p.metadata.labels?.['controller-revision-hash'] !== revision) {
            remove.push(p);
            break;
          }
        }
      }
    }
    const created: string[] = [];
    await inBatches(create, 50, async (p) => created.push(objectKey(await this.c.create('pods', p, manager))));
    await inBatches(remove, 50, (p) => this.c.delete('pods', p, manager));
    await this.c.caughtUp('pods', (inf) => created.every((k) => inf.get(k)) && remove.every((p) => !inf.get(objectKey(p))));

    const pods = owned().filter(isActive);
    const prev = (sts.status ?? {}) as { currentRevision?: string };
    const updated = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
    const currentRevision = updated === replicas && pods.length === replicas ? revision : (prev.currentRevision ?? revision);
    const status: Record<string, unknown> = {
      observedGeneration: sts.metadata.generation,
      replicas: pods.length,
      readyReplicas: pods.filter(isReady).length,
      currentReplicas: pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === currentRevision).length,
      updatedReplicas: updated,
      currentRevision,
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: pods.filter((p) => isAvailable(p, spec.minReadySeconds ?? 0, Date.now())).length,
    };
    for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (!status[k]) delete status[k];
    await this.c.updateStatus('statefulsets', sts, status, manager);
  }

  private pod(sts: KubeObject, spec: STSSpec, ordinal: number, revision: string): KubeObject {
    const podName = `${sts.metadata.name}-${ordinal}`;
    const pod = podFromTemplate(spec.template ?? {}, sts, { name: podName }, {
      'controller-revision-hash': revision,
      'statefulset.kubernetes.io/pod-name': podName,
      'apps.kubernetes.io/pod-index': String(ordinal),
    });
    const podSpec = pod.spec as { hostname?: string; subdomain?: string };
    podSpec.hostname = podName;
    if (spec.serviceName) podSpec.subdomain = spec.serviceName;
    return pod;
  }
}
