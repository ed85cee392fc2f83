// FederatedHPA (pkg/controllers/federatedhpa): one HPA over the pods of the target in every member
// its ResourceBinding schedules it to. Each sync reads the members' scale, pods and PodMetrics,
// proposes replicas with Kubernetes' algorithm (replicas.ts, behavior.ts), writes the template's
// replicas through its scale subresource (the scheduler then divides them), and reports status,
// conditions and events as Kubernetes' HPA does. Beyond Karmada, status.explanation says per member
// which pods were counted, their usage and what they alone would need, and why the result was limited.
import type { KubeObject } from '../../apimachinery/types.js';
import { isNotFound } from '../../apimachinery/errors.js';
import { labelSelectorString } from '../../apimachinery/labels.js';
import { clusterGVR, federatedHPAGVR, resourceBindingGVR } from '../../apis/karmada/gvr.js';
import { podGVR, podMetricsGVR } from '../../apis/builtin/gvr.js';
import { newControllerManagedBy } from '../../runtime/builder.js';
import type { KubeClient } from '../../runtime/client.js';
import type { ControllerContext } from '../context.js';
import { generateBindingName } from '../binding/names.js';
import { averageValueReplicas, defaultCalcOptions, resourceReplicas, type CalcOptions, type CalcPod, type Proposal } from './replicas.js';
import { emptyHistory, normalizeReplicas, storeScaleEvent, type Behavior, type Condition as NormCondition, type ScaleHistory } from './behavior.js';
import { federatedHPAMetrics } from './metrics.js';
import { calcPods, formatMilli, metricValues, milli } from './inputs.js';
export { calcPods, formatMilli, metricValues, milli } from './inputs.js';

export const ControllerName = 'federatedhpa-controller';

interface AutoscalingOptions {
  /** --horizontal-pod-autoscaler-sync-period (default 15 s) */
  syncPeriodMs: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (default 300 s) */
  downscaleStabilizationSeconds: number;
  calc: CalcOptions;
}

const defaultAutoscalingOptions: AutoscalingOptions = { syncPeriodMs: 15_000, downscaleStabilizationSeconds: 300, calc: defaultCalcOptions };

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

interface MetricSpec {
  type: string;
  resource?: { name: string; target: { type: string; averageUtilization?: number; averageValue?: string | number } };
  containerResource?: { name: string; container: string; target: { type: string; averageUtilization?: number; averageValue?: string | number } };
  pods?: { metric: { name: string }; target: { type: string; averageValue?: string | number } };
}

interface FHPASpec {
  scaleTargetRef: { apiVersion?: string; kind: string; name: string };
  minReplicas?: number;
  maxReplicas: number;
  metrics?: MetricSpec[];
  behavior?: Behavior;
}

/** what one member contributed to a decision */
interface MemberExplanation {
  cluster: string;
  replicas?: number;
  podsCounted?: number;
  podsUnready?: number;
  podsMissingMetrics?: number;
  usage?: string;
  /** what this member's pods alone would need at the target */
  desiredReplicas?: number;
  error?: string;
}

interface MemberView {
  cluster: string;
  specReplicas: number;
  pods: KubeObject[];
  metrics: KubeObject[];
  /** custom.metrics.k8s.io values by metric name: pod name → milli units */
  custom: Map<string, Map<string, number>>;
}

function setCondition(conditions: Condition[], c: Condition, now: string): Condition[] {
  const old = conditions.find((x) => x.type === c.type);
  const next = { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now };
  return old ? conditions.map((x) => (x.type === c.type ? next : x)) : [...conditions, next];
}

/** a milli value as a quantity: whole units without the m */
const plainQuantity = (m: number) => (m % 1000 === 0 ? String(m / 1000) : `${m}m`);

