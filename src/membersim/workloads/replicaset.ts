// The ReplicaSet controller: keeps spec.replicas active pods owned by the ReplicaSet, and reports
// replicas, fullyLabeledReplicas, readyReplicas and availableReplicas as Kubernetes does.
import type { LabelSelector } from '../../apimachinery/types.js';
import { objectKey } from '../../runtime/informer.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import type { Controller } from '../../runtime/controller.js';
import { requeueAfterMs, type SimCluster } from '../cluster.js';
import { isActive, isAvailable, isReady, msUntilAvailable } from '../pods.js';
import { deletionOrder, inBatches, podFromTemplate, type PodTemplate } from './common.js';

const manager = 'replicaset-controller';

interface RSSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
}

interface RSCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** calculateStatus's ReplicaFailure: set (once) with FailedCreate and the error while creates fail, removed when they no longer do */
function replicaFailure(conditions: RSCondition[], createError: Error | undefined): RSCondition[] {
  if (!createError) return conditions.filter((c) => c.type !== 'ReplicaFailure');
  if (conditions.some((c) => c.type === 'ReplicaFailure')) return conditions;
  return [...conditions, { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: createError.message, lastTransitionTime: rfc3339Now() }];
}

export class ReplicaSetController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    this.controller = c
      .controller('replicaset')
      .for(c.informer('replicasets'))
      .owns(c.informer('pods'), { kind: 'ReplicaSet', group: 'apps' })
      .complete(requeueAfterMs((key) => this.reconcile(key)));
  }

  async reconcile(key: string): Promise<number | void> {
    const rs = this.c.get('replicasets', key);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const spec = (rs.spec ?? {}) as RSSpec;
    const want = spec.replicas ?? 1;
    const owned = () => this.c.owned('pods', rs);
    const active = owned().filter(isActive);
    const diff = want - active.length;
    // the first refused create (a ResourceQuota, say): reported as ReplicaFailure, then retried
    let createError: Error | undefined;
    if (diff > 0) {
      const created: string[] = [];
      await inBatches(Array.from({ length: Math.min(diff, 500) }), 50, async () => {
        try {
          const pod = await this.c.create('pods', podFromTemplate(spec.template ?? {}, rs, { generateName: `${rs.metadata.name}-` }), manager);
          created.push(objectKey(pod));
        } catch (err) {
          createError ??= err instanceof Error ? err : new Error(String(err));
        }
      });
      await this.c.caughtUp('pods', (inf) => created.every((k) => inf.get(k)));
    } else if (diff < 0) {
      const victims = [...active].sort(deletionOrder).slice(0, -diff);
      await inBatches(victims, 50, (p) => this.c.delete('pods', p, manager));
      await this.c.caughtUp('pods', (inf) => victims.every((p) => !inf.get(objectKey(p)) || inf.get(objectKey(p))!.metadata.deletionTimestamp));
    }
    const now = Date.now();
    const pods = owned().filter(isActive);
    const minReady = spec.minReadySeconds ?? 0;
    const labels = spec.template?.metadata?.labels ?? {};
    const fullyLabeled = pods.filter((p) => Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v)).length;
    const ready = pods.filter(isReady).length;
    const available = pods.filter((p) => isAvailable(p, minReady, now)).length;
    const old = (rs.status ?? {}) as Record<string, unknown>;
    const status: Record<string, unknown> = {
      replicas: pods.length,
      ...(fullyLabeled ? { fullyLabeledReplicas: fullyLabeled } : {}),
      ...(ready ? { readyReplicas: ready } : {}),
      ...(available ? { availableReplicas: available } : {}),
      observedGeneration: rs.metadata.generation,
    };
    const conditions = replicaFailure((old.conditions ?? []) as RSCondition[], createError);
    if (conditions.length > 0) status.conditions = conditions;
    await this.c.updateStatus('replicasets', rs, status, manager, { ifCurrent: true });
    if (createError) throw createError;
    const waits = pods.map((p) => msUntilAvailable(p, minReady, now)).filter((w): w is number => w !== undefined);
    if (waits.length) return Math.min(...waits) + 10;
  }
}
