// CronFederatedHPA (pkg/controllers/cronfederatedhpa): each rule that is not suspended runs on its
// cron schedule (in its time zone) and sets a workload's replicas through its scale subresource, or
// a FederatedHPA's minReplicas/maxReplicas; every run lands newest first in
// status.executionHistories, cut to the rule's history limits; a failed run is a ScaleFailed event.
// Runs missed while the controller was down are skipped, as gocron does for Karmada.
import type { KubeObject } from '../../apimachinery/types.js';
import { isNotFound } from '../../apimachinery/errors.js';
import { cronFederatedHPAGVR, federatedHPAGVR } from '../../apis/karmada/gvr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { ControllerContext } from '../context.js';
import { federatedHPAMetrics } from '../federatedhpa/metrics.js';
import { nextRun, pushLimited, reconcileHistories, rfc3339, type CronRule, type ExecutionHistory } from './schedule.js';

export const ControllerName = 'cronfederatedhpa-controller';
const fhpaApiVersion = `${federatedHPAGVR.group}/${federatedHPAGVR.version}`;

interface CronSpec {
  scaleTargetRef: { apiVersion?: string; kind: string; name: string };
  rules?: CronRule[];
}

interface Planned {
  fingerprint: string;
  at: number;
}

class CronFederatedHPAController {
  /** the next run of each rule, by CronFederatedHPA key then rule name */
  private readonly planned = new Map<string, Map<string, Planned>>();

  constructor(private readonly ctx: ControllerContext) {}

  /** sets what the rule asks for on the target; returns the applied values for the history */
  private async scale(cron: KubeObject, spec: CronSpec, rule: CronRule): Promise<{ appliedReplicas?: number; appliedMinReplicas?: number; appliedMaxReplicas?: number }> {
    const ns = cron.metadata.namespace!;
    const ref = spec.scaleTargetRef;
    if (ref.apiVersion === fhpaApiVersion) {
      if (ref.kind !== 'FederatedHPA') throw new Error(`CronFederatedHPA(${ns}/${cron.metadata.name}) do not support scale target ${ref.apiVersion}/${ref.kind}`);
      const fhpa = await this.ctx.client.get(federatedHPAGVR, ref.name, { namespace: ns });
      const s = (fhpa.spec ?? {}) as { minReplicas?: number; maxReplicas?: number };
      const patch: Record<string, number> = {};
      if (rule.targetMaxReplicas !== undefined && s.maxReplicas !== rule.targetMaxReplicas) patch.maxReplicas = rule.targetMaxReplicas;
      if (rule.targetMinReplicas !== undefined && s.minReplicas !== rule.targetMinReplicas) patch.minReplicas = rule.targetMinReplicas;
      if (Object.keys(patch).length) await this.ctx.client.patch(federatedHPAGVR, ref.name, { spec: patch }, { namespace: ns });
      return { appliedMinReplicas: rule.targetMinReplicas, appliedMaxReplicas: rule.targetMaxReplicas };
    }
    const target = { apiVersion: ref.apiVersion ?? 'apps/v1', kind: ref.kind };
    const scale = await this.ctx.client.get(target, ref.name, { namespace: ns, subresource: 'scale' });
    if ((scale.spec as { replicas?: number } | undefined)?.replicas !== rule.targetReplicas) {
      await this.ctx.client.patch(target, ref.name, { spec: { replicas: rule.targetReplicas } }, { namespace: ns, subresource: 'scale' });
    }
    return { appliedReplicas: rule.targetReplicas };
  }

  async reconcile(key: string): Promise<{ requeueAfter: number } | void> {
    const [namespace, name] = key.split('/');
    let cron: KubeObject;
    try {
      cron = await this.ctx.client.get(cronFederatedHPAGVR, name, { namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.planned.delete(key);
      return;
    }
    if (cron.metadata.deletionTimestamp) return;
    const metrics = federatedHPAMetrics(this.ctx.manager.registry);
    const started = performance.now();
    const spec = cron.spec as CronSpec;
    const rules = spec.rules ?? [];
    const plans = this.planned.get(key) ?? new Map<string, Planned>();
    let histories: ExecutionHistory[] = [...(((cron.status ?? {}) as { executionHistories?: ExecutionHistory[] }).executionHistories ?? [])];
    const next = new Map<string, number | undefined>();
    let failed = false;
    for (const rule of rules) {
      if (rule.suspend) {
        plans.delete(rule.name);
        next.set(rule.name, undefined);
        continue;
      }
      const fingerprint = `${rule.schedule}|${rule.timeZone ?? ''}`;
      const now = Date.now();
      let plan = plans.get(rule.name);
      try {
        if (!plan || plan.fingerprint !== fingerprint) plan = { fingerprint, at: nextRun(rule, now) };
        if (plan.at <= now) {
          const ruleStart = performance.now();
          const history = histories.find((h) => h.ruleName === rule.name) ?? { ruleName: rule.name };
          const scheduleTime = rfc3339(plan.at);
          try {
            const applied = await this.scale(cron, spec, rule);
            const entry = { scheduleTime, executionTime: rfc3339(Date.now()), ...applied };
            histories = upsert(histories, { ...history, successfulExecutions: pushLimited(history.successfulExecutions, entry, rule.successfulHistoryLimit) });
            metrics.cronRule.observe({ result: 'success' }, (performance.now() - ruleStart) / 1000);
          } catch (err) {
            const message = (err as Error).message;
            this.ctx.events.record(cron, 'Warning', 'ScaleFailed', message);
            histories = upsert(histories, { ...history, failedExecutions: pushLimited(history.failedExecutions, { scheduleTime, executionTime: rfc3339(Date.now()), message }, rule.failedHistoryLimit) });
            metrics.cronRule.observe({ result: 'error' }, (performance.now() - ruleStart) / 1000);
            failed = true;
          }
          plan = { fingerprint, at: nextRun(rule, Date.now()) };
        }
        plans.set(rule.name, plan);
        next.set(rule.name, plan.at);
      } catch (err) {
        // a schedule admission let through (an object stored before validation): say so, once per change
        this.ctx.events.record(cron, 'Warning', 'StartRuleFailed', `rule ${rule.name}: ${(err as Error).message}`);
        next.set(rule.name, undefined);
        failed = true;
      }
    }
    for (const r of [...plans.keys()]) if (!rules.some((x) => x.name === r)) plans.delete(r);
    this.planned.set(key, plans);
    const status = { executionHistories: reconcileHistories(rules, histories, next) };
    if (JSON.stringify(status) !== JSON.stringify(cron.status ?? {})) await this.ctx.client.patchStatus(cronFederatedHPAGVR, name, { status }, { namespace });
    metrics.cronProcess.observe({ result: failed ? 'error' : 'success' }, (performance.now() - started) / 1000);
    const soonest = Math.min(...[...next.values()].filter((v): v is number => v !== undefined));
    return Number.isFinite(soonest) ? { requeueAfter: Math.max(50, soonest - Date.now()) } : undefined;
  }
}

function upsert(histories: ExecutionHistory[], h: ExecutionHistory): ExecutionHistory[] {
  return histories.some((x) => x.ruleName === h.ruleName) ? histories.map((x) => (x.ruleName === h.ruleName ? h : x)) : [...histories, h];
}

export function registerCronFederatedHPAController(ctx: ControllerContext): void {
  const controller = new CronFederatedHPAController(ctx);
  newControllerManagedBy(ctx.manager, ControllerName, ctx.client)
    .for(cronFederatedHPAGVR, { update: (o, old) => o.metadata.generation !== old.metadata.generation })
    .complete((key) => controller.reconcile(key));
}
