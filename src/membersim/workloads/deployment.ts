// The Deployment controller: one ReplicaSet per pod template (named <deployment>-<hash>), rolling
// updates or recreate between them, revision history, and status/conditions as Kubernetes fills them.
import type { KubeObject, LabelSelector } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import { isAlreadyExists } from '../../apimachinery/errors.js';
import type { Controller } from '../../runtime/controller.js';
import { ownerRef, requeueAfterMs, type SimCluster } from '../cluster.js';
import { isActive } from '../pods.js';
import { computeHash, setCondition, templatesEqual, type PodTemplate } from './common.js';
import { fenceposts, newRSReplicas, scaleDownOld, type RSState } from './rollout.js';

const manager = 'deployment-controller';
const revisionAnn = 'deployment.kubernetes.io/revision';
const desiredAnn = 'deployment.kubernetes.io/desired-replicas';
const maxAnn = 'deployment.kubernetes.io/max-replicas';

/** SetReplicasAnnotations: the Deployment's size a ReplicaSet was scaled for, set with every scale of it */
type Sizing = Record<typeof desiredAnn | typeof maxAnn, string>;
const sizingFor = (replicas: number, maxReplicas: number): Sizing => ({ [desiredAnn]: String(replicas), [maxAnn]: String(maxReplicas) });

interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
}

interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

const specOf = (o: KubeObject) => (o.spec ?? {}) as DeploymentSpec & { replicas?: number };
const rsStatus = (rs: KubeObject) => (rs.status ?? {}) as { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number };
const revisionOf = (o: KubeObject) => Number(o.metadata.annotations?.[revisionAnn] ?? 0) || 0;
const state = (rs: KubeObject): RSState => ({ name: rs.metadata.name!, replicas: specOf(rs).replicas ?? 0, available: rsStatus(rs).availableReplicas ?? 0 });

type Counts = { replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number };

/**
 * deploymentutil.DeploymentProgressing: more updated, ready or available replicas, or fewer old
 * ones, than the status says (an absent count is 0, as the API omits zeros)
 */
export function madeProgress(prev: Counts, next: Counts): boolean {
  const n = (v: number | undefined) => v ?? 0;
  const oldBefore = n(prev.replicas) - n(prev.updatedReplicas);
  const oldNow = n(next.replicas) - n(next.updatedReplicas);
  return n(next.updatedReplicas) > n(prev.updatedReplicas) || oldNow < oldBefore || n(next.readyReplicas) > n(prev.readyReplicas) || n(next.availableReplicas) > n(prev.availableReplicas);
}