class FederatedHPAController {
  private readonly history = new Map<string, ScaleHistory>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly opts: AutoscalingOptions,
  ) {}

  private get client(): KubeClient {
    return this.ctx.client;
  }

  async reconcile(key: string): Promise<{ requeueAfter: number } | void> {
    const [namespace, name] = key.split('/');
    let hpa: KubeObject;
    try {
      hpa = await this.client.get(federatedHPAGVR, name, { namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.history.delete(key);
      return;
    }
    if (hpa.metadata.deletionTimestamp) return;
    const started = performance.now();
    const metrics = federatedHPAMetrics(this.ctx.manager.registry);
    try {
      await this.sync(key, hpa);
      metrics.process.observe({ result: 'success' }, (performance.now() - started) / 1000);
    } catch (err) {
      metrics.process.observe({ result: 'error' }, (performance.now() - started) / 1000);
      this.ctx.log.error({ err, federatedhpa: key }, 'sync failed');
    }
    return { requeueAfter: this.opts.syncPeriodMs };
  }

  private async members(hpa: KubeObject, spec: FHPASpec, explanation: MemberExplanation[]): Promise<MemberView[]> {
    const ns = hpa.metadata.namespace!;
    const ref = spec.scaleTargetRef;
    const binding = await this.client.get(resourceBindingGVR, generateBindingName(ref.kind, ref.name), { namespace: ns }).catch((err) => {
      throw Object.assign(new Error(isNotFound(err) ? 'No binding matches the target resource. ' : String(err)), { reason: 'FailedGetBinding', event: 'FailedGetBindings', prefix: 'the HPA controller was unable to get the binding by scaleTargetRef' });
    });
    const targets = ((binding.spec as { clusters?: { name: string }[] })?.clusters ?? []).map((c) => c.name);
    if (targets.length === 0) throw Object.assign(new Error('Binding has no schedulable clusters. '), { reason: 'FailedGetTargetClusters', event: 'FailedGetTargetClusters', prefix: 'the HPA controller was unable to get the target clusters from binding' });
    const views = await Promise.all(
      targets.map(async (cluster): Promise<MemberView | undefined> => {
        try {
          const c = await this.client.get(clusterGVR, cluster);
          const ready = ((c.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).find((x) => x.type === 'Ready');
          if (ready?.status !== 'True') throw new Error('cluster is not ready');
          const member = await this.ctx.members.get(cluster);
          const workload = await member.get({ apiVersion: ref.apiVersion ?? 'apps/v1', kind: ref.kind }, ref.name, { namespace: ns });
          const selector = labelSelectorString((workload.spec as { selector?: never })?.selector);
          if (!selector) throw new Error('selector is required');
          const pullStart = performance.now();
          const [pods, metrics] = await Promise.all([
            member.list(podGVR, { namespace: ns, labelSelector: selector }),
            member.list(podMetricsGVR, { namespace: ns, labelSelector: selector }).then(
              (l) => (federatedHPAMetrics(this.ctx.manager.registry).pull.observe({ result: 'success', metricType: 'Resource' }, (performance.now() - pullStart) / 1000), l),
              (err) => {
                federatedHPAMetrics(this.ctx.manager.registry).pull.observe({ result: 'error', metricType: 'Resource' }, (performance.now() - pullStart) / 1000);
                throw err;
              },
            ),
          ]);
          const custom = new Map<string, Map<string, number>>();
          for (const name of new Set((spec.metrics ?? []).filter((m) => m.type === 'Pods' && m.pods).map((m) => m.pods!.metric.name))) {
            const path = `/apis/custom.metrics.k8s.io/v1beta2/namespaces/${encodeURIComponent(ns)}/pods/*/${encodeURIComponent(name)}?labelSelector=${encodeURIComponent(selector)}`;
            const start = performance.now();
            const list = await member.request<{ items?: { describedObject: { name: string }; value: string }[] }>('GET', path).catch((err) => (isNotFound(err) ? { items: [] } : Promise.reject(err)));
            federatedHPAMetrics(this.ctx.manager.registry).pull.observe({ result: 'success', metricType: 'Pods' }, (performance.now() - start) / 1000);
            custom.set(name, new Map((list.items ?? []).map((v) => [v.describedObject.name, milli('cpu', v.value)])));
          }
          return { cluster, specReplicas: (workload.spec as { replicas?: number })?.replicas ?? 1, pods: pods.items, metrics: metrics.items, custom };
        } catch (err) {
          explanation.push({ cluster, error: (err as Error).message });
          return undefined;
        }
      }),
    );
    const ok = views.filter((v): v is MemberView => !!v);
    if (ok.reduce((s, v) => s + v.specReplicas, 0) === 0) throw Object.assign(new Error('failed to get replicas in any of clusters, possibly because all of clusters are not ready'), { reason: 'FailedGetScale', event: 'FailedGetScale', prefix: "the HPA controller was unable to get the target's current scale" });
    return ok;
  }

  /** one metric: the proposal over every member, and what each member alone would need */
  private computeMetric(m: MetricSpec, views: MemberView[], current: number, calibration: number, explanation: Map<string, MemberExplanation>): { proposal: Proposal; name: string; status: unknown } {
    if (m.type === 'Pods' && m.pods) return this.computePodsMetric(m.pods, views, current, calibration, explanation);
    const src = m.type === 'Resource' ? m.resource : m.type === 'ContainerResource' ? m.containerResource : undefined;
    if (!src) throw Object.assign(new Error(`metric type ${m.type} is not supported yet`), { reason: `FailedGet${m.type}Metric` });
    const resource = src.name;
    const container = m.type === 'ContainerResource' ? m.containerResource!.container : undefined;
    const now = Date.now();
    const all: CalcPod[] = [];
    const values = new Map<string, number>();
    const perMember: { cluster: string; pods: CalcPod[]; values: Map<string, number>; spec: number }[] = [];
    for (const v of views) {
      const mv = metricValues(v.cluster, v.metrics, resource, container);
      const pods = calcPods(v.cluster, v.pods, resource, container, mv.windows, now);
      all.push(...pods);
      for (const [k, x] of mv.values) values.set(k, x);
      perMember.push({ cluster: v.cluster, pods, values: mv.values, spec: v.specReplicas });
    }
    const target = src.target;
    const run = (pods: CalcPod[], vals: Map<string, number>, cur: number, cal: number) =>
      target.type === 'Utilization' ? resourceReplicas(cur, target.averageUtilization ?? 80, resource, pods, vals, cal, this.opts.calc) : averageValueReplicas(cur, milli(resource, target.averageValue), resource, pods, vals, cal, this.opts.calc);
    for (const pm of perMember) {
      const e = explanation.get(pm.cluster) ?? { cluster: pm.cluster };
      const counted = pm.pods.filter((p) => pm.values.has(p.key) && p.phase === 'Running' && !p.deleting);
      e.replicas = pm.spec;
      e.podsMissingMetrics = pm.pods.filter((p) => p.phase === 'Running' && !pm.values.has(p.key)).length;
      try {
        const own = run(pm.pods, pm.values, pm.spec, 1);
        e.podsCounted = counted.length;
        e.usage = `${resource} ${formatMilli(resource, own.average)} per pod${own.utilization !== undefined ? ` (${own.utilization}% of requests)` : ''}`;
        e.desiredReplicas = own.replicas;
      } catch (err) {
        e.error = (err as Error).message;
      }
      explanation.set(pm.cluster, e);
    }
    const proposal = run(all, values, current, calibration);
    const current_ = target.type === 'Utilization' ? { averageUtilization: proposal.utilization, averageValue: formatMilli(resource, proposal.average) } : { averageValue: formatMilli(resource, proposal.average) };
    const status = m.type === 'Resource' ? { type: 'Resource', resource: { name: resource, current: current_ } } : { type: 'ContainerResource', containerResource: { name: resource, container, current: current_ } };
    const name = target.type === 'Utilization' ? `${resource} ${m.type === 'ContainerResource' ? 'container ' : ''}resource utilization (percentage of request)` : `${resource} resource`;
    return { proposal, name, status };
  }

  /** a Pods metric (custom.metrics.k8s.io) against an AverageValue target */
  private computePodsMetric(pm: NonNullable<MetricSpec['pods']>, views: MemberView[], current: number, calibration: number, explanation: Map<string, MemberExplanation>): { proposal: Proposal; name: string; status: unknown } {
    const name = pm.metric.name;
    const target = milli('cpu', pm.target.averageValue);
    const now = Date.now();
    const all: CalcPod[] = [];
    const values = new Map<string, number>();
    for (const v of views) {
      const own = new Map([...(v.custom.get(name) ?? new Map<string, number>())].map(([pod, x]) => [`${v.cluster}/${pod}`, x]));
      const pods = calcPods(v.cluster, v.pods, '', undefined, new Map(), now);
      all.push(...pods);
      for (const [k, x] of own) values.set(k, x);
      const e = explanation.get(v.cluster) ?? { cluster: v.cluster, replicas: v.specReplicas };
      try {
        const p = averageValueReplicas(v.specReplicas, target, '', pods, own, 1, this.opts.calc);
        explanation.set(v.cluster, { ...e, podsCounted: own.size, usage: `${name} ${plainQuantity(p.average)} per pod`, desiredReplicas: p.replicas });
      } catch (err) {
        explanation.set(v.cluster, { ...e, error: (err as Error).message });
      }
    }
    const proposal = averageValueReplicas(current, target, '', all, values, calibration, this.opts.calc);
    return { proposal, name: `pods metric ${name}`, status: { type: 'Pods', pods: { metric: { name }, current: { averageValue: plainQuantity(proposal.average) } } } };
  }

  private async sync(key: string, hpa: KubeObject): Promise<void> {
    const spec = hpa.spec as FHPASpec;
    const ns = hpa.metadata.namespace!;
    const nowIso = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const oldStatus = (hpa.status ?? {}) as Record<string, unknown> & { conditions?: Condition[]; lastScaleTime?: string };
    let conditions: Condition[] = [...(oldStatus.conditions ?? [])];
    const cond = (type: string, status: 'True' | 'False', reason: string, message: string) => (conditions = setCondition(conditions, { type, status, reason, message }, nowIso));
    const event = (type: 'Normal' | 'Warning', reason: string, message: string) => this.ctx.events.record(hpa, type, reason, message);
    const explanation: MemberExplanation[] = [];
    const writeStatus = async (extra: Record<string, unknown>) => {
      const status = { ...oldStatus, observedGeneration: hpa.metadata.generation, ...extra, conditions, explanation: { ...(extra.explanation as object), clusters: explanation.sort((a, b) => a.cluster.localeCompare(b.cluster)) } };
      await this.client.patchStatus(federatedHPAGVR, hpa.metadata.name!, { status }, { namespace: ns });
    };
    const ref = spec.scaleTargetRef;
    const targetRef = { apiVersion: ref.apiVersion ?? 'apps/v1', kind: ref.kind };
    let template: KubeObject;
    try {
      template = await this.client.get(targetRef, ref.name, { namespace: ns });
    } catch (err) {
      event('Warning', 'FailedGetScaleTargetRef', (err as Error).message);
      cond('AbleToScale', 'False', 'FailedGetScaleTargetRef', `the HPA controller was unable to get the target reference object: ${(err as Error).message}`);
      await writeStatus({});
      throw err;
    }
    let views: MemberView[];
    try {
      views = await this.members(hpa, spec, explanation);
    } catch (err) {
      const e = err as Error & { reason?: string; event?: string; prefix?: string };
      event('Warning', e.event ?? 'FailedGetScale', e.message);
      cond('AbleToScale', 'False', e.reason ?? 'FailedGetScale', `${e.prefix ?? "the HPA controller was unable to get the target's current scale"}: ${e.message}`);
      await writeStatus({});
      throw err;
    }
    cond('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const currentReplicas = (template.spec as { replicas?: number })?.replicas ?? 1;
    const memberReplicas = views.reduce((s, v) => s + v.specReplicas, 0);
    const minReplicas = spec.minReplicas ?? 1;
    const h = this.history.get(key) ?? emptyHistory();
    const now = Date.now();
    let desired = 0;
    let rescaleReason = '';
    let rescale = true;
    let currentMetrics: unknown[] | undefined;
    let decision = '';
    if (currentReplicas === 0 && minReplicas !== 0) {
      rescale = false;
      cond('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (currentReplicas > spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desired = spec.maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desired = minReplicas;
    } else {
      const calibration = memberReplicas / currentReplicas;
      const byCluster = new Map<string, MemberExplanation>();
      const statuses: unknown[] = [];
      let best: { replicas: number; name: string } | undefined;
      let firstError: (Error & { reason?: string }) | undefined;
      let invalid = 0;
      const specs = spec.metrics?.length ? spec.metrics : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      for (const m of specs) {
        try {
          const r = this.computeMetric(m, views, currentReplicas, calibration, byCluster);
          statuses.push(r.status);
          if (!best || r.proposal.replicas > best.replicas) best = { replicas: r.proposal.replicas, name: r.name };
        } catch (err) {
          invalid++;
          firstError ??= err as Error;
          statuses.push({ type: '' });
        }
      }
      for (const e of byCluster.values()) {
        const i = explanation.findIndex((x) => x.cluster === e.cluster);
        if (i >= 0) explanation[i] = { ...explanation[i], ...e };
        else explanation.push(e);
      }
      currentMetrics = statuses;
      if (!best || (invalid > 0 && best.replicas < currentReplicas)) {
        const msg = `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError?.message}`;
        cond('ScalingActive', 'False', firstError?.reason ?? 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${firstError?.message}`);
        event('Warning', 'FailedComputeMetricsReplicas', msg);
        await writeStatus({ currentReplicas, desiredReplicas: oldStatus.desiredReplicas ?? currentReplicas, currentMetrics, explanation: { decision: msg } });
        throw new Error(msg);
      }
      cond('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${best.name}`);
      desired = best.replicas;
      if (desired > currentReplicas) rescaleReason = `${best.name} above target`;
      if (desired < currentReplicas) rescaleReason = 'All metrics below target';
      const n = normalizeReplicas({ now, currentReplicas, desiredReplicas: desired, minReplicas, maxReplicas: spec.maxReplicas, behavior: spec.behavior, downscaleStabilizationSeconds: this.opts.downscaleStabilizationSeconds }, h);
      this.history.set(key, n.history);
      for (const c of n.conditions as NormCondition[]) cond(c.type, c.status, c.reason, c.message);
      decision = `the metrics ask for ${desired} replicas (members run ${memberReplicas} for a template of ${currentReplicas})${n.replicas !== desired ? `; ${n.conditions.map((c) => c.message).join('; ')}: ${n.replicas}` : ''}`;
      desired = n.replicas;
      rescale = desired !== currentReplicas;
    }
    let lastScaleTime = oldStatus.lastScaleTime;
    if (rescale) {
      try {
        await this.client.patch(targetRef, ref.name, { spec: { replicas: desired } }, { namespace: ns, subresource: 'scale' });
      } catch (err) {
        event('Warning', 'FailedRescale', `New size: ${desired}; reason: ${rescaleReason}; error: ${(err as Error).message}`);
        cond('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${(err as Error).message}`);
        await writeStatus({ currentReplicas, explanation: { decision } });
        throw err;
      }
      cond('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      event('Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`);
      this.history.set(key, storeScaleEvent(this.history.get(key) ?? h, spec.behavior, currentReplicas, desired, now, this.opts.downscaleStabilizationSeconds));
      lastScaleTime = nowIso;
    } else desired = currentReplicas;
    await writeStatus({ currentReplicas, desiredReplicas: desired, lastScaleTime, ...(currentMetrics ? { currentMetrics } : {}), explanation: { decision } });
  }
}

export function registerFederatedHPAController(ctx: ControllerContext): void {
  const a = ctx.autoscaling ?? {};
  const controller = new FederatedHPAController(ctx, { ...defaultAutoscalingOptions, syncPeriodMs: a.syncPeriodMs ?? defaultAutoscalingOptions.syncPeriodMs, downscaleStabilizationSeconds: a.downscaleStabilizationSeconds ?? defaultAutoscalingOptions.downscaleStabilizationSeconds });
  newControllerManagedBy(ctx.manager, ControllerName, ctx.client)
    .for(federatedHPAGVR, { update: (o, old) => o.metadata.generation !== old.metadata.generation })
    .complete((key) => controller.reconcile(key));
}
