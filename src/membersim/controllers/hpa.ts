// The member's horizontal-pod-autoscaler controller (kube-controller-manager's podautoscaler) for
// autoscaling/v2 HPAs over Deployments: every sync period it reads the Deployment's pods and their
// usage from the load model, proposes replicas with the same calculator and normalisation as the
// FederatedHPA, scales the Deployment and writes the HPA's status. Only Resource metrics.
import type { KubeObject } from '../../apimachinery/types.js';
import { rfc3339Now } from '../../apimachinery/meta.js';
import { generationChanged } from '../../runtime/builder.js';
import { splitKey, type Controller } from '../../runtime/controller.js';
import { requeueAfterMs, type SimCluster } from '../cluster.js';
import type { MemberMetrics } from './metrics.js';
import { calcPods, formatMilli, metricValues, milli } from '../../controllers/federatedhpa/inputs.js';
import { averageValueReplicas, resourceReplicas } from '../../controllers/federatedhpa/replicas.js';
import { emptyHistory, normalizeReplicas, storeScaleEvent, type Behavior, type ScaleHistory } from '../../controllers/federatedhpa/behavior.js';

interface HPASpec {
  scaleTargetRef: { kind: string; name: string };
  minReplicas?: number;
  maxReplicas: number;
  metrics?: { type: string; resource?: { name: string; target: { type: string; averageUtilization?: number; averageValue?: string } } }[];
  behavior?: Behavior;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

export class HorizontalPodAutoscalerController {
  readonly controller: Controller;
  private readonly history = new Map<string, ScaleHistory>();

  constructor(
    private readonly c: SimCluster,
    private readonly metrics: () => MemberMetrics | undefined,
    private readonly syncMs: number,
  ) {
    // its own status writes do not count: every sync period it looks again anyway
    this.controller = c
      .controller('horizontal-pod-autoscaler')
      .for(c.informer('horizontalpodautoscalers'), generationChanged)
      .complete(requeueAfterMs((key) => this.reconcile(key)));
  }

  async reconcile(key: string): Promise<number | void> {
    const hpa = this.c.get('horizontalpodautoscalers', key);
    if (!hpa) {
      this.history.delete(key);
      return;
    }
    const spec = hpa.spec as HPASpec;
    const { namespace } = splitKey(key);
    const now = rfc3339Now();
    let conditions = [...(((hpa.status as { conditions?: Condition[] } | undefined)?.conditions) ?? [])];
    const cond = (type: string, status: 'True' | 'False', reason: string, message: string) => {
      const old = conditions.find((c) => c.type === type);
      const next = { type, status, reason, message, lastTransitionTime: old?.status === status ? old.lastTransitionTime : now };
      conditions = old ? conditions.map((c) => (c.type === type ? next : c)) : [...conditions, next];
    };
    const deployment = spec.scaleTargetRef.kind === 'Deployment' ? this.c.get('deployments', `${namespace}/${spec.scaleTargetRef.name}`) : undefined;
    const source = this.metrics();
    if (!deployment || !source) {
      cond('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: deployments.apps "${spec.scaleTargetRef.name}" not found`);
      await this.c.updateStatus('horizontalpodautoscalers', hpa, { ...(hpa.status as object), conditions }, 'horizontal-pod-autoscaler');
      return this.syncMs;
    }
    cond('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const current = (deployment.spec as { replicas?: number }).replicas ?? 1;
    const pods = this.c.owned('replicasets', deployment).flatMap((rs) => this.c.owned('pods', rs));
    const names = new Set(pods.map((p) => p.metadata.name));
    const podMetrics = (await source.pods(namespace)).filter((m) => names.has(m.metadata.name));
    const statuses: unknown[] = [];
    let desired: number | undefined;
    let error: string | undefined;
    for (const m of spec.metrics ?? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]) {
      if (m.type !== 'Resource' || !m.resource) {
        error ??= `metric type ${m.type} is not supported by the simulated HPA controller`;
        continue;
      }
      const r = m.resource;
      const mv = metricValues('', podMetrics, r.name);
      const calc = calcPods('', pods, r.name, undefined, mv.windows, Date.now());
      try {
        const p = r.target.type === 'Utilization' ? resourceReplicas(current, r.target.averageUtilization ?? 80, r.name, calc, mv.values) : averageValueReplicas(current, milli(r.name, r.target.averageValue), r.name, calc, mv.values);
        statuses.push({ type: 'Resource', resource: { name: r.name, current: { averageValue: formatMilli(r.name, p.average), ...(p.utilization !== undefined ? { averageUtilization: p.utilization } : {}) } } });
        desired = Math.max(desired ?? 0, p.replicas);
      } catch (err) {
        error ??= (err as Error).message;
      }
    }
    const h = this.history.get(key) ?? emptyHistory();
    let next = current;
    let lastScaleTime = (hpa.status as { lastScaleTime?: string } | undefined)?.lastScaleTime;
    if (desired === undefined) {
      cond('ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${error}`);
    } else {
      cond('ScalingActive', 'True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
      const n = normalizeReplicas({ now: Date.now(), currentReplicas: current, desiredReplicas: desired, minReplicas: spec.minReplicas ?? 1, maxReplicas: spec.maxReplicas, behavior: spec.behavior, downscaleStabilizationSeconds: 300 }, h);
      for (const c of n.conditions) cond(c.type, c.status, c.reason, c.message);
      next = n.replicas;
      let history = n.history;
      if (next !== current) {
        await this.c.update('deployments', deployment, 'horizontal-pod-autoscaler', (o: KubeObject) => {
          (o.spec as { replicas?: number }).replicas = next;
        });
        cond('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${next}`);
        history = storeScaleEvent(history, spec.behavior, current, next, Date.now(), 300);
        lastScaleTime = now;
      }
      this.history.set(key, history);
    }
    const status = { observedGeneration: hpa.metadata.generation, lastScaleTime, currentReplicas: current, desiredReplicas: next, currentMetrics: statuses, conditions };
    await this.c.updateStatus('horizontalpodautoscalers', hpa, status, 'horizontal-pod-autoscaler');
    return this.syncMs;
  }
}
