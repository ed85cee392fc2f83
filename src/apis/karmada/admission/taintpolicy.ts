// ClusterTaintPolicy validation: taints to manage and the conditions that add or remove them.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { validateClusterAffinity } from './override.js';
import { validateTaints } from './cluster.js';
import { duplicate, forbidden, invalid, itemsAt, notSupported, objAt, required, strAt } from './fields.js';

function validateMatchConditions(v: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [c, i] of itemsAt(v)) {
    const p = `${path}[${i}]`;
    const type = strAt(c.conditionType);
    if (!type) errs.push(required(`${p}.conditionType`));
    if (seen.has(type)) errs.push(duplicate(`${p}.conditionType`, type));
    seen.add(type);
    if (c.operator !== 'In' && c.operator !== 'NotIn') errs.push(notSupported(`${p}.operator`, c.operator ?? '', ['In', 'NotIn']));
    if (!Array.isArray(c.statusValues) || c.statusValues.length === 0) errs.push(required(`${p}.statusValues`));
  }
  return errs;
}

export function validateClusterTaintPolicy(obj: KubeObject, allowNoExecute: boolean): FieldError[] {
  const spec = objAt(obj.spec);
  const errs: FieldError[] = [];
  errs.push(...validateClusterAffinity(spec.targetClusters, 'spec.targetClusters'));
  const add = Array.isArray(spec.addOnConditions) ? spec.addOnConditions : [];
  const remove = Array.isArray(spec.removeOnConditions) ? spec.removeOnConditions : [];
  if (add.length === 0 && remove.length === 0) errs.push(invalid('spec', 'addOnConditions and removeOnConditions', 'at least one of addOnConditions and removeOnConditions must be set'));
  errs.push(...validateMatchConditions(spec.addOnConditions, 'spec.addOnConditions'));
  errs.push(...validateMatchConditions(spec.removeOnConditions, 'spec.removeOnConditions'));
  errs.push(...validateTaints(spec.taints, 'spec.taints', ['NoSchedule', 'NoExecute']));
  if (!allowNoExecute) {
    for (const [t, i] of itemsAt(spec.taints)) {
      if (t.effect === 'NoExecute') errs.push(forbidden(`spec.taints[${i}].effect`, 'NoExecute taints are not allowed unless the API server allows NoExecute taint policies'));
    }
  }
  return errs;
}
