// The Job controller: runs up to parallelism pods until completions succeed (NonIndexed or
// Indexed), fails after backoffLimit failures, and fills status and conditions as Kubernetes does.
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import { objectKey } from '../../runtime/informer.js';
import type { Controller } from '../../runtime/controller.js';
import { requeueAfterMs, type SimCluster } from '../cluster.js';
import { isActive, isReady, podStatus } from '../pods.js';
import { deletionOrder, inBatches, podFromTemplate, type PodTemplate } from './common.js';

const manager = 'job-controller';
const indexAnn = 'batch.kubernetes.io/job-completion-index';

interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  backoffLimit?: number;
  suspend?: boolean;
  completionMode?: 'NonIndexed' | 'Indexed';
  activeDeadlineSeconds?: number;
  template?: PodTemplate;
}

interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

export function isJobFinished(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const conds = ((job.status as { conditions?: JobCondition[] } | undefined)?.conditions ?? []);
  for (const t of ['Complete', 'Failed'] as const) if (conds.some((c) => c.type === t && c.status === 'True')) return t;
  return undefined;
}

/** "0-2,4": the completed indexes in the compressed form status.completedIndexes uses */
export function formatIndexes(indexes: number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

export class JobController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    this.controller = c
      .controller('job')
      .for(c.informer('jobs'))
      .owns(c.informer('pods'), { kind: 'Job', group: 'batch' })
      .complete(requeueAfterMs((key) => this.reconcile(key)));
  }

  async reconcile(key: string): Promise<number | void> {
    const job = this.c.get('jobs', key);
    if (!job || job.metadata.deletionTimestamp) return;
    const spec = (job.spec ?? {}) as JobSpec;
    const prev = (job.status ?? {}) as Record<string, unknown> & { conditions?: JobCondition[]; startTime?: string };
    const pods = () => this.c.owned('pods', job);
    const all = pods();
    const indexOf = (p: KubeObject) => Number(p.metadata.annotations?.[indexAnn] ?? -1);
    const succeededPods = all.filter((p) => podStatus(p).phase === 'Succeeded');
    const indexed = spec.completionMode === 'Indexed';
    const succeeded = indexed ? new Set(succeededPods.map(indexOf)).size : succeededPods.length;
    const failed = all.filter((p) => podStatus(p).phase === 'Failed').length;
    let active = all.filter(isActive);
    const now = rfc3339Now();
    const completions = spec.completions ?? null;
    const parallelism = spec.parallelism ?? 1;
    const finished = isJobFinished(job);
    let conditions = prev.conditions ?? [];
    let completionTime = prev.completionTime as string | undefined;
    const cond = (type: string, reason: string, message: string): JobCondition => ({ type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message });

    if (!finished && !spec.suspend) {
      const done = completions !== null ? succeeded >= completions : succeeded > 0 && active.length === 0;
      const deadline = spec.activeDeadlineSeconds && prev.startTime ? Date.parse(prev.startTime) + spec.activeDeadlineSeconds * 1000 : undefined;
      if (done) {
        const msg = 'Reached expected number of succeeded pods';
        conditions = [...conditions, cond('SuccessCriteriaMet', 'CompletionsReached', msg), cond('Complete', 'CompletionsReached', msg)];
        completionTime = now;
      } else if (failed > (spec.backoffLimit ?? 6)) {
        const msg = 'Job has reached the specified backoff limit';
        conditions = [...conditions, cond('FailureTarget', 'BackoffLimitExceeded', msg), cond('Failed', 'BackoffLimitExceeded', msg)];
      } else if (deadline !== undefined && Date.now() >= deadline) {
        const msg = 'Job was active longer than specified deadline';
        conditions = [...conditions, cond('FailureTarget', 'DeadlineExceeded', msg), cond('Failed', 'DeadlineExceeded', msg)];
      } else {
        const remaining = completions !== null ? completions - succeeded : succeeded > 0 ? 0 : parallelism;
        const want = Math.max(0, Math.min(parallelism, remaining));
        if (active.length < want) await this.createPods(job, spec, want - active.length, indexed ? this.freeIndexes(all, completions ?? 0) : []);
        else if (active.length > want) await this.deletePods([...active].sort(deletionOrder).slice(0, active.length - want));
      }
    }
    if (isJobFinished({ ...job, status: { conditions } }) && !finished) {
      // a finished Job's remaining pods are deleted
      await this.deletePods(active);
    }
    active = pods().filter(isActive);
    const status: Record<string, unknown> = {
      ...(prev.startTime || !spec.suspend ? { startTime: prev.startTime ?? now } : {}),
      ...(completionTime ? { completionTime } : {}),
      ...(active.length ? { active: active.length } : {}),
      ...(succeeded ? { succeeded } : {}),
      ...(failed ? { failed } : {}),
      ...(indexed && succeeded ? { completedIndexes: formatIndexes(succeededPods.map(indexOf)) } : {}),
      terminating: 0,
      ready: active.filter(isReady).length,
      uncountedTerminatedPods: {},
      ...(conditions.length ? { conditions } : {}),
    };
    await this.c.updateStatus('jobs', job, status, manager);
    if (spec.activeDeadlineSeconds && !isJobFinished({ ...job, status })) return Math.max(10, Date.parse(status.startTime as string) + spec.activeDeadlineSeconds * 1000 - Date.now());
  }

  private freeIndexes(pods: KubeObject[], completions: number): number[] {
    const taken = new Set(pods.filter((p) => isActive(p) || podStatus(p).phase === 'Succeeded').map((p) => Number(p.metadata.annotations?.[indexAnn])));
    return Array.from({ length: completions }, (_, i) => i).filter((i) => !taken.has(i));
  }

  private async createPods(job: KubeObject, spec: JobSpec, count: number, indexes: number[]): Promise<void> {
    const created: string[] = [];
    const n = indexes.length ? Math.min(count, indexes.length) : count;
    await inBatches(Array.from({ length: n }, (_, i) => i), 50, async (i) => {
      const index = indexes[i];
      const template: PodTemplate = { ...spec.template };
      const indexedMeta: Record<string, string> = index === undefined ? {} : { [indexAnn]: String(index) };
      const annotations = { ...template.metadata?.annotations, ...indexedMeta };
      template.metadata = { ...template.metadata, ...(Object.keys(annotations).length ? { annotations } : {}) };
      const extraLabels = indexedMeta;
      const pod = podFromTemplate(template, job, { generateName: index === undefined ? `${job.metadata.name}-` : `${job.metadata.name}-${index}-` }, extraLabels);
      if (index !== undefined) (pod.spec as { hostname?: string }).hostname = `${job.metadata.name}-${index}`;
      created.push(objectKey(await this.c.create('pods', pod, manager)));
    });
    await this.c.caughtUp('pods', (inf) => created.every((k) => inf.get(k)));
  }

  private async deletePods(pods: KubeObject[]): Promise<void> {
    await inBatches(pods, 50, (p) => this.c.delete('pods', p, manager));
    await this.c.caughtUp('pods', (inf) => pods.every((p) => !inf.get(objectKey(p))));
  }
}
