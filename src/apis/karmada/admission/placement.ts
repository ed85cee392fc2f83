// Validation of a Placement, as Karmada's ValidatePlacement: affinity versus affinities, unique
// affinity names, field selectors, tolerations, spread constraints and workload affinity.
import type { FieldError } from '../../../apimachinery/errors.js';
import { isQualifiedName, isValidLabelValue } from '../../../apimachinery/validation.js';
import { validateClusterAffinity } from './override.js';
import { isTaintEffect, taintEffects } from '../cluster.js';
import { invalid, isObj, itemsAt, messagesAt, notSupported, numAt, objAt, required, strAt, type Obj } from './fields.js';

export function validatePlacement(placement: unknown, path: string): FieldError[] {
  if (!isObj(placement)) return [];
  const errs: FieldError[] = [];
  if (placement.clusterAffinity != null && placement.clusterAffinities != null) {
    errs.push(invalid(path, 'clusterAffinity and clusterAffinities', 'clusterAffinities cannot co-exist with clusterAffinity'));
  }
  errs.push(...validateClusterAffinity(placement.clusterAffinity, `${path}.clusterAffinity`));
  errs.push(...validateClusterAffinities(placement.clusterAffinities, `${path}.clusterAffinities`));
  errs.push(...validateTolerations(placement.clusterTolerations, `${path}.clusterTolerations`));
  errs.push(...validateSpreadConstraints(placement.spreadConstraints, `${path}.spreadConstraints`));
  for (const [w, i] of itemsAt(objAt(objAt(placement.replicaScheduling).weightPreference).staticWeightList)) {
    errs.push(...validateClusterAffinity(w.targetCluster, `${path}.replicaScheduling.weightPreference.staticWeightList[${i}].targetCluster`));
  }
  errs.push(...validateWorkloadAffinity(placement.workloadAffinity, `${path}.workloadAffinity`));
  return errs;
}

/** Affinity names must be qualified names, unique across all terms and their overflow terms. */
function validateClusterAffinities(v: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  const checkName = (term: Obj, p: string) => {
    const name = strAt(term.affinityName);
    errs.push(...messagesAt(`${p}.affinityName`, name, isQualifiedName(name)));
    if (seen.has(name)) errs.push(invalid(`${p}.affinityName`, name, 'each affinity term in a policy must have a unique name'));
    seen.add(name);
    errs.push(...validateClusterAffinity(term, p));
  };
  for (const [term, i] of itemsAt(v)) {
    checkName(term, `${path}[${i}]`);
    for (const [overflow, j] of itemsAt(term.overflowAffinities)) checkName(overflow, `${path}[${i}].overflowAffinities[${j}]`);
  }
  return errs;
}

const tolerationOperators = ['Equal', 'Exists'];

/** corev1 toleration rules; Karmada supports only Equal and Exists (no Lt/Gt). */
function validateTolerations(v: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [t, i] of itemsAt(v)) {
    const p = `${path}[${i}]`;
    const key = strAt(t.key);
    const operator = strAt(t.operator) || 'Equal';
    if (key) errs.push(...messagesAt(`${p}.key`, key, isQualifiedName(key)));
    if (!key && operator !== 'Exists') errs.push(invalid(`${p}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (!tolerationOperators.includes(operator)) errs.push(notSupported(`${p}.operator`, operator, tolerationOperators));
    if (operator === 'Exists' && strAt(t.value)) errs.push(invalid(`${p}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    if (operator === 'Equal' && strAt(t.value)) errs.push(...messagesAt(`${p}.value`, strAt(t.value), isValidLabelValue(strAt(t.value))));
    const effect = strAt(t.effect);
    if (effect && !isTaintEffect(effect)) errs.push(notSupported(`${p}.effect`, effect, [...taintEffects]));
    if (t.tolerationSeconds != null && effect !== 'NoExecute') errs.push(invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  }
  return errs;
}

/** Karmada's ValidateSpreadConstraint, with each problem reported on the field it is about. */
function validateSpreadConstraints(v: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const fieldsSeen = new Set<string>();
  for (const [c, i] of itemsAt(v)) {
    const p = `${path}[${i}]`;
    const byField = strAt(c.spreadByField);
    const byLabel = strAt(c.spreadByLabel);
    const min = numAt(c.minGroups) ?? 0;
    const max = numAt(c.maxGroups) ?? 0;
    if (byField && byLabel) errs.push(invalid(`${p}.spreadByLabel`, byLabel, 'spreadByLabel should not co-exist with spreadByField'));
    if (byLabel) errs.push(...messagesAt(`${p}.spreadByLabel`, byLabel, isQualifiedName(byLabel)));
    if (min < 0) errs.push(invalid(`${p}.minGroups`, min, 'minGroups lower than 0 is not allowed'));
    if (max < 0) errs.push(invalid(`${p}.maxGroups`, max, 'maxGroups lower than 0 is not allowed'));
    if (max > 0 && max < min) errs.push(invalid(`${p}.maxGroups`, max, 'maxGroups lower than minGroups is not allowed'));
    if (byField) {
      if (fieldsSeen.has(byField)) errs.push(invalid(`${p}.spreadByField`, byField, `multiple ${byField} spread constraints are not allowed`));
      fieldsSeen.add(byField);
    }
  }
  if (fieldsSeen.size > 0 && !fieldsSeen.has('cluster')) {
    errs.push(invalid(path, [...fieldsSeen], 'the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled'));
  }
  return errs;
}

function validateWorkloadAffinity(v: unknown, path: string): FieldError[] {
  if (!isObj(v)) return [];
  const errs: FieldError[] = [];
  for (const term of ['affinity', 'antiAffinity'] as const) {
    if (!isObj(v[term])) continue;
    const key = strAt(v[term].groupByLabelKey);
    const p = `${path}.${term}.groupByLabelKey`;
    if (!key) errs.push(required(p));
    else errs.push(...messagesAt(p, key, isQualifiedName(key)));
  }
  return errs;
}
