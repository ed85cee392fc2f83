// FederatedHPA defaulting and validation, and CronFederatedHPA rule validation.
import cronParser from 'cron-parser';
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { duplicate, invalid, isObj, itemsAt, notSupported, numAt, objAt, required, strAt } from './fields.js';

/** CPU at 80% average utilisation, as the HPA defaults when no metric is given. */
function defaultMetrics(): Record<string, unknown>[] {
  return [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
}

export function mutateFederatedHPA(obj: KubeObject): void {
  const spec = obj.spec;
  if (!isObj(spec)) return;
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) spec.metrics = defaultMetrics();
}

const metricTypes = ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'];

function validateScaleTargetRef(v: unknown, path: string): FieldError[] {
  const ref = objAt(v);
  const errs: FieldError[] = [];
  if (!strAt(ref.kind)) errs.push(required(`${path}.kind`));
  if (!strAt(ref.name)) errs.push(required(`${path}.name`));
  return errs;
}

export function validateFederatedHPA(obj: KubeObject): FieldError[] {
  const spec = objAt(obj.spec);
  const errs = validateScaleTargetRef(spec.scaleTargetRef, 'spec.scaleTargetRef');
  const min = numAt(spec.minReplicas) ?? 1;
  const max = numAt(spec.maxReplicas);
  if (min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max !== undefined && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  for (const [m, i] of itemsAt(spec.metrics)) {
    const p = `spec.metrics[${i}]`;
    const type = strAt(m.type);
    if (!metricTypes.includes(type)) {
      errs.push(type ? notSupported(`${p}.type`, type, metricTypes) : required(`${p}.type`));
      continue;
    }
    const key = type.charAt(0).toLowerCase() + type.slice(1);
    if (!isObj(m[key])) errs.push(required(`${p}.${key}`, `must populate information for the given metric source type ${type}`));
  }
  return errs;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function validateCronFederatedHPA(obj: KubeObject): FieldError[] {
  const spec = objAt(obj.spec);
  const errs = validateScaleTargetRef(spec.scaleTargetRef, 'spec.scaleTargetRef');
  const ref = objAt(spec.scaleTargetRef);
  const targetsFHPA = ref.kind === 'FederatedHPA';
  if (targetsFHPA && ref.apiVersion !== 'autoscaling.karmada.io/v1alpha1') {
    errs.push(invalid('spec.scaleTargetRef.apiVersion', ref.apiVersion ?? '', 'must be autoscaling.karmada.io/v1alpha1 when kind is FederatedHPA'));
  }
  const names = new Set<string>();
  for (const [rule, i] of itemsAt(spec.rules)) {
    const p = `spec.rules[${i}]`;
    const name = strAt(rule.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    names.add(name);
    const tz = strAt(rule.timeZone);
    if (tz && !validTimeZone(tz)) errs.push(invalid(`${p}.timeZone`, tz, 'unknown time zone'));
    try {
      cronParser.parseExpression(strAt(rule.schedule), tz && validTimeZone(tz) ? { tz } : {});
    } catch (err) {
      errs.push(invalid(`${p}.schedule`, rule.schedule ?? '', `invalid cron expression: ${(err as Error).message}`));
    }
    const replicas = numAt(rule.targetReplicas);
    const minR = numAt(rule.targetMinReplicas);
    const maxR = numAt(rule.targetMaxReplicas);
    for (const [f, v] of [['targetReplicas', replicas], ['targetMinReplicas', minR], ['targetMaxReplicas', maxR]] as const) {
      if (v !== undefined && v < 0) errs.push(invalid(`${p}.${f}`, v, 'must be greater than or equal to 0'));
    }
    if (targetsFHPA) {
      if (replicas !== undefined) errs.push(invalid(`${p}.targetReplicas`, replicas, 'targetReplicas is not allowed when the target is a FederatedHPA; use targetMinReplicas or targetMaxReplicas'));
      if (minR === undefined && maxR === undefined) errs.push(required(`${p}.targetMinReplicas`, 'targetMinReplicas or targetMaxReplicas is required when the target is a FederatedHPA'));
      if (minR !== undefined && maxR !== undefined && minR > maxR) errs.push(invalid(`${p}.targetMinReplicas`, minR, 'must not be greater than targetMaxReplicas'));
    } else if (replicas === undefined) {
      errs.push(required(`${p}.targetReplicas`, 'targetReplicas is required when the target is a workload'));
    }
  }
  return errs;
}
