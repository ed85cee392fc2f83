// apps/v1 and batch/v1 checks users hit most: selectors and their match with template labels,
// replicas, strategies, restart policies, cron schedules, immutable fields.
import cronParser from 'cron-parser';
import type { FieldError } from '../../../apimachinery/errors.js';
import { labelSelectorAsSelector } from '../../../apimachinery/labels.js';
import type { KubeObject, LabelSelector } from '../../../apimachinery/types.js';
import { at, isObject, list, obj, str, type JsonObject } from '../../tables/json.js';
import { forbidden, goLabelSelector, goStringMap, invalid, invalidGo, jsonEqual, nonNegative, notSupported, required } from './errors.js';
import { validatePodSpec } from './podspec.js';

/** spec.selector present, non-empty and valid; spec.template's labels matched by it; the pod spec valid. */
function validateSelectorAndTemplate(spec: JsonObject, kindWord: string, opts: { restartPolicies: string[]; requireSelector: boolean }): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec.selector;
  let matches: ((labels: Record<string, string> | undefined) => boolean) | undefined;
  if (!isObject(selector)) {
    if (opts.requireSelector) errs.push(required('spec.selector'));
  } else {
    if (Object.keys(obj(selector.matchLabels)).length + list(selector.matchExpressions).length === 0) {
      errs.push(invalidGo('spec.selector', goLabelSelector(selector), `empty selector is invalid for ${kindWord}`));
    }
    try {
      const sel = labelSelectorAsSelector(selector as LabelSelector);
      if (!sel.empty()) matches = (labels) => sel.matches(labels);
    } catch {
      errs.push(invalidGo('spec.selector', goLabelSelector(selector), 'invalid label selector'));
    }
  }
  const template = spec.template;
  if (!isObject(template)) {
    errs.push(required('spec.template'));
    return errs;
  }
  const labels = at(template, 'metadata', 'labels');
  if (matches && !matches(isObject(labels) ? (labels as Record<string, string>) : undefined)) {
    errs.push(invalidGo('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  const restartPolicy = at(template, 'spec', 'restartPolicy');
  if (restartPolicy !== undefined && restartPolicy !== '' && !opts.restartPolicies.includes(str(restartPolicy))) {
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, opts.restartPolicies));
  }
  return errs;
}

function selectorImmutable(o: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (!old) return [];
  const now = at(o, 'spec', 'selector');
  return jsonEqual(now, at(old, 'spec', 'selector')) ? [] : [invalidGo('spec.selector', goLabelSelector(now), 'field is immutable')];
}

const appsTemplateRules = { restartPolicies: ['Always'], requireSelector: true };

