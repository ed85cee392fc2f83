// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscalers (stored at v2), as Kubernetes converts
// them: v1's targetCPUUtilizationPercentage is a Resource cpu Utilization metric in v2. What v1 cannot
// express (other metrics, behavior, conditions) rides in the autoscaling.alpha.kubernetes.io/*
// annotations as JSON of the v2 shapes.
import type { KubeObject } from '../../../apimachinery/types.js';
import { at, child, isObject, list, obj, setDefault, type JsonObject } from '../../tables/json.js';

const metricsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
const currentMetricsAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
const behaviorAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';
const v1Annotations = [metricsAnnotation, currentMetricsAnnotation, conditionsAnnotation, behaviorAnnotation];

const isCpuUtilization = (m: unknown): boolean =>
  at(m, 'type') === 'Resource' && at(m, 'resource', 'name') === 'cpu' && at(m, 'resource', 'target', 'type') === 'Utilization';

function copyMeta(o: KubeObject): KubeObject['metadata'] {
  return structuredClone(o.metadata);
}

function parseAnnotation(annotations: Record<string, string> | undefined, key: string): unknown[] | JsonObject | undefined {
  const raw = annotations?.[key];
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) || isObject(v) ? (v as unknown[] | JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** v2 (storage) -> v1 */
export function hpaV2ToV1(o: KubeObject): KubeObject {
  const metadata = copyMeta(o);
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  const spec = obj(o.spec);
  const status = obj(o.status);
  const metrics = list(spec.metrics);
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  const v1spec: JsonObject = { scaleTargetRef: structuredClone(spec.scaleTargetRef ?? {}), maxReplicas: spec.maxReplicas ?? 0 };
  if (spec.minReplicas !== undefined) v1spec.minReplicas = spec.minReplicas;
  const target = at(cpu, 'resource', 'target', 'averageUtilization');
  if (typeof target === 'number') v1spec.targetCPUUtilizationPercentage = target;
  if (others.length > 0) annotations[metricsAnnotation] = JSON.stringify(others);
  if (isObject(spec.behavior)) annotations[behaviorAnnotation] = JSON.stringify(spec.behavior);

  const v1status: JsonObject = { currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0 };
  for (const k of ['observedGeneration', 'lastScaleTime']) if (status[k] !== undefined) v1status[k] = status[k];
  const current = list(status.currentMetrics);
  const currentCpu = current.find((m) => at(m, 'type') === 'Resource' && at(m, 'resource', 'name') === 'cpu');
  const util = at(currentCpu, 'resource', 'current', 'averageUtilization');
  if (typeof util === 'number') v1status.currentCPUUtilizationPercentage = util;
  const otherCurrent = current.filter((m) => m !== currentCpu);
  if (otherCurrent.length > 0) annotations[currentMetricsAnnotation] = JSON.stringify(otherCurrent);
  if (list(status.conditions).length > 0) annotations[conditionsAnnotation] = JSON.stringify(status.conditions);

  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const out: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec: v1spec };
  if (o.status !== undefined) out.status = v1status;
  return out;
}

/** v1 -> v2 (storage) */
export function hpaV1ToV2(o: KubeObject): KubeObject {
  const metadata = copyMeta(o);
  const annotations = metadata.annotations;
  const spec = obj(o.spec);
  const status = obj(o.status);
  const metrics: unknown[] = [];
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  const extra = parseAnnotation(annotations, metricsAnnotation);
  if (Array.isArray(extra)) metrics.push(...extra);
  const v2spec: JsonObject = { scaleTargetRef: structuredClone(spec.scaleTargetRef ?? {}), maxReplicas: spec.maxReplicas ?? 0 };
  if (spec.minReplicas !== undefined) v2spec.minReplicas = spec.minReplicas;
  if (metrics.length > 0) v2spec.metrics = metrics;
  const behavior = parseAnnotation(annotations, behaviorAnnotation);
  if (isObject(behavior)) v2spec.behavior = behavior;

  const v2status: JsonObject = { currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0 };
  for (const k of ['observedGeneration', 'lastScaleTime']) if (status[k] !== undefined) v2status[k] = status[k];
  const current: unknown[] = [];
  if (typeof status.currentCPUUtilizationPercentage === 'number') {
    current.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } });
  }
  const extraCurrent = parseAnnotation(annotations, currentMetricsAnnotation);
  if (Array.isArray(extraCurrent)) current.push(...extraCurrent);
  if (current.length > 0) v2status.currentMetrics = current;
  const conditions = parseAnnotation(annotations, conditionsAnnotation);
  if (Array.isArray(conditions)) v2status.conditions = conditions;

  if (annotations) {
    const kept = Object.fromEntries(Object.entries(annotations).filter(([k]) => !v1Annotations.includes(k)));
    if (Object.keys(kept).length > 0) metadata.annotations = kept;
    else delete metadata.annotations;
  }
  const out: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: v2spec };
  if (o.status !== undefined) out.status = v2status;
  return out;
}

const defaultScaleUp = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
const defaultScaleDown = { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** autoscaling/v2 defaults: minReplicas 1, a cpu 80% metric when none, behavior rules filled when behavior is set. */
export function defaultHpaV2(o: KubeObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (list(spec.metrics).length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (isObject(spec.behavior)) {
    fillRules(spec.behavior, 'scaleUp', defaultScaleUp);
    fillRules(spec.behavior, 'scaleDown', defaultScaleDown);
  }
}

function fillRules(behavior: JsonObject, key: string, defaults: JsonObject): void {
  if (!isObject(behavior[key])) {
    behavior[key] = structuredClone(defaults);
    return;
  }
  const rules = behavior[key] as JsonObject;
  for (const [k, v] of Object.entries(defaults)) setDefault(rules, k, structuredClone(v));
}

/** autoscaling/v1 defaults: minReplicas 1. */
export function defaultHpaV1(o: KubeObject): void {
  setDefault(child(o, 'spec'), 'minReplicas', 1);
}
