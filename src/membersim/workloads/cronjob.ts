// The CronJob controller: at each scheduled time, a Job <cronjob>-<minutes since epoch>, with the
// concurrency policy, starting deadline and history limits; status lists the active Jobs.
import cronParser from 'cron-parser';
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import { isAlreadyExists } from '../../apimachinery/errors.js';
import type { Controller } from '../../runtime/controller.js';
import { isOwnedBy, ownerRef, requeueAfterMs, type SimCluster } from '../cluster.js';
import { isJobFinished } from './job.js';

const manager = 'cronjob-controller';

interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
}

/** The latest scheduled time in (since, now] and the next one after now; undefined if the schedule does not parse. */
export function scheduleTimes(schedule: string, timeZone: string | undefined, since: Date, now: Date): { latest?: Date; next: Date; missed: number } | undefined {
  let it;
  try {
    it = cronParser.parseExpression(schedule, { currentDate: since, tz: timeZone ?? 'UTC' });
  } catch {
    return undefined;
  }
  let latest: Date | undefined;
  let missed = 0;
  for (;;) {
    const t = it.next().toDate();
    if (t.getTime() > now.getTime()) return { latest, next: t, missed };
    latest = t;
    missed++;
    if (missed > 1000) {
      // far behind: jump to just before now (kube's "too many missed start times" case)
      it = cronParser.parseExpression(schedule, { currentDate: new Date(now.getTime() - 1), tz: timeZone ?? 'UTC' });
      const prev = cronParser.parseExpression(schedule, { currentDate: now, tz: timeZone ?? 'UTC' }).prev().toDate();
      latest = prev;
    }
  }
}

export function jobNameFor(cronJob: string, scheduled: Date): string {
  return `${cronJob}-${Math.floor(scheduled.getTime() / 60_000)}`;
}

export class CronJobController {
  readonly controller: Controller;

  constructor(private readonly c: SimCluster) {
    this.controller = c
      .controller('cronjob')
      .for(c.informer('cronjobs'))
      .owns(c.informer('jobs'), { kind: 'CronJob', group: 'batch' })
      .complete(requeueAfterMs((key) => this.reconcile(key)));
  }

  async reconcile(key: string): Promise<number | void> {
    const cj = this.c.get('cronjobs', key);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const spec = (cj.spec ?? {}) as CronJobSpec;
    const prev = (cj.status ?? {}) as { lastScheduleTime?: string; lastSuccessfulTime?: string };
    const jobs = () => this.c.informer('jobs').list((j) => isOwnedBy(j, cj));
    const now = new Date();
    const since = new Date(prev.lastScheduleTime ?? cj.metadata.creationTimestamp ?? now.toISOString());
    const times = scheduleTimes(spec.schedule ?? '', spec.timeZone, since, now);
    if (!times) return;
    let lastScheduleTime = prev.lastScheduleTime;
    const t = times.latest;
    const tooLate = t && spec.startingDeadlineSeconds !== undefined && now.getTime() - t.getTime() > spec.startingDeadlineSeconds * 1000;
    if (t && !spec.suspend && !tooLate) {
      const active = jobs().filter((j) => !isJobFinished(j));
      const policy = spec.concurrencyPolicy ?? 'Allow';
      if (policy === 'Forbid' && active.length) {
        // skipped: try again at the next schedule
      } else {
        if (policy === 'Replace') for (const j of active) await this.c.delete('jobs', j, manager);
        await this.createJob(cj, spec, t);
        lastScheduleTime = rfc3339Now(t);
      }
    } else if (t && tooLate) {
      lastScheduleTime = rfc3339Now(t);
    }
    await this.c.caughtUp('jobs', (inf) => !t || !!inf.get(`${cj.metadata.namespace}/${jobNameFor(cj.metadata.name!, t)}`) || spec.suspend === true || !!tooLate, 1000);
    const all = jobs();
    await this.trimHistory(all, 'Complete', spec.successfulJobsHistoryLimit ?? 3);
    await this.trimHistory(all, 'Failed', spec.failedJobsHistoryLimit ?? 1);
    const successful = all.filter((j) => isJobFinished(j) === 'Complete').map((j) => (j.status as { completionTime?: string }).completionTime ?? '').sort();
    const active = all.filter((j) => !isJobFinished(j));
    const status: Record<string, unknown> = {
      ...(active.length ? { active: active.map((j) => ({ kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion })) } : {}),
      ...(lastScheduleTime ? { lastScheduleTime } : {}),
      ...(successful.length || prev.lastSuccessfulTime ? { lastSuccessfulTime: successful[successful.length - 1] || prev.lastSuccessfulTime } : {}),
    };
    await this.c.updateStatus('cronjobs', cj, status, manager);
    return Math.max(10, times.next.getTime() - Date.now() + 5);
  }

  private async createJob(cj: KubeObject, spec: CronJobSpec, scheduled: Date): Promise<void> {
    const tmpl = spec.jobTemplate ?? {};
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: jobNameFor(cj.metadata.name!, scheduled),
        namespace: cj.metadata.namespace,
        labels: { ...tmpl.metadata?.labels },
        annotations: { ...tmpl.metadata?.annotations, 'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339Now(scheduled) },
        ownerReferences: [ownerRef(cj)],
      },
      spec: structuredClone(tmpl.spec ?? {}),
    };
    try {
      await this.c.create('jobs', job, manager);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  private async trimHistory(jobs: KubeObject[], outcome: 'Complete' | 'Failed', keep: number): Promise<void> {
    const finished = jobs.filter((j) => isJobFinished(j) === outcome).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    for (const j of finished.slice(0, Math.max(0, finished.length - keep))) await this.c.delete('jobs', j, manager);
  }
}