export class DeploymentController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    this.controller = c
      .controller('deployment')
      .for(c.informer('deployments'))
      .owns(c.informer('replicasets'), { kind: 'Deployment', group: 'apps' })
      .complete(requeueAfterMs((key) => this.reconcile(key)));
  }

  async reconcile(key: string): Promise<number | void> {
    const d = this.c.get('deployments', key);
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = specOf(d);
    const replicas = spec.replicas ?? 1;
    const all = this.c.owned('replicasets', d).sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    let newRS = all.find((rs) => templatesEqual(specOf(rs).template, spec.template));
    const old = all.filter((rs) => rs !== newRS);
    const maxOldRevision = Math.max(0, ...old.map(revisionOf));
    const revision = newRS && revisionOf(newRS) > maxOldRevision ? revisionOf(newRS) : maxOldRevision + 1;
    const { surge, unavailable } = fenceposts(spec.strategy?.rollingUpdate?.maxSurge, spec.strategy?.rollingUpdate?.maxUnavailable, replicas);
    const recreate = spec.strategy?.type === 'Recreate';
    const sizing = sizingFor(replicas, replicas + (recreate ? 0 : surge));
    let createdNew = false;

    if (!spec.paused) {
      if (!newRS) {
        const initial = recreate ? (old.some((rs) => (specOf(rs).replicas ?? 0) > 0) ? 0 : replicas) : newRSReplicas(replicas, surge, [...old.map(state), { name: '', replicas: 0, available: 0 }], { name: '', replicas: 0, available: 0 });
        newRS = await this.createReplicaSet(d, spec, revision, initial, replicas + (recreate ? 0 : surge));
        if (!newRS) return 100;
        createdNew = true;
      } else if (revisionOf(newRS) !== revision) {
        newRS = await this.annotate(newRS, { [revisionAnn]: String(revision), ...sizing });
      }
      // a scale of the new ReplicaSet takes its sizing annotations in the same write, as kube's scaleReplicaSet does
      newRS = recreate ? await this.recreate(newRS, old, replicas, sizing) : await this.rolling(newRS, old, replicas, surge, unavailable, sizing);
      // a scaling event the new ReplicaSet's size did not follow: its annotations alone
      if (newRS.metadata.annotations?.[desiredAnn] !== String(replicas)) newRS = await this.annotate(newRS, sizing);
      await this.cleanup(d, old, spec.revisionHistoryLimit ?? 10);
    }
    // the revision annotation goes with the status, as kube's getNewReplicaSet writes it through UpdateStatus
    return this.syncStatus(d, newRS, replicas, unavailable, createdNew, spec.paused ? undefined : revision);
  }

  private async createReplicaSet(d: KubeObject, spec: DeploymentSpec, revision: number, replicas: number, maxReplicas: number): Promise<KubeObject | undefined> {
    const hash = computeHash(spec.template);
    // the cached template's nested objects are shared, not copied: the store deep-copies what it creates
    const labels = { ...spec.template?.metadata?.labels, 'pod-template-hash': hash };
    const template: PodTemplate = { ...spec.template, metadata: { ...spec.template?.metadata, labels } };
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...labels },
        annotations: { ...sizingFor(specOf(d).replicas ?? 1, maxReplicas), [revisionAnn]: String(revision) },
        ownerReferences: [ownerRef(d)],
      },
      spec: {
        replicas,
        minReadySeconds: spec.minReadySeconds ?? 0,
        selector: { ...spec.selector, matchLabels: { ...spec.selector?.matchLabels, 'pod-template-hash': hash } },
        template,
      },
    };
    try {
      const created = await this.c.create('replicasets', rs, manager);
      await this.c.caughtUp('replicasets', (inf) => !!inf.get(`${created.metadata.namespace}/${created.metadata.name}`));
      return created;
    } catch (err) {
      if (isAlreadyExists(err)) return undefined; // someone else's ReplicaSet of that name: retry
      throw err;
    }
  }

  private async annotate(rs: KubeObject, annotations: Record<string, string>): Promise<KubeObject> {
    return (
      (await this.c.update('replicasets', rs, manager, (o) => {
        o.metadata.annotations = { ...o.metadata.annotations, ...annotations };
      })) ?? rs
    );
  }

  /** scaleReplicaSet: spec.replicas and the sizing annotations in one write; the ReplicaSet as it is then */
  private async scale(rs: KubeObject, replicas: number, sizing: Sizing): Promise<KubeObject> {
    if ((specOf(rs).replicas ?? 0) === replicas) return rs;
    return (
      (await this.c.update('replicasets', rs, manager, (o) => {
        (o.spec as { replicas?: number }).replicas = replicas;
        o.metadata.annotations = { ...o.metadata.annotations, ...sizing };
      })) ?? rs
    );
  }

  /** reconcileNewReplicaSet, then reconcileOldReplicaSets; the new ReplicaSet as it is then */
  private async rolling(newRS: KubeObject, old: KubeObject[], replicas: number, surge: number, unavailable: number, sizing: Sizing): Promise<KubeObject> {
    const states = [...old.map(state), state(newRS)];
    const target = newRSReplicas(replicas, surge, states, state(newRS));
    if (target !== state(newRS).replicas) return this.scale(newRS, target, sizing);
    const downs = scaleDownOld(replicas, unavailable, state(newRS), old.map(state));
    for (const rs of old) if (downs.has(rs.metadata.name!)) await this.scale(rs, downs.get(rs.metadata.name!)!, sizing);
    return newRS;
  }

  private async recreate(newRS: KubeObject, old: KubeObject[], replicas: number, sizing: Sizing): Promise<KubeObject> {
    const active = old.filter((rs) => (specOf(rs).replicas ?? 0) > 0);
    for (const rs of active) await this.scale(rs, 0, sizing);
    if (active.length) return newRS;
    const oldPods = old.flatMap((rs) => this.c.owned('pods', rs)).filter(isActive);
    return oldPods.length === 0 ? this.scale(newRS, replicas, sizing) : newRS;
  }

  /** keeps revisionHistoryLimit old ReplicaSets that are scaled to zero */
  private async cleanup(d: KubeObject, old: KubeObject[], limit: number): Promise<void> {
    const idle = old.filter((rs) => (specOf(rs).replicas ?? 0) === 0 && (rsStatus(rs).replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp);
    const extra = idle.length - limit;
    for (const rs of idle.slice(0, Math.max(0, extra))) await this.c.delete('replicasets', rs, manager);
    void d;
  }

  private async syncStatus(d: KubeObject, newRS: KubeObject | undefined, replicas: number, unavailable: number, createdNew: boolean, revision?: number): Promise<number | void> {
    const all = this.c.owned('replicasets', d);
    const sum = (f: (rs: KubeObject) => number | undefined) => all.reduce((s, rs) => s + (f(rs) ?? 0), 0);
    const available = sum((rs) => rsStatus(rs).availableReplicas);
    const totalSpec = sum((rs) => specOf(rs).replicas);
    const prev = (d.status ?? {}) as Record<string, unknown> & { conditions?: DeploymentCondition[] };
    const counts = {
      observedGeneration: d.metadata.generation,
      replicas: sum((rs) => rsStatus(rs).replicas),
      updatedReplicas: newRS ? (rsStatus(this.c.get('replicasets', `${newRS.metadata.namespace}/${newRS.metadata.name}`) ?? newRS).replicas ?? 0) : 0,
      readyReplicas: sum((rs) => rsStatus(rs).readyReplicas),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, totalSpec - available),
    };
    const now = rfc3339Now();
    const cond = (type: string, status: string, reason: string, message: string): DeploymentCondition => ({ type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message });
    let conditions = prev.conditions ?? [];
    conditions = available >= replicas - unavailable
      ? setCondition(conditions, cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'))
      : setCondition(conditions, cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'));
    // getReplicaFailures: a ReplicaSet that cannot create its pods (the new one first) shows on the Deployment
    const failure = [newRS, ...all]
      .map((rs) => (rs ? ((this.c.get('replicasets', `${rs.metadata.namespace}/${rs.metadata.name}`) ?? rs).status as { conditions?: DeploymentCondition[] } | undefined)?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True') : undefined))
      .find((c) => c !== undefined);
    conditions = failure ? setCondition(conditions, cond('ReplicaFailure', 'True', failure.reason ?? 'FailedCreate', failure.message ?? '')) : conditions.filter((c) => c.type !== 'ReplicaFailure');
    const rsName = newRS?.metadata.name ?? '';
    const complete = counts.updatedReplicas === replicas && counts.replicas === replicas && available === replicas;
    const progressing = conditions.find((c) => c.type === 'Progressing');
    const deadline = specOf(d).progressDeadlineSeconds ?? 600;
    let requeue: number | undefined;
    if (specOf(d).paused) {
      conditions = setCondition(conditions, cond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'));
    } else if (complete) {
      conditions = setCondition(conditions, cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`));
    } else if (createdNew) {
      conditions = setCondition(conditions, cond('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`), false);
    } else {
      const moved = madeProgress(prev as Counts, counts) || progressing?.reason === 'NewReplicaSetAvailable';
      const since = Date.parse(progressing?.lastUpdateTime ?? now);
      if (moved || !progressing) {
        conditions = setCondition(conditions, cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`), false);
        requeue = deadline * 1000;
      } else if (progressing.status === 'True' && Date.now() - since >= deadline * 1000) {
        conditions = setCondition(conditions, cond('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`));
      } else if (progressing.status === 'True') {
        requeue = since + deadline * 1000 - Date.now() + 10;
      }
    }
    const status: Record<string, unknown> = { ...counts, conditions };
    for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) if (!status[k]) delete status[k];
    if (prev.collisionCount !== undefined) status.collisionCount = prev.collisionCount;
    await this.c.updateStatus('deployments', d, status, manager, { ifCurrent: true, annotations: revision === undefined ? undefined : { [revisionAnn]: String(revision) } });
    return requeue;
  }
}
