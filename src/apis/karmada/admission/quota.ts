// FederatedResourceQuota validation: valid resource lists, and static assignments that fit the overall quota.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/types.js';
import { isQualifiedName } from '../../../apimachinery/validation.js';
import { quantityNumber } from '../../../apimachinery/quantity.js';
import { validateClusterName } from './cluster.js';
import { duplicate, invalid, isObj, itemsAt, messagesAt, objAt, required, strAt, type Obj } from './fields.js';

function validateResourceList(list: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(list)) {
    errs.push(...messagesAt(`${path}[${name}]`, name, isQualifiedName(name)));
    const v = quantityNumber(q as string | number);
    if (Number.isNaN(v)) errs.push(invalid(`${path}[${name}]`, q, 'must be a quantity'));
    else if (v < 0) errs.push(invalid(`${path}[${name}]`, q, 'must be greater than or equal to 0'));
  }
  return errs;
}

export function validateFederatedResourceQuota(obj: KubeObject): FieldError[] {
  const spec = objAt(obj.spec);
  const overall = objAt(spec.overall);
  const errs = validateResourceList(overall, 'spec.overall');
  const seen = new Set<string>();
  const assigned = new Map<string, number>();
  for (const [a, i] of itemsAt(spec.staticAssignments)) {
    const p = `spec.staticAssignments[${i}]`;
    const cluster = strAt(a.clusterName);
    if (!cluster) errs.push(required(`${p}.clusterName`));
    else errs.push(...messagesAt(`${p}.clusterName`, cluster, validateClusterName(cluster)));
    if (seen.has(cluster)) errs.push(duplicate(`${p}.clusterName`, cluster));
    seen.add(cluster);
    if (!isObj(a.hard)) continue;
    errs.push(...validateResourceList(a.hard, `${p}.hard`));
    for (const [name, q] of Object.entries(a.hard)) {
      if (!(name in overall)) {
        errs.push(invalid(`${p}.hard[${name}]`, q, 'resource must also be limited in spec.overall'));
        continue;
      }
      const v = quantityNumber(q as string | number);
      if (!Number.isNaN(v)) assigned.set(name, (assigned.get(name) ?? 0) + v);
    }
  }
  for (const [name, total] of assigned) {
    const limit = quantityNumber(overall[name] as string | number);
    // quantities are floats here; allow for rounding noise
    if (total > limit * (1 + 1e-12)) errs.push(invalid('spec.staticAssignments', name, `the assignments of ${name} add up to more than spec.overall[${name}] (${String(overall[name])})`));
  }
  return errs;
}
