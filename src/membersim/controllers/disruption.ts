// The disruption controller (kube-controller-manager's disruption.go) for simulated members: a
// PodDisruptionBudget's status counts the pods it selects — expected, healthy (Ready and not being
// deleted), the healthy it wants from minAvailable or maxUnavailable — and how many may be disrupted.
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { Condition, KubeObject, LabelSelector } from '../../apimachinery/types.js';
import type { Controller } from '../../runtime/controller.js';
import { objectKey } from '../../runtime/informer.js';
import { controllerOf, type SimCluster } from '../cluster.js';
import { isReady } from '../pods.js';
import { scaledValue, selects } from '../workloads/common.js';

const manager = 'disruption-controller';

interface PDBSpec {
  selector?: LabelSelector;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

export interface PDBStatus {
  observedGeneration?: number;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions: Condition[];
}

/**
 * getExpectedPodCount and updatePdbStatus: with maxUnavailable or a percentage minAvailable the
 * expected count is the scale of the pods' controllers (`scale`), with a whole minAvailable it is
 * the number of pods. Percentages round up.
 */
export function pdbStatus(pdb: KubeObject, pods: KubeObject[], scale: number, previous: Condition | undefined, now: string): PDBStatus {
  const spec = (pdb.spec ?? {}) as PDBSpec;
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  let expectedPods: number;
  let desiredHealthy: number;
  if (spec.maxUnavailable !== undefined) {
    expectedPods = scale;
    desiredHealthy = Math.max(0, expectedPods - scaledValue(spec.maxUnavailable, expectedPods, true, 0));
  } else if (typeof spec.minAvailable === 'string' && spec.minAvailable.endsWith('%')) {
    expectedPods = scale;
    desiredHealthy = scaledValue(spec.minAvailable, expectedPods, true, 0);
  } else {
    expectedPods = live.length;
    desiredHealthy = scaledValue(spec.minAvailable, expectedPods, true, 0);
  }
  const currentHealthy = live.filter(isReady).length;
  const disruptionsAllowed = Math.max(0, currentHealthy - desiredHealthy);
  const allowed = disruptionsAllowed > 0;
  const status = allowed ? 'True' : 'False';
  const condition: Condition = {
    type: 'DisruptionAllowed',
    status,
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    observedGeneration: pdb.metadata.generation,
    lastTransitionTime: previous?.status === status && previous.lastTransitionTime ? previous.lastTransitionTime : now,
  };
  return { observedGeneration: pdb.metadata.generation, disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods, conditions: [condition] };
}

export class DisruptionController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    const budgets = c.informer('poddisruptionbudgets');
    const inNamespaceOf = (o: KubeObject) => budgets.list((b) => b.metadata.namespace === o.metadata.namespace);
    // the budgets that select the pod (the builder asks for the old pod too)
    const selecting = (p: KubeObject) => inNamespaceOf(p).filter((b) => selects((b.spec as PDBSpec | undefined)?.selector, p)).map(objectKey);
    const builder = c.controller('disruption').for(budgets).watches(c.informer('pods'), selecting);
    // a scaled controller changes the expected pod count of every budget of its namespace
    const scaled = { create: () => false, deleted: () => false };
    for (const owner of ['replicasets', 'deployments', 'statefulsets'] as const) builder.watches(c.informer(owner), (o) => inNamespaceOf(o).map(objectKey), scaled);
    this.controller = builder.complete((key) => this.reconcile(key));
  }

  /** getExpectedScale: the replicas of every controller of the pods, each counted once */
  private expectedScale(pods: KubeObject[]): number {
    const seen = new Set<string>();
    let scale = 0;
    for (const pod of pods) {
      const ref = controllerOf(pod);
      if (!ref || seen.has(ref.uid)) continue;
      seen.add(ref.uid);
      const ns = pod.metadata.namespace;
      if (ref.kind === 'ReplicaSet') {
        const rs = this.c.get('replicasets', `${ns}/${ref.name}`);
        const dep = rs && controllerOf(rs);
        if (dep?.kind === 'Deployment') {
          if (seen.has(dep.uid)) continue;
          seen.add(dep.uid);
          scale += replicasOf(this.c.get('deployments', `${ns}/${dep.name}`));
        } else scale += replicasOf(rs);
      } else if (ref.kind === 'StatefulSet') {
        scale += replicasOf(this.c.get('statefulsets', `${ns}/${ref.name}`));
      }
    }
    return scale;
  }

  async reconcile(key: string): Promise<void> {
    const pdb = this.c.get('poddisruptionbudgets', key);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const selector = (pdb.spec as PDBSpec | undefined)?.selector;
    const pods = this.c.informer('pods').list((p) => p.metadata.namespace === pdb.metadata.namespace && selects(selector, p));
    const previous = ((pdb.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
    const status = pdbStatus(pdb, pods, this.expectedScale(pods), previous, rfc3339Now());
    await this.c.updateStatus('poddisruptionbudgets', pdb, { ...((pdb.status as object) ?? {}), ...status }, manager);
  }
}

function replicasOf(obj: KubeObject | undefined): number {
  const r = (obj?.spec as { replicas?: number } | undefined)?.replicas;
  return r ?? (obj ? 1 : 0);
}