export function validateDeployment(o: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  const errs = [...nonNegative('spec.replicas', spec.replicas), ...validateSelectorAndTemplate(spec, 'deployment', appsTemplateRules)];
  errs.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit), ...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  const strategy = obj(spec.strategy);
  const type = strategy.type;
  if (type !== undefined && type !== 'Recreate' && type !== 'RollingUpdate') errs.push(notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
  if (type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    errs.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  }
  const ru = obj(strategy.rollingUpdate);
  const isZero = (v: unknown): boolean => v === 0 || v === '0%' || v === '0';
  if (type === 'RollingUpdate' && isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
    errs.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  if (typeof spec.progressDeadlineSeconds === 'number' && typeof spec.minReadySeconds === 'number' && spec.progressDeadlineSeconds <= spec.minReadySeconds) {
    errs.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return [...errs, ...selectorImmutable(o, old)];
}

export function validateReplicaSet(o: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  return [
    ...nonNegative('spec.replicas', spec.replicas),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...validateSelectorAndTemplate(spec, 'replicaset', appsTemplateRules),
    ...selectorImmutable(o, old),
  ];
}

const statefulSetMutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function validateStatefulSet(o: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  const errs = [...nonNegative('spec.replicas', spec.replicas), ...validateSelectorAndTemplate(spec, 'statefulset', appsTemplateRules)];
  const pmp = spec.podManagementPolicy;
  if (pmp !== undefined && pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(notSupported('spec.podManagementPolicy', pmp, ['OrderedReady', 'Parallel']));
  const ut = at(spec, 'updateStrategy', 'type');
  if (ut !== undefined && ut !== 'RollingUpdate' && ut !== 'OnDelete') errs.push(notSupported('spec.updateStrategy.type', ut, ['OnDelete', 'RollingUpdate']));
  if (old) {
    const strip = (s: JsonObject): JsonObject => Object.fromEntries(Object.entries(s).filter(([k]) => !statefulSetMutable.includes(k)));
    if (!jsonEqual(strip(spec), strip(obj(old.spec)))) {
      errs.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return errs;
}

export function validateDaemonSet(o: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  const errs = validateSelectorAndTemplate(spec, 'daemonset', appsTemplateRules);
  const ut = at(spec, 'updateStrategy', 'type');
  if (ut !== undefined && ut !== 'RollingUpdate' && ut !== 'OnDelete') errs.push(notSupported('spec.updateStrategy.type', ut, ['OnDelete', 'RollingUpdate']));
  return [...errs, ...nonNegative('spec.minReadySeconds', spec.minReadySeconds), ...selectorImmutable(o, old)];
}

const jobRestartPolicies = ['OnFailure', 'Never'];

export function validateJob(o: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  const errs = [
    ...nonNegative('spec.parallelism', spec.parallelism),
    ...nonNegative('spec.completions', spec.completions),
    ...nonNegative('spec.backoffLimit', spec.backoffLimit),
    ...nonNegative('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds),
    ...nonNegative('spec.ttlSecondsAfterFinished', spec.ttlSecondsAfterFinished),
  ];
  errs.push(...validateSelectorAndTemplate(spec, 'job', { restartPolicies: jobRestartPolicies, requireSelector: spec.manualSelector === true }));
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported('spec.completionMode', mode, ['NonIndexed', 'Indexed']));
  if (old) {
    const was = obj(old.spec);
    if (was.selector !== undefined && !jsonEqual(spec.selector, was.selector)) errs.push(invalidGo('spec.selector', goLabelSelector(spec.selector), 'field is immutable'));
    if (mode === 'NonIndexed' && was.completions !== undefined && !jsonEqual(spec.completions, was.completions)) {
      errs.push(invalid('spec.completions', spec.completions, 'field is immutable'));
    }
    if (!jsonEqual(spec.template, was.template) && was.suspend !== true && spec.suspend !== true) {
      errs.push(invalidGo('spec.template', 'core.PodTemplateSpec{...}', 'field is immutable'));
    }
  }
  return errs;
}

const cronDescriptors = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** cron.ParseStandard's verdict on a schedule, as the error message Kubernetes shows, or undefined. */
export function scheduleError(schedule: string): string | undefined {
  if (/^(CRON_)?TZ=/.test(schedule.trim())) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  const s = schedule.trim();
  if (s.startsWith('@')) {
    if (cronDescriptors.includes(s) || /^@every\s+\S+$/.test(s)) return undefined;
    return `unrecognized descriptor: ${s}`;
  }
  const fields = s.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  try {
    cronParser.parseExpression(s);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return undefined;
}

export function validateCronJob(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = o.metadata.name ?? '';
  if (name.length > 52) errs.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
  const spec = obj(o.spec);
  const schedule = spec.schedule;
  if (typeof schedule !== 'string' || schedule === '') errs.push(required('spec.schedule'));
  else {
    const why = scheduleError(schedule);
    if (why) errs.push(invalid('spec.schedule', schedule, why));
  }
  if (typeof spec.timeZone === 'string' && !isKnownTimeZone(spec.timeZone)) errs.push(invalid('spec.timeZone', spec.timeZone, `unknown time zone ${spec.timeZone}`));
  const cp = spec.concurrencyPolicy;
  if (cp !== undefined && !['Allow', 'Forbid', 'Replace'].includes(str(cp))) errs.push(notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  errs.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  errs.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
  errs.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  const template = at(spec, 'jobTemplate', 'spec', 'template');
  if (!isObject(template)) errs.push(required('spec.jobTemplate.spec.template'));
  else {
    errs.push(...validatePodSpec(template.spec, 'spec.jobTemplate.spec.template.spec'));
    const rp = at(template, 'spec', 'restartPolicy');
    if (rp !== undefined && !jobRestartPolicies.includes(str(rp))) errs.push(notSupported('spec.jobTemplate.spec.template.spec.restartPolicy', rp, jobRestartPolicies));
  }
  return errs;
}

function isKnownTimeZone(tz: string): boolean {
  if (tz === '' || tz.toLowerCase() === 'local') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
